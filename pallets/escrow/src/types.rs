//! Storage types of the escrow pallet.

use crate::Config;
use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, traits::fungible};
use frame_system::pallet_prelude::BlockNumberFor;

/// The balance of the currency escrowed funds are held in.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A payment stream: `rate` per block to `payee`, paid up to `settled_at`.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Stream<AccountId, Balance, BlockNumber> {
	/// Who is paid: the provider serving the deployment.
	pub payee: AccountId,
	/// What each block costs, take included; never zero.
	pub rate: Balance,
	/// The block the stream has been paid up to.
	pub settled_at: BlockNumber,
	/// The last block it pays for, if the lease has a duration.
	pub ends_at: Option<BlockNumber>,
}

/// The funds held for one deployment. Everything in `balance` is held from `owner` under
/// [`crate::HoldReason::Escrow`]; `try_state` checks the two agree.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct EscrowAccount<AccountId, Balance, BlockNumber> {
	/// The tenant whose funds these are, and who gets back what is not paid out.
	pub owner: AccountId,
	/// What is held for the deployment and not yet paid.
	pub balance: Balance,
	/// Everything paid out over the account's life, take included.
	pub paid: Balance,
	/// The payment stream, once the lease has started.
	pub stream: Option<Stream<AccountId, Balance, BlockNumber>>,
	/// The block the sweep next settles the stream at; `Some` exactly when there is a stream,
	/// matching its one [`crate::Due`] entry.
	pub due_at: Option<BlockNumber>,
}

/// A stream as stored.
pub type StreamOf<T> =
	Stream<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

/// An escrow account as stored.
pub type EscrowAccountOf<T> =
	EscrowAccount<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

/// Earnings from one settlement window, held until `vests_at`.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub struct VestingChunk<Balance, BlockNumber> {
	/// The block from which they are the provider's.
	pub vests_at: BlockNumber,
	/// What the tenant paid for them, take included: the most a claim can take back.
	pub paid: Balance,
	/// The provider's part of `paid`, still held on the tenant; never more than `paid`.
	pub earned: Balance,
}

/// A lease's earnings not yet handed to its provider, oldest first. Everything in `earned` is
/// held from `owner` under [`crate::HoldReason::Escrow`].
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[scale_info(skip_type_params(MaxChunks))]
pub struct VestingLedger<AccountId, Balance, BlockNumber, MaxChunks: Get<u32>> {
	/// The tenant the funds are held on.
	pub owner: AccountId,
	/// The provider they vest to.
	pub payee: AccountId,
	/// Earnings by the block they vest at, in increasing order.
	pub chunks: BoundedVec<VestingChunk<Balance, BlockNumber>, MaxChunks>,
	/// A claim on the lease is pending: nothing vests until it is decided.
	pub disputed: bool,
}

/// A vesting ledger as stored.
pub type VestingLedgerOf<T> = VestingLedger<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as Config>::MaxVestingChunks,
>;
