//! The circuit breaker: a trade outside the band around the class's reference, or its best
//! quote at the band's edge for `stuck_blocks` blocks, halts the class; after the halt a
//! single-price call auction within a collar reopens it, put off and widened when it cannot
//! clear.

use crate::{features::matching::Fill, *};
use ccre_primitives::exchange::{uncross, Band, Lots, Price, Side};
use frame_support::{pallet_prelude::*, weights::WeightMeter};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	/// Halts `class` for the rules' halt time, its reopening collar around its reference.
	pub(crate) fn halt(class: ClassId, cause: HaltCause) {
		let Some(reference) = Self::reference(class) else { return };
		let rules = Rules::<T>::get();
		let now = frame_system::Pallet::<T>::block_number();
		let until = now.saturating_add(Self::blocks_for(rules.halt_ms));
		let collar = Band::around(reference, rules.collar);
		Halts::<T>::insert(class, Halt { until, extensions: 0, collar });
		AtBand::<T>::remove(class);
		Self::deposit_event(Event::ClassHalted { class, cause, until, collar });
	}

	/// Counts, for each trading class, the blocks its best bid or ask has sat at or beyond
	/// its band's edge, and halts it at `stuck_blocks`; returns the weight used.
	pub(crate) fn watch_bands() -> Weight {
		let rules = Rules::<T>::get();
		let mut used = Weight::zero();
		for (class, info) in Classes::<T>::iter() {
			if info.trading != Trading::Open || Halts::<T>::contains_key(class) {
				continue;
			}
			used.saturating_accrue(T::WeightInfo::watch_band());
			let Some(band) = Self::band(class) else { continue };
			let stuck = Self::best_price(class, Side::Buy).is_some_and(|bid| bid >= band.high)
				|| Self::best_price(class, Side::Sell).is_some_and(|ask| ask <= band.low);
			if !stuck {
				AtBand::<T>::remove(class);
				continue;
			}
			let blocks = AtBand::<T>::get(class).saturating_add(1);
			if blocks >= rules.stuck_blocks {
				Self::halt(class, HaltCause::QuoteAtBand);
			} else {
				AtBand::<T>::insert(class, blocks);
			}
		}
		used
	}

	/// Runs the reopening auction of every class whose halt is over: at the price that
	/// trades the most within the collar. A book that does not cross reopens as it is; one
	/// that crosses only outside the collar waits another extension with a wider collar, up
	/// to `max_extensions`, then reopens as it is.
	pub(crate) fn reopen_due(now: BlockNumberFor<T>, meter: &mut WeightMeter) {
		let due: alloc::vec::Vec<_> =
			Halts::<T>::iter().filter(|(_, halt)| halt.until <= now).collect();
		let rules = Rules::<T>::get();
		for (class, halt) in due {
			// Out of budget: the class stays halted a block longer.
			if meter.try_consume(T::WeightInfo::reopen()).is_err() {
				return;
			}
			let Some(info) = Classes::<T>::get(class) else { continue };
			let bids: alloc::vec::Vec<(Price, Lots)> =
				Depth::<T>::get((class, Side::Buy)).into_iter().collect();
			let asks: alloc::vec::Vec<(Price, Lots)> =
				Depth::<T>::get((class, Side::Sell)).into_iter().collect();
			// Depth is in price order: the best bid is the last, the best ask the first.
			let crossed = matches!(
				(bids.last(), asks.first()),
				(Some((bid, _)), Some((ask, _))) if bid >= ask
			);
			let reference = Self::reference(class).unwrap_or(halt.collar.low);
			// Auction prices are whole ticks like any other.
			let tick = info.tick.max(1);
			let clearing = halt
				.collar
				.on_ticks(tick)
				.and_then(|collar| uncross(&bids, &asks, collar, reference / tick * tick));
			match clearing {
				Some(clearing) => {
					let (done, lots) = Self::auction(class, &info, clearing.price, meter);
					if done {
						Halts::<T>::remove(class);
						Self::deposit_event(Event::ClassReopened {
							class,
							price: Some(clearing.price),
							lots,
						});
					}
				},
				None if crossed && halt.extensions < rules.max_extensions => {
					let extended = Halt {
						until: now.saturating_add(Self::blocks_for(rules.extension_ms)),
						extensions: halt.extensions.saturating_add(1),
						collar: halt.collar.widened(reference, rules.collar_step),
					};
					Halts::<T>::insert(class, extended);
					Self::deposit_event(Event::AuctionExtended {
						class,
						until: extended.until,
						collar: extended.collar,
					});
				},
				None => {
					Halts::<T>::remove(class);
					Self::deposit_event(Event::ClassReopened { class, price: None, lots: 0 });
				},
			}
		}
	}

	/// Fills the best bid against the best ask at `price`, oldest first at each price, while
	/// both accept it, up to `MaxAuctionFills`. Returns whether nothing more trades at the
	/// price, and the lots traded; one cut short by the budget goes on in the next block.
	fn auction(
		class: ClassId,
		info: &ClassOf<T>,
		price: Price,
		meter: &mut WeightMeter,
	) -> (bool, Lots) {
		let mut traded: Lots = 0;
		for _ in 0..T::MaxAuctionFills::get() {
			let (Some(best_bid), Some(best_ask)) =
				(Self::best_price(class, Side::Buy), Self::best_price(class, Side::Sell))
			else {
				return (true, traded);
			};
			if best_bid < price || best_ask > price {
				return (true, traded);
			}
			if meter.try_consume(T::WeightInfo::auction_fill()).is_err() {
				return (false, traded);
			}
			let (Some(bid_id), Some(ask_id)) = (
				Self::first_at(class, Side::Buy, best_bid),
				Self::first_at(class, Side::Sell, best_ask),
			) else {
				return (true, traded);
			};
			let (Some(mut bid), Some(ask)) = (Orders::<T>::get(bid_id), Orders::<T>::get(ask_id))
			else {
				return (true, traded);
			};
			if bid.owner == ask.owner {
				// The later of the two gives way, as a taker would.
				let (id, order) = if bid_id > ask_id { (bid_id, bid) } else { (ask_id, ask) };
				let _ = Self::remove_order(id, order, Removal::SelfTrade);
				continue;
			}
			let lots = bid.lots.min(ask.lots);
			let before = bid.clone();
			let fill =
				Fill { taker: (bid_id, &mut bid), maker: (ask_id, ask), price, lots, band: None };
			if Self::execute(fill, info).is_some() {
				// Only the buyer can stop a fill whose seller rests: it could not pay.
				let _ = Self::remove_order(bid_id, before, Removal::BuyerCannotPay);
				continue;
			}
			if bid.lots == before.lots {
				// The seller could not serve and was removed.
				continue;
			}
			traded = traded.saturating_add(lots);
			Self::reduce_level(&bid, lots);
			if bid.lots == 0 {
				Self::unlist(bid_id, &bid);
				let _ = Self::forget(bid_id, &bid);
			} else {
				Orders::<T>::insert(bid_id, &bid);
			}
		}
		(false, traded)
	}
}
