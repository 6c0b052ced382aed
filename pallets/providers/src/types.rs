//! Storage types of the providers pallet.

use crate::Config;
use ccre_primitives::ResourceSet;
use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, traits::fungible};
use frame_system::pallet_prelude::BlockNumberFor;

pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A hash of a provider's attributes, which an auditor's signature covers.
pub type AttributesHash = [u8; 32];

/// A registered provider.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[scale_info(skip_type_params(MaxHostUriLen, MaxContactLen))]
pub struct ProviderRecord<Balance, BlockNumber, MaxHostUriLen: Get<u32>, MaxContactLen: Get<u32>> {
	/// The URI of the provider's manifest gateway, e.g. `https://provider.example:8443`.
	pub host_uri: BoundedVec<u8, MaxHostUriLen>,
	/// What the provider offers; always names a region.
	pub attributes: ResourceSet,
	/// How to reach the provider's operators.
	pub contact: BoundedVec<u8, MaxContactLen>,
	/// The deposit held for this record.
	pub deposit: Balance,
	/// When the provider registered.
	pub registered_at: BlockNumber,
}

pub type ProviderRecordOf<T> = ProviderRecord<
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as Config>::MaxHostUriLen,
	<T as Config>::MaxContactLen,
>;

/// Stake on its way out: withdrawable from `unlock_at`, slashable until then.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub struct UnlockChunk<Balance, BlockNumber> {
	pub value: Balance,
	pub unlock_at: BlockNumber,
}

/// A provider's stake. Everything in it is held from the provider's balance under
/// [`crate::HoldReason::Stake`]; `try_state` checks the two agree.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[scale_info(skip_type_params(MaxChunks))]
pub struct StakeLedger<Balance, BlockNumber, MaxChunks: Get<u32>> {
	/// Bonded and counting toward the minimum stake to bid.
	pub active: Balance,
	/// Unbonding, in the order unbonded (so by `unlock_at`).
	pub unlocking: BoundedVec<UnlockChunk<Balance, BlockNumber>, MaxChunks>,
}

pub type StakeLedgerOf<T> =
	StakeLedger<BalanceOf<T>, BlockNumberFor<T>, <T as Config>::MaxUnlockingChunks>;

/// An approved auditor's signature on a provider's attributes.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Attestation<Balance, BlockNumber> {
	/// The hash of the attributes signed; the signature lapses when the provider changes them.
	pub attributes_hash: AttributesHash,
	/// When the auditor signed.
	pub signed_at: BlockNumber,
	/// The deposit held from the auditor for this record.
	pub deposit: Balance,
}

pub type AttestationOf<T> = Attestation<BalanceOf<T>, BlockNumberFor<T>>;
