//! The book: price levels in price order with the lots resting at each, and the orders at
//! each level oldest first.

use crate::*;
use ccre_primitives::exchange::{Lots, Price, Side};
use frame_support::{
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision},
};

impl<T: Config> Pallet<T> {
	/// The best price resting on `side` of `class`: the highest bid or the lowest ask.
	pub(crate) fn best_price(class: ClassId, side: Side) -> Option<Price> {
		let depth = Depth::<T>::get((class, side));
		match side {
			Side::Buy => depth.keys().next_back().copied(),
			Side::Sell => depth.keys().next().copied(),
		}
	}

	/// The oldest order resting at `price` on `side` of `class`.
	pub(crate) fn first_at(class: ClassId, side: Side, price: Price) -> Option<BookOrderId> {
		Levels::<T>::get((class, side, price)).first().copied()
	}

	/// Puts `order` on its book behind the orders already at its price, or says the book
	/// has no room: its side has `MaxLevels` prices and not this one, or its level
	/// `MaxOrdersPerLevel` orders.
	pub(crate) fn rest(id: BookOrderId, order: &mut BookOrderOf<T>) -> Result<(), Removal> {
		let side_key = (order.class, order.side);
		let mut depth = Depth::<T>::get(side_key);
		let lots = depth.get(&order.price).copied().unwrap_or(0);
		let lots = lots.checked_add(order.lots).ok_or(Removal::BookFull)?;
		depth.try_insert(order.price, lots).map_err(|_| Removal::BookFull)?;
		Levels::<T>::try_append((order.class, order.side, order.price), id)
			.map_err(|_| Removal::BookFull)?;
		Depth::<T>::insert(side_key, depth);
		order.resting = true;
		Orders::<T>::insert(id, &*order);
		Self::deposit_event(Event::OrderRested { order: id, lots: order.lots });
		Ok(())
	}

	/// Takes `lots` traded by the resting `order` off its level's total.
	pub(crate) fn reduce_level(order: &BookOrderOf<T>, lots: Lots) {
		Depth::<T>::mutate((order.class, order.side), |depth| {
			let left = depth.get(&order.price).map(|total| total.saturating_sub(lots));
			match left {
				Some(0) | None => {
					depth.remove(&order.price);
				},
				Some(left) => {
					if let Some(total) = depth.get_mut(&order.price) {
						*total = left;
					}
				},
			}
		});
	}

	/// Takes the resting `order`, with all its lots left, off its book.
	pub(crate) fn unlist(id: BookOrderId, order: &BookOrderOf<T>) {
		Self::reduce_level(order, order.lots);
		let level = (order.class, order.side, order.price);
		Levels::<T>::mutate_exists(level, |ids| {
			if let Some(list) = ids {
				list.retain(|listed| *listed != id);
				if list.is_empty() {
					*ids = None;
				}
			}
		});
	}

	/// Removes `order` for `reason`: off its book if it rests, off its owner's list, its
	/// deposit and the funds still held for its lots returned.
	pub(crate) fn remove_order(
		id: BookOrderId,
		order: BookOrderOf<T>,
		reason: Removal,
	) -> DispatchResult {
		if order.resting {
			Self::unlist(id, &order);
		}
		Self::deposit_event(Event::OrderRemoved { order: id, lots: order.lots, reason });
		Self::forget(id, &order)
	}

	/// Drops `order` from storage, off the book already, and returns what is held for it.
	pub(crate) fn forget(id: BookOrderId, order: &BookOrderOf<T>) -> DispatchResult {
		Orders::<T>::remove(id);
		AccountOrders::<T>::mutate(&order.owner, |ids| ids.retain(|listed| *listed != id));
		T::Currency::release(
			&HoldReason::OrderDeposit.into(),
			&order.owner,
			order.deposit,
			Precision::Exact,
		)?;
		if let Some(purchase) = &order.purchase {
			T::Currency::release(
				&HoldReason::Purchase.into(),
				&order.owner,
				purchase.held,
				Precision::Exact,
			)?;
		}
		Ok(())
	}
}
