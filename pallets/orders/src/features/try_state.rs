//! The pallet's invariants, checked by `try-runtime` and after every unit test.

use crate::*;
use alloc::collections::btree_map::BTreeMap;
use ccre_primitives::{OrderState, OrderType};
use frame_support::{ensure, traits::fungible::InspectHold};
use sp_runtime::{traits::Saturating, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut order_deposits = BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		for (id, order) in Orders::<T>::iter() {
			ensure!(id < NextOrderId::<T>::get(), "an order id was never handed out");
			let total = order_deposits.entry(order.tenant.clone()).or_default();
			*total = total.saturating_add(order.deposit);
			if order.state == OrderState::Open {
				ensure!(
					order.terms.order_type == OrderType::GoodTillWindow,
					"only good-till-window orders wait for bids"
				);
				ensure!(
					ClosingAt::<T>::get(order.closes_at).contains(&id)
						|| MatchingCursor::<T>::get()
							.is_some_and(|cursor| cursor > order.closes_at),
					"an open order is not queued for matching"
				);
			} else {
				ensure!(!Bids::<T>::contains_key(id), "a leased order still has bids");
			}
		}
		for (tenant, total) in order_deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::OrderDeposit.into(), &tenant) == total,
				"order deposits held differ from the orders stored"
			);
		}
		for (id, bids) in Bids::<T>::iter() {
			ensure!(
				Orders::<T>::get(id).is_some_and(|order| order.state == OrderState::Open),
				"bids on an order that is not open"
			);
			for bid in bids {
				ensure!(
					BidDeposits::<T>::get(&bid.provider).iter().any(|(order, _)| *order == id),
					"a bid without its deposit"
				);
			}
		}
		for (provider, deposits) in BidDeposits::<T>::iter() {
			let total = deposits
				.iter()
				.fold(BalanceOf::<T>::default(), |sum, (_, deposit)| sum.saturating_add(*deposit));
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::BidDeposit.into(), &provider) == total,
				"bid deposits held differ from the record"
			);
		}
		let mut offer_deposits = BTreeMap::<T::AccountId, (BalanceOf<T>, u32)>::new();
		for (id, offer) in Offers::<T>::iter() {
			ensure!(id < NextOfferId::<T>::get(), "an offer id was never handed out");
			ensure!(offer.units > 0, "an empty offer is kept");
			let entry = offer_deposits.entry(offer.provider.clone()).or_default();
			entry.0 = entry.0.saturating_add(offer.deposit);
			entry.1 = entry.1.saturating_add(1);
		}
		let book = OfferBook::<T>::get();
		ensure!(book.len() as u32 == Offers::<T>::count(), "the offer book and the offers differ");
		ensure!(
			book.windows(2).all(|pair| (pair[0].0, pair[0].1) < (pair[1].0, pair[1].1)),
			"the offer book is not cheapest first"
		);
		for (price, sequence, id) in book {
			ensure!(
				Offers::<T>::get(id)
					.is_some_and(|offer| offer.price == price && offer.sequence == sequence),
				"the offer book lists an offer as it is not"
			);
		}
		ensure!(
			OfferCount::<T>::iter().count() == offer_deposits.len(),
			"offer counts for providers without offers"
		);
		for (provider, (deposit, count)) in offer_deposits {
			ensure!(OfferCount::<T>::get(&provider) == count, "offer count differs");
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::OfferDeposit.into(), &provider)
					== deposit,
				"offer deposits held differ from the offers stored"
			);
		}
		for (_, closing) in ClosingAt::<T>::iter() {
			for id in closing {
				ensure!(
					Orders::<T>::get(id).is_some_and(|order| order.state == OrderState::Open),
					"a queued order is not open"
				);
			}
		}
		Ok(())
	}
}
