//! Matching, at the start of each block: expiries due, then the orders placed in the block
//! before, in the order they were placed, each against the opposite side of its book at the
//! resting orders' prices, best price first and oldest first at a price.

use crate::*;
use ccre_primitives::{
	exchange::{Band, Lots, Price, Side, SpotDeployments, SpotFill, TimeInForce},
	OrderId,
};
use frame_support::{
	pallet_prelude::*,
	storage::with_storage_layer,
	traits::{fungible::MutateHold, tokens::Precision},
	weights::WeightMeter,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Saturating;

/// Why a taker stopped trading before its lots ran out or the book stopped crossing.
pub(crate) enum Stop {
	/// Nothing crosses any more, or it has no lots left.
	Done,
	/// It made `MaxFillsPerOrder` fills and has lots left.
	FillLimit,
	/// Its own order is next: it is cancelled rather than trade with itself.
	SelfTrade,
	/// As a seller, it can no longer serve the class.
	SellerIneligible,
	/// As a buyer, it could not pay for the deployment.
	BuyerCannotPay,
	/// The next trade would have printed outside the band: the class halted.
	Halted,
}

/// A fill about to happen: the taker (in memory), the maker (read from the book), the price
/// and the lots.
pub(crate) struct Fill<'a, T: Config> {
	pub(crate) taker: (BookOrderId, &'a mut BookOrderOf<T>),
	pub(crate) maker: (BookOrderId, BookOrderOf<T>),
	pub(crate) price: Price,
	pub(crate) lots: Lots,
	/// The band the price must be inside (continuous trading), read once per round; `None`
	/// for a reopening auction's price, set within its collar, or before the first print.
	pub(crate) band: Option<Band>,
}

impl<T: Config> Pallet<T> {
	/// The matching hook.
	pub(crate) fn run_matching(now: BlockNumberFor<T>) -> Weight {
		// What is bounded by `MaxClasses` or `MaxExpiriesPerBlock` is never deferred; the
		// rest of the budget meters the auctions and the orders.
		let mut mandatory = T::WeightInfo::matching_base();
		// The interval that ended prints before anything trades in the next one.
		mandatory.saturating_accrue(Self::print_if_due(now));
		// Due before anything trades in this block.
		for id in Expiries::<T>::take(now) {
			mandatory.saturating_accrue(T::WeightInfo::expire());
			if let Some(order) = Orders::<T>::get(id) {
				let _ = Self::remove_order(id, order, Removal::Expired);
			}
		}
		let mut meter = WeightMeter::with_limit(T::MatchingBudget::get().saturating_sub(mandatory));
		Self::reopen_due(now, &mut meter);
		let queue = Incoming::<T>::take();
		let mut matched = 0usize;
		for id in queue.iter() {
			if let Some(order) = Orders::<T>::get(id) {
				if !Self::match_order(*id, order, &mut meter) {
					break;
				}
			}
			matched = matched.saturating_add(1);
		}
		if let Some(rest) = queue.get(matched..).filter(|rest| !rest.is_empty()) {
			let remaining = u32::try_from(rest.len()).unwrap_or(u32::MAX);
			// A suffix of a bounded vector fits the same bound; this block's orders queue
			// behind it.
			Incoming::<T>::put(BoundedVec::truncate_from(rest.to_vec()));
			Self::deposit_event(Event::MatchingDeferred { remaining });
		}
		mandatory.saturating_accrue(Self::watch_bands());
		mandatory.saturating_add(meter.consumed())
	}

	/// Matches one placed order in rounds of up to `MaxFillsPerOrder` fills, each as large as
	/// the budget has room for and charged for the fills it made, then rests what is left or
	/// removes it, as its time in force says. Returns `false` if the budget ran out first: the
	/// order, as far as it got, waits for the next block.
	fn match_order(id: BookOrderId, mut order: BookOrderOf<T>, meter: &mut WeightMeter) -> bool {
		let most = T::MaxFillsPerOrder::get();
		// A fill-or-kill order fills whole in one round or not at all: its worst case.
		let first = if order.time_in_force == TimeInForce::FillOrKill { most } else { 1 };
		if !meter.can_consume(T::WeightInfo::match_order(first)) {
			return false;
		}
		let Some(class) = Classes::<T>::get(order.class).filter(|c| c.trading == Trading::Open)
		else {
			meter.consume(T::WeightInfo::match_order(0));
			let _ = Self::remove_order(id, order, Removal::ClassRetired);
			return true;
		};
		let opposite = order.side.opposite();
		let crosses = Self::best_price(order.class, opposite)
			.is_some_and(|best| order.side.crosses(order.price, best));
		if order.time_in_force == TimeInForce::PostOnly && crosses {
			meter.consume(T::WeightInfo::match_order(0));
			let _ = Self::remove_order(id, order, Removal::WouldTake);
			return true;
		}
		// Halted: orders rest as they would, nothing trades.
		if Halts::<T>::contains_key(order.class) {
			let stop = if order.time_in_force == TimeInForce::FillOrKill {
				Stop::Halted
			} else {
				Stop::Done
			};
			meter.consume(T::WeightInfo::match_order(0));
			Self::finish(id, order, stop);
			return true;
		}
		if order.time_in_force == TimeInForce::FillOrKill {
			meter.consume(T::WeightInfo::match_order(most));
			Self::fill_or_kill(id, order, &class);
			return true;
		}
		loop {
			let room = Self::fills_in(meter, most);
			if room == 0 {
				Orders::<T>::insert(id, &order);
				return false;
			}
			let (stop, made) = Self::take(id, &mut order, &class, room);
			meter.consume(T::WeightInfo::match_order(made));
			match stop {
				Stop::FillLimit => continue,
				stop => {
					Self::finish(id, order, stop);
					return true;
				},
			}
		}
	}

	/// How many fills, up to `most`, one round can still pay for with what is left of the
	/// budget; zero if not even one fits (a round that can make no fill could not end the
	/// order).
	fn fills_in(meter: &WeightMeter, most: u32) -> u32 {
		if most == 0 || !meter.can_consume(T::WeightInfo::match_order(1)) {
			return 0;
		}
		// The weight grows with the fills (benchmarked so): the largest count that fits.
		let (mut low, mut high) = (1u32, most);
		while low < high {
			let mid = low.saturating_add(high).saturating_add(1) / 2;
			if meter.can_consume(T::WeightInfo::match_order(mid)) {
				low = mid;
			} else {
				high = mid.saturating_sub(1);
			}
		}
		low
	}

	/// A fill-or-kill order fills whole against at most `MaxFillsPerOrder` resting orders,
	/// or undoes every fill it made and is removed.
	fn fill_or_kill(id: BookOrderId, order: BookOrderOf<T>, class: &ClassOf<T>) {
		let original = order.clone();
		let outcome = with_storage_layer(|| {
			let mut order = order;
			let (stop, _) = Self::take(id, &mut order, class, T::MaxFillsPerOrder::get());
			if order.lots > 0 {
				return Err(DispatchError::Other("fill-or-kill not filled"));
			}
			Ok((order, stop))
		});
		match outcome {
			Ok((order, stop)) => Self::finish(id, order, stop),
			Err(_) => {
				let _ = Self::remove_order(id, original, Removal::Killed);
			},
		}
	}

	/// What becomes of an order once it stopped trading: gone if filled, else removed for
	/// why it stopped, or rested if its time in force lets it.
	fn finish(id: BookOrderId, mut order: BookOrderOf<T>, stop: Stop) {
		if order.lots == 0 {
			let _ = Self::forget(id, &order);
			return;
		}
		let removal = match stop {
			Stop::SelfTrade => Some(Removal::SelfTrade),
			Stop::SellerIneligible => Some(Removal::SellerIneligible),
			Stop::BuyerCannotPay => Some(Removal::BuyerCannotPay),
			_ if order.time_in_force == TimeInForce::FillOrKill => Some(Removal::Killed),
			_ if !order.time_in_force.rests() => Some(Removal::Unfilled),
			Stop::Done | Stop::FillLimit | Stop::Halted => Self::rest(id, &mut order).err(),
		};
		if let Some(reason) = removal {
			let _ = Self::remove_order(id, order, reason);
		}
	}

	/// Trades `taker` against the opposite side of its book while it crosses, with up to
	/// `most` resting orders; says why it stopped and how many resting orders it reached
	/// (traded with, or removed for being unable to trade).
	fn take(
		id: BookOrderId,
		taker: &mut BookOrderOf<T>,
		class: &ClassOf<T>,
		most: u32,
	) -> (Stop, u32) {
		let opposite = taker.side.opposite();
		let band = Self::band(taker.class);
		for made in 0..most {
			if taker.lots == 0 {
				return (Stop::Done, made);
			}
			let Some(price) = Self::best_price(taker.class, opposite)
				.filter(|best| taker.side.crosses(taker.price, *best))
			else {
				return (Stop::Done, made);
			};
			// A level always lists its orders (`try_state`); were one empty, stop here.
			let Some((maker_id, maker)) = Self::first_at(taker.class, opposite, price)
				.and_then(|maker_id| Some((maker_id, Orders::<T>::get(maker_id)?)))
			else {
				return (Stop::Done, made);
			};
			if maker.owner == taker.owner {
				return (Stop::SelfTrade, made);
			}
			let lots = taker.lots.min(maker.lots);
			let fill =
				Fill { taker: (id, &mut *taker), maker: (maker_id, maker), price, lots, band };
			if let Some(stop) = Self::execute(fill, class) {
				return (stop, made.saturating_add(1));
			}
		}
		let stop = if taker.lots > 0 { Stop::FillLimit } else { Stop::Done };
		(stop, most)
	}

	/// Executes one fill: checks the seller can serve the lots, opens the buyer's
	/// deployment and updates both orders. A maker at fault is removed and trading goes on
	/// (`None`); a taker at fault stops it.
	pub(crate) fn execute(fill: Fill<'_, T>, class: &ClassOf<T>) -> Option<Stop> {
		let Fill { taker: (taker_id, taker), maker: (maker_id, mut maker), price, lots, band } =
			fill;
		if band.is_some_and(|band| !band.contains(price)) {
			Self::halt(maker.class, HaltCause::TradeOutsideBand);
			return Some(Stop::Halted);
		}
		let taker_sells = taker.side == Side::Sell;
		let (buyer, seller) = if taker_sells { (&maker, &*taker) } else { (&*taker, &maker) };
		if !Self::seller_eligible(&seller.owner, class, lots, price) {
			if taker_sells {
				return Some(Stop::SellerIneligible);
			}
			let _ = Self::remove_order(maker_id, maker, Removal::SellerIneligible);
			return None;
		}
		let (buyer_owner, seller_owner) = (buyer.owner.clone(), seller.owner.clone());
		let deployment = match Self::open_deployment(buyer, &seller.owner, class, price, lots) {
			Ok(deployment) => deployment,
			Err(_) if taker_sells => {
				let _ = Self::remove_order(maker_id, maker, Removal::BuyerCannotPay);
				return None;
			},
			Err(_) => return Some(Stop::BuyerCannotPay),
		};
		for order in [&mut maker, &mut *taker] {
			order.lots = order.lots.saturating_sub(lots);
			if let Some(purchase) = order.purchase.as_mut() {
				let reserved =
					Self::purchase_funds(order.price, lots, purchase.duration).unwrap_or_default();
				purchase.held = purchase.held.saturating_sub(reserved);
			}
		}
		Tallies::<T>::mutate(maker.class, |tally| tally.add(price, lots));
		Self::reduce_level(&maker, lots);
		if maker.lots == 0 {
			Self::unlist(maker_id, &maker);
			let _ = Self::forget(maker_id, &maker);
		} else {
			Orders::<T>::insert(maker_id, &maker);
		}
		Self::deposit_event(Event::Traded {
			class: maker.class,
			taker: taker_id,
			maker: maker_id,
			buyer: buyer_owner,
			seller: seller_owner,
			price,
			lots,
			deployment,
		});
		None
	}

	/// Opens the deployment a fill of `lots` lots at `price` buys for `buyer` from `seller`:
	/// the lots' share of the buyer's held funds is released, and the trade price's share of
	/// it funds the deployment; the rest stays with the buyer. Changes nothing on error.
	fn open_deployment(
		buyer: &BookOrderOf<T>,
		seller: &T::AccountId,
		class: &ClassOf<T>,
		price: Price,
		lots: Lots,
	) -> Result<OrderId, DispatchError> {
		let purchase = buyer.purchase.as_ref().ok_or(Error::<T>::UnknownOrder)?;
		let reserved = Self::purchase_funds(buyer.price, lots, purchase.duration)
			.ok_or(Error::<T>::Overflow)?;
		let funding =
			Self::purchase_funds(price, lots, purchase.duration).ok_or(Error::<T>::Overflow)?;
		let lot_price = BalanceOf::<T>::try_from(price).map_err(|_| Error::<T>::Overflow)?;
		with_storage_layer(|| {
			T::Currency::release(
				&HoldReason::Purchase.into(),
				&buyer.owner,
				reserved,
				Precision::Exact,
			)?;
			T::Deployments::open_filled(
				SpotFill {
					tenant: buyer.owner.clone(),
					provider: seller.clone(),
					resources: class.resources.clone(),
					placement: class.placement.clone(),
					auditors: class.auditors.to_vec(),
					auditor_rule: class.auditor_rule,
					lots: u32::try_from(lots).map_err(|_| Error::<T>::BadLots)?,
					lot_price,
					duration: purchase.duration,
					manifest_hash: purchase.manifest_hash,
					sla: class.sla,
				},
				funding,
			)
		})
	}
}
