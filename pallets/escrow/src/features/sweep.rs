//! The `on_initialize` sweep: settles or closes every account due, oldest block first, within
//! `SweepBudget`, carrying what does not fit over to the next block.

use crate::*;
use alloc::vec::Vec;
use ccre_primitives::{OnFundsExhausted, OrderId};
use frame_support::{pallet_prelude::*, storage::with_storage_layer, weights::WeightMeter};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{One, Saturating};

impl<T: Config> Pallet<T> {
	/// Processes the [`Due`] entries from [`SweepCursor`] to `now`, returning the weight used.
	pub(crate) fn sweep(now: BlockNumberFor<T>) -> Weight {
		let mut meter = WeightMeter::with_limit(T::SweepBudget::get());
		let item = Self::sweep_item_weight();
		let mut block = SweepCursor::<T>::get().unwrap_or(now);
		while block <= now {
			if meter.try_consume(T::WeightInfo::sweep_bucket()).is_err() {
				Self::defer(block);
				return meter.consumed();
			}
			let (orders, more) = Self::take_due(block, &mut meter, item);
			for order in orders {
				Self::sweep_one(block, order, now);
			}
			if more {
				Self::defer(block);
				return meter.consumed();
			}
			if block == now {
				break;
			}
			block = block.saturating_add(One::one());
		}
		SweepCursor::<T>::put(now.saturating_add(One::one()));
		meter.consumed()
	}

	/// What one due account can cost the sweep: the worst case, closing it and telling
	/// `OnFundsExhausted`.
	pub(crate) fn sweep_item_weight() -> Weight {
		T::WeightInfo::sweep_item().saturating_add(T::OnFundsExhausted::weight())
	}

	/// As many of `block`'s due orders as `meter` has room for, charged to it, and whether any
	/// are left. Collected before any is processed, since processing writes to [`Due`].
	fn take_due(
		block: BlockNumberFor<T>,
		meter: &mut WeightMeter,
		item: Weight,
	) -> (Vec<OrderId>, bool) {
		let mut orders = Vec::new();
		let mut due = Due::<T>::iter_key_prefix(block);
		loop {
			if !meter.can_consume(item) {
				return (orders, due.next().is_some());
			}
			match due.next() {
				Some(order) => {
					meter.consume(item);
					orders.push(order);
				},
				None => return (orders, false),
			}
		}
	}

	/// Settles or closes one due account. Never fails: if a transfer does, the account is
	/// reported and scheduled again an interval from now, with nothing else changed.
	fn sweep_one(block: BlockNumberFor<T>, order: OrderId, now: BlockNumberFor<T>) {
		// Removed outside the storage layer below, so a rollback cannot leave the entry behind
		// the cursor, where no sweep would find it again.
		Due::<T>::remove(block, order);
		let Some(mut account) = Accounts::<T>::get(order) else { return };
		if account.due_at == Some(block) {
			account.due_at = None;
		}
		let attempt = account.clone();
		let outcome = with_storage_layer(|| Self::settle_or_exhaust(order, attempt, now));
		if let Err(error) = outcome {
			Self::unschedule(order, &mut account);
			let retry = now.saturating_add(Self::interval());
			Due::<T>::insert(retry, order, ());
			account.due_at = Some(retry);
			Accounts::<T>::insert(order, account);
			Self::deposit_event(Event::SettlementFailed { order, error });
		}
	}

	/// Leaves the cursor at `block`, where the next block's sweep resumes.
	fn defer(block: BlockNumberFor<T>) {
		SweepCursor::<T>::put(block);
		Self::deposit_event(Event::SweepDeferred { from: block });
	}
}
