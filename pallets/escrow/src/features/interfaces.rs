//! The interface the order and lease pallets use: opening an account, starting its stream,
//! closing it.

use crate::*;
use ccre_primitives::{Escrow, OrderId, Settlement};
use frame_support::{
	ensure, pallet_prelude::*, storage::with_storage_layer, traits::fungible::MutateHold,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Zero;

impl<T: Config> Escrow<T::AccountId, BalanceOf<T>, BlockNumberFor<T>> for Pallet<T> {
	fn open(order: OrderId, owner: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		ensure!(!Accounts::<T>::contains_key(order), Error::<T>::AccountExists);
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		T::Currency::hold(&HoldReason::Escrow.into(), owner, amount)?;
		Accounts::<T>::insert(
			order,
			EscrowAccount {
				owner: owner.clone(),
				balance: amount,
				paid: Zero::zero(),
				stream: None,
				due_at: None,
			},
		);
		Self::deposit_event(Event::Opened { order, owner: owner.clone(), amount });
		Ok(())
	}

	fn start_stream(
		order: OrderId,
		payee: &T::AccountId,
		rate: BalanceOf<T>,
		ends_at: Option<BlockNumberFor<T>>,
	) -> DispatchResult {
		let mut account = Accounts::<T>::get(order).ok_or(Error::<T>::UnknownAccount)?;
		ensure!(account.stream.is_none(), Error::<T>::StreamExists);
		ensure!(!rate.is_zero(), Error::<T>::ZeroRate);
		let now = frame_system::Pallet::<T>::block_number();
		account.stream = Some(Stream { payee: payee.clone(), rate, settled_at: now, ends_at });
		// A balance under one block's rate runs out at once; the next block's sweep closes it.
		Self::reschedule(order, &mut account, now);
		Accounts::<T>::insert(order, account);
		Self::deposit_event(Event::StreamStarted { order, payee: payee.clone(), rate });
		Ok(())
	}

	fn close(order: OrderId) -> Result<Settlement<BalanceOf<T>>, DispatchError> {
		// Its own storage layer: callers may close from hooks, outside any transaction.
		with_storage_layer(|| -> Result<_, DispatchError> {
			let mut account = Accounts::<T>::get(order).ok_or(Error::<T>::UnknownAccount)?;
			Self::settle_to(order, &mut account, frame_system::Pallet::<T>::block_number())?;
			let refunded = account.balance;
			Self::refund(&account.owner, refunded)?;
			Self::unschedule(order, &mut account);
			Accounts::<T>::remove(order);
			let paid = account.paid;
			Self::deposit_event(Event::Closed { order, paid, refunded });
			Ok(Settlement { paid, refunded })
		})
	}

	fn balance(order: OrderId) -> Option<BalanceOf<T>> {
		Self::balance_of(order)
	}

	fn release_earnings(order: OrderId) -> DispatchResult {
		Self::release_all_earnings(order)
	}
}
