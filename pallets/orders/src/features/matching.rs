//! Matching: immediate orders against standing offers when placed, and every other order
//! against its bids and standing offer when its window ends, in a metered block hook.

use crate::*;
use ccre_primitives::{
	clear, Candidate, LeaseOpener, OfferId, OrderId, OrderState, ProviderInspect,
};
use frame_support::{pallet_prelude::*, storage::with_storage_layer, weights::WeightMeter};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{CheckedMul, One, Saturating};

/// Who won an order and on what terms.
pub(crate) struct Award<AccountId, Balance> {
	pub(crate) provider: AccountId,
	pub(crate) unit_price: Balance,
	pub(crate) units: u32,
	pub(crate) offer: Option<OfferId>,
}

impl<T: Config> Pallet<T> {
	/// Matches an immediate-or-cancel or fill-or-kill order against the standing offers, or
	/// places nothing; returns how many offers were examined.
	pub(crate) fn fill_immediately(
		mut order: OrderOf<T>,
		funding: BalanceOf<T>,
	) -> Result<u32, DispatchError> {
		let whole = order.terms.order_type == ccre_primitives::OrderType::FillOrKill;
		let (best, examined) = Self::best_offer(&order, order.created_at, whole);
		let Some((offer_id, clearing, units)) = best else {
			Self::deposit_event(Event::OrderNotFilled {
				tenant: order.tenant,
				order_type: order.terms.order_type,
			});
			return Ok(examined);
		};
		let provider = Offers::<T>::get(offer_id).ok_or(Error::<T>::UnknownOffer)?.provider;
		// The order is for what it got: an immediate-or-cancel order may fill fewer units.
		order.terms.units = units;
		let id = Self::store_order(&mut order, funding)?;
		Self::award(
			id,
			&mut order,
			Award { provider, unit_price: clearing.price, units, offer: Some(offer_id) },
		)?;
		Ok(examined)
	}

	/// Opens the lease for `order`'s award and records the order as leased.
	pub(crate) fn award(
		id: OrderId,
		order: &mut OrderOf<T>,
		award: Award<T::AccountId, BalanceOf<T>>,
	) -> DispatchResult {
		let lease_price =
			award.unit_price.checked_mul(&award.units.into()).ok_or(Error::<T>::PriceOverflow)?;
		// Checked again at the price cleared, which a second-price auction sets above the bid.
		ensure!(T::Providers::can_take_lease(&award.provider, lease_price), Error::<T>::AtCapacity);
		if let Some(offer) = award.offer {
			Self::take_from_offer(offer, award.units)?;
		}
		T::Leases::open_lease(
			id,
			&order.tenant,
			&award.provider,
			lease_price,
			order.terms.duration,
			order.terms.sla.unwrap_or_else(T::SlaDefaults::get),
		)?;
		order.state = OrderState::Leased { provider: award.provider.clone() };
		order.standing_offer = None;
		Orders::<T>::insert(id, &*order);
		Self::deposit_event(Event::OrderMatched {
			order: id,
			provider: award.provider,
			unit_price: award.unit_price,
			units: award.units,
			lease_price,
			offer: award.offer,
		});
		Ok(())
	}

	/// The matching hook: closes every order whose window ended, oldest block first, as far
	/// as the budget allows; the rest waits for the next block, in the same order.
	pub(crate) fn match_closing_orders(now: BlockNumberFor<T>) -> Weight {
		let mut meter = WeightMeter::with_limit(T::MatchingBudget::get());
		let mut block = MatchingCursor::<T>::get().unwrap_or(now);
		while block <= now {
			if meter.try_consume(T::WeightInfo::match_bucket()).is_err() {
				break;
			}
			let closing = ClosingAt::<T>::take(block);
			let mut matched = 0usize;
			for id in closing.iter() {
				let order = Orders::<T>::get(id);
				let auditors = order.as_ref().map_or(0, |order| order.terms.auditors.len());
				let bids = Bids::<T>::decode_len(id).unwrap_or(0);
				let cost = Self::match_order_weight(
					u32::try_from(bids).unwrap_or(u32::MAX),
					u32::try_from(auditors).unwrap_or(u32::MAX),
				);
				if meter.try_consume(cost).is_err() {
					break;
				}
				if let Some(order) = order {
					Self::close_order(*id, order);
				}
				matched = matched.saturating_add(1);
			}
			if let Some(rest) = closing.get(matched..).filter(|rest| !rest.is_empty()) {
				let remaining = u32::try_from(rest.len()).unwrap_or(u32::MAX);
				// A suffix of a bounded vector fits the same bound.
				ClosingAt::<T>::insert(block, BoundedVec::truncate_from(rest.to_vec()));
				Self::deposit_event(Event::MatchingDeferred { block, remaining });
				break;
			}
			block = block.saturating_add(One::one());
		}
		MatchingCursor::<T>::put(block);
		meter.consumed()
	}

	/// Closes one order: the lowest eligible price among its bids and standing offer wins. A
	/// winner that cannot take the lease after all makes way for the next candidate, priced
	/// again among those left; with no candidate left the order expires. Each outcome is
	/// applied whole or not at all.
	fn close_order(id: OrderId, mut order: OrderOf<T>) {
		let bids = Bids::<T>::take(id);
		let units = order.terms.units;
		let mut awards = alloc::vec::Vec::with_capacity(bids.len().saturating_add(1));
		let mut candidates = alloc::vec::Vec::with_capacity(awards.capacity());
		for bid in bids {
			let eligible = Self::eligibility(
				&order,
				&order.requirement,
				units,
				bid.price,
				&bid.provider,
				None,
			);
			if eligible.is_ok() {
				candidates.push(Candidate { price: bid.price, sequence: bid.sequence });
				awards.push((bid.provider, None));
			}
		}
		if let Some(offer_id) = order.standing_offer {
			let now = frame_system::Pallet::<T>::block_number();
			let offer = Offers::<T>::get(offer_id).filter(|offer| {
				offer.units >= units
					&& offer.available_from <= now
					&& now <= offer.available_until
					&& Self::offer_eligibility(&order, offer, units).is_ok()
			});
			if let Some(offer) = offer {
				candidates.push(Candidate { price: offer.price, sequence: offer.sequence });
				awards.push((offer.provider, Some(offer_id)));
			}
		}
		while let Some(clearing) = clear(&candidates, order.terms.clearing, order.terms.max_price) {
			let winner = clearing.winner;
			let Some((provider, offer)) = awards.get(winner).cloned() else { break };
			let award = Award { provider, unit_price: clearing.price, units, offer };
			match with_storage_layer(|| Self::award(id, &mut order, award)) {
				Ok(()) => return,
				Err(error) => {
					Self::deposit_event(Event::MatchFailed { order: id, error });
					candidates.remove(winner);
					awards.remove(winner);
				},
			}
		}
		match with_storage_layer(|| Self::remove_unleased(id, &order)) {
			Ok(()) => Self::deposit_event(Event::OrderExpired { order: id }),
			Err(error) => Self::deposit_event(Event::MatchFailed { order: id, error }),
		}
	}
}
