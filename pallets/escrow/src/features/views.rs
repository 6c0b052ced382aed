//! What the runtime API shows tenants, providers and the CLI.

use crate::*;
use ccre_primitives::{EscrowView, OrderId};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Saturating;

/// An escrow account as the runtime API reports it.
pub type EscrowViewOf<T> =
	EscrowView<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

impl<T: Config> Pallet<T> {
	/// `order`'s account as if settled to the current block, without writing anything.
	pub fn escrow_view(order: OrderId) -> Option<EscrowViewOf<T>> {
		let account = Accounts::<T>::get(order)?;
		let (balance, paid) = Self::projected(&account);
		Some(EscrowView {
			stream: account.stream.as_ref().map(|stream| (stream.payee.clone(), stream.rate)),
			blocks_left: account
				.stream
				.as_ref()
				.map(|stream| Self::blocks_covered(balance, stream.rate)),
			runs_out_at: Self::runs_out_at_of(&account),
			vesting: Self::vesting_of(order),
			owner: account.owner,
			balance,
			paid,
		})
	}

	/// What `order`'s account holds after paying what is due at the current block.
	pub fn balance_of(order: OrderId) -> Option<BalanceOf<T>> {
		Accounts::<T>::get(order).map(|account| Self::projected(&account).0)
	}

	/// The account's balance and total paid once settled to the current block.
	fn projected(account: &EscrowAccountOf<T>) -> (BalanceOf<T>, BalanceOf<T>) {
		let now = frame_system::Pallet::<T>::block_number();
		match Self::owed(account, now) {
			Ok(Some((_, due))) => {
				(account.balance.saturating_sub(due), account.paid.saturating_add(due))
			},
			_ => (account.balance, account.paid),
		}
	}
}
