//! The book's invariants: each level's total is the lots of the orders resting at it; every
//! listed order rests where it says; every open order is on its owner's list; and the funds
//! held for buy orders are exactly what their unfilled lots need.

use crate::*;
use alloc::collections::BTreeMap;
use ccre_primitives::exchange::{Lots, Side};
use frame_support::{ensure, traits::fungible::InspectHold};
use sp_runtime::{
	traits::{Saturating, Zero},
	TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut resting = 0usize;
		for ((class, side), depth) in Depth::<T>::iter() {
			for (price, total) in depth.iter() {
				let ids = Levels::<T>::get((class, side, *price));
				ensure!(!ids.is_empty(), "a price level has no orders");
				let mut lots: Lots = 0;
				for id in ids.iter() {
					let order = Orders::<T>::get(id).ok_or("a listed order is gone")?;
					ensure!(order.resting, "a listed order is not resting");
					ensure!(
						(order.class, order.side, order.price) == (class, side, *price),
						"an order is listed at another level"
					);
					ensure!(order.lots > 0, "an empty order rests");
					lots = lots.checked_add(order.lots).ok_or("a level's lots overflow")?;
				}
				ensure!(lots == *total, "a level's total is not its orders' lots");
				resting = resting.saturating_add(ids.len());
			}
		}
		ensure!(
			Levels::<T>::iter_keys().count()
				== Depth::<T>::iter_values().map(|depth| depth.len()).sum::<usize>(),
			"a level is listed without its depth"
		);
		let mut purchases = BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		let mut open = 0usize;
		for (id, order) in Orders::<T>::iter() {
			open = open.saturating_add(1);
			ensure!(
				AccountOrders::<T>::get(&order.owner).contains(&id),
				"an order is not on its owner's list"
			);
			ensure!(order.lots > 0, "an order with no lots left is kept");
			match (&order.purchase, order.side) {
				(Some(purchase), Side::Buy) => {
					let needed = Self::purchase_funds(order.price, order.lots, purchase.duration);
					ensure!(needed == Some(purchase.held), "a buy order holds other than it needs");
					let sum = purchases.entry(order.owner.clone()).or_insert_with(Zero::zero);
					*sum = (*sum).saturating_add(purchase.held);
				},
				(None, Side::Sell) => {},
				_ => return Err("an order's purchase does not match its side".into()),
			}
		}
		ensure!(
			AccountOrders::<T>::iter_values().map(|ids| ids.len()).sum::<usize>() == open,
			"an account lists an order that is gone"
		);
		ensure!(resting <= open, "more orders rest than are open");
		for (owner, sum) in purchases {
			let held = T::Currency::balance_on_hold(&HoldReason::Purchase.into(), &owner);
			ensure!(held == sum, "the funds held for an account's buy orders differ");
		}
		Ok(())
	}
}
