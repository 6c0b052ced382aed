//! Providers' bids, and the deposits they reclaim once the orders have closed.

use crate::*;
use ccre_primitives::{OrderId, OrderState, OrderType};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision},
};
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_place_bid(
		provider: T::AccountId,
		id: OrderId,
		price: BalanceOf<T>,
	) -> DispatchResultWithPostInfo {
		let order = Orders::<T>::get(id).ok_or(Error::<T>::UnknownOrder)?;
		ensure!(order.state == OrderState::Open, Error::<T>::OrderNotOpen);
		ensure!(order.terms.order_type == OrderType::GoodTillWindow, Error::<T>::OrderNotOpen);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < order.closes_at, Error::<T>::BidWindowClosed);
		ensure!(!price.is_zero(), Error::<T>::ZeroPrice);
		ensure!(price <= order.terms.max_price, Error::<T>::PriceAboveMaximum);
		Self::eligibility(&order, &order.requirement, order.terms.units, price, &provider, None)
			.map_err(Error::<T>::from)?;
		let mut bids = Bids::<T>::get(id);
		ensure!(bids.iter().all(|bid| bid.provider != provider), Error::<T>::AlreadyBid);
		// A full order keeps its cheapest bids: the dearest (the latest among equals) makes way
		// for a cheaper one, so bidders cannot squat the list.
		let evicted = if bids.is_full() {
			let dearest = bids
				.iter()
				.enumerate()
				.max_by_key(|(_, bid)| (bid.price, bid.sequence))
				.map(|(index, bid)| (index, bid.price));
			match dearest {
				Some((index, dearest)) if price < dearest => Some(bids.remove(index).provider),
				_ => return Err(Error::<T>::TooManyBids.into()),
			}
		} else {
			None
		};
		let bid = Bid { provider: provider.clone(), price, placed_at: now, sequence: 0 };
		bids.try_push(bid).map_err(|_| Error::<T>::TooManyBids)?;
		let deposit = T::BidDeposit::get();
		BidDeposits::<T>::try_mutate(&provider, |deposits| deposits.try_push((id, deposit)))
			.map_err(|_| Error::<T>::TooManyOpenBids)?;
		T::Currency::hold(&HoldReason::BidDeposit.into(), &provider, deposit)?;
		if let Some(placed) = bids.last_mut() {
			placed.sequence = Self::next_sequence();
		}
		Bids::<T>::insert(id, bids);
		if let Some(evicted) = evicted {
			Self::deposit_event(Event::BidEvicted { order: id, provider: evicted });
		}
		Self::deposit_event(Event::BidPlaced { order: id, provider, price });
		let auditors = u32::try_from(order.terms.auditors.len()).unwrap_or(u32::MAX);
		Ok(Some(Self::place_bid_weight(auditors)).into())
	}

	pub(crate) fn do_withdraw_bid(provider: T::AccountId, id: OrderId) -> DispatchResult {
		// A bid stands once the window closes, even while matching is deferred: otherwise a
		// bidder could watch the others and pull out of an auction that is over.
		let order = Orders::<T>::get(id).ok_or(Error::<T>::UnknownOrder)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < order.closes_at, Error::<T>::BidWindowClosed);
		let mut bids = Bids::<T>::get(id);
		let index =
			bids.iter().position(|bid| bid.provider == provider).ok_or(Error::<T>::NoBid)?;
		bids.remove(index);
		if bids.is_empty() {
			Bids::<T>::remove(id);
		} else {
			Bids::<T>::insert(id, bids);
		}
		let mut deposits = BidDeposits::<T>::get(&provider);
		let held = deposits.iter().position(|(order, _)| *order == id).ok_or(Error::<T>::NoBid)?;
		let (_, deposit) = deposits.remove(held);
		Self::store_bid_deposits(&provider, deposits);
		T::Currency::release(&HoldReason::BidDeposit.into(), &provider, deposit, Precision::Exact)?;
		Self::deposit_event(Event::BidWithdrawn { order: id, provider });
		Ok(())
	}

	pub(crate) fn do_reclaim_bid_deposits(provider: T::AccountId) -> DispatchResultWithPostInfo {
		let deposits = BidDeposits::<T>::get(&provider);
		let examined = u32::try_from(deposits.len()).unwrap_or(u32::MAX);
		// A bid is settled once it is no longer on its order: the order closed or was
		// cancelled, and its bids were cleared.
		let (settled, open): (alloc::vec::Vec<_>, alloc::vec::Vec<_>) =
			deposits.into_iter().partition(|(order, _)| {
				Bids::<T>::get(order).iter().all(|bid| bid.provider != provider)
			});
		ensure!(!settled.is_empty(), Error::<T>::NothingToReclaim);
		let amount = settled
			.iter()
			.fold(BalanceOf::<T>::zero(), |total, (_, deposit)| total.saturating_add(*deposit));
		// What is left is a subset of a bounded list.
		Self::store_bid_deposits(&provider, BoundedVec::truncate_from(open));
		T::Currency::release(&HoldReason::BidDeposit.into(), &provider, amount, Precision::Exact)?;
		Self::deposit_event(Event::BidDepositsReclaimed {
			provider,
			bids: u32::try_from(settled.len()).unwrap_or(u32::MAX),
			amount,
		});
		Ok(Some(T::WeightInfo::reclaim_bid_deposits(examined)).into())
	}

	fn store_bid_deposits(
		provider: &T::AccountId,
		deposits: BoundedVec<(OrderId, BalanceOf<T>), T::MaxOpenBidsPerProvider>,
	) {
		if deposits.is_empty() {
			BidDeposits::<T>::remove(provider);
		} else {
			BidDeposits::<T>::insert(provider, deposits);
		}
	}
}
