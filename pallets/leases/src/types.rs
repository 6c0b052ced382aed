//! Storage types of the leases pallet.

use crate::Config;
use ccre_primitives::{LeaseState, SlaTerms};
use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;

/// A lease: `provider` runs the deployment of order `id` for `tenant` at `price` per block.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Lease<AccountId, Balance, BlockNumber> {
	/// Who pays.
	pub tenant: AccountId,
	/// Who serves.
	pub provider: AccountId,
	/// What the tenant pays per block once the lease is started.
	pub price: Balance,
	/// When the match opened it.
	pub created_at: BlockNumber,
	/// When the provider started it.
	pub started_at: Option<BlockNumber>,
	/// How long it runs once started; `None` until closed or out of funds.
	pub duration: Option<BlockNumber>,
	/// Active, out of funds or closed.
	pub state: LeaseState<BlockNumber>,
	/// The block of its one pending entry in [`crate::Deadlines`]: the manifest timeout
	/// before it is started, its expiry after (none if open-ended), none once closed.
	pub deadline: Option<BlockNumber>,
	/// The service level promised to the tenant.
	pub sla: SlaTerms,
}

pub type LeaseOf<T> =
	Lease<<T as frame_system::Config>::AccountId, <T as Config>::Balance, BlockNumberFor<T>>;

/// A provider's active leases: how many, and what they pay per block together.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct ProviderLoad<Balance> {
	/// Leases in state `Active`.
	pub leases: u32,
	/// Their prices per block, summed.
	pub price: Balance,
}
