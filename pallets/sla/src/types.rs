//! Storage and call types of the SLA pallet.

use crate::Config;
use ccre_primitives::{EpochIndex, OrderId};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, traits::fungible};
use frame_system::pallet_prelude::BlockNumberFor;

/// The balance of the pool's currency; pool shares are counted in it too.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// Identifies a disputed claim.
pub type ClaimId = u64;

/// The hash of a claim's or an answer's evidence, kept off chain.
pub type EvidenceHash = [u8; 32];

/// The heartbeats counted for a lease since its last claim.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub struct UptimeRecord {
	/// The first epoch the next claim covers.
	pub counted_from: EpochIndex,
	/// Epochs from `counted_from` on in which the lease was reported.
	pub served: u32,
	/// The last epoch the lease was reported in.
	pub last_served: Option<EpochIndex>,
}

/// An underwriter's stake in the pool.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub struct Underwriting<Balance, BlockNumber> {
	/// Its pool shares.
	pub shares: Balance,
	/// The first block it may withdraw them.
	pub unlocks_at: BlockNumber,
}

pub type UnderwritingOf<T> = Underwriting<BalanceOf<T>, BlockNumberFor<T>>;

/// A disputed claim awaiting the arbitrators.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Claim<AccountId, Balance, BlockNumber> {
	/// The lease disputed.
	pub lease: OrderId,
	/// Who claims, and is paid if it is upheld.
	pub tenant: AccountId,
	/// Who answers for it, and is slashed if it is upheld.
	pub provider: AccountId,
	/// What the tenant claims.
	pub amount: Balance,
	/// The lease's price per block, the least an upheld claim weighs in reputation.
	pub price: Balance,
	/// The hash of the tenant's evidence.
	pub evidence: EvidenceHash,
	/// The hash of the provider's evidence, once it answered.
	pub answer: Option<EvidenceHash>,
	/// When it was filed.
	pub filed_at: BlockNumber,
	/// What the tenant holds on it.
	pub deposit: Balance,
	/// What it could take from the pool beyond the lease's held earnings, counted in
	/// [`crate::PendingExposure`] while it is pending.
	pub exposure: Balance,
}

pub type ClaimOf<T> =
	Claim<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

/// The arbitrators' decision on a claim.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum Ruling<Balance> {
	/// The claim stands: the tenant is paid `award`, at most what it claimed.
	Uphold { award: Balance },
	/// The claim fails: its deposit goes to the pool.
	Reject,
}

pub type RulingOf<T> = Ruling<BalanceOf<T>>;
