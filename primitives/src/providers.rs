//! What the rest of CCRE needs to know about providers: the interfaces the market, lease and
//! SLA pallets call, and the views the runtime API returns to auditors, the daemon and the
//! CLI.

use crate::ResourceSet;
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_runtime::{DispatchError, DispatchResult, Perbill};

/// Why a provider's stake was slashed; recorded in the `Slashed` event.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum SlashReason {
	/// The provider missed heartbeats for a lease it was paid to serve.
	MissedHeartbeats,
	/// Arbitrators upheld a tenant's claim against the provider.
	UpheldClaim,
}

/// How a lease ended, from the provider's side, for its reputation.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum LeaseOutcome {
	/// The lease was served as agreed.
	Success,
	/// The provider failed the lease: never started it, broke the SLA, or lost a claim.
	Failure,
}

/// Read access to the provider registry, for the market (bid eligibility) and anyone else.
pub trait ProviderInspect<AccountId, Balance> {
	/// The attributes a registered provider offers; `None` if `who` is not registered.
	fn attributes(who: &AccountId) -> Option<ResourceSet>;
	/// Stake bonded and not unbonding: what counts toward the minimum stake to bid.
	fn active_stake(who: &AccountId) -> Balance;
	/// Whether `who` is registered and has at least the minimum stake to bid.
	fn can_bid(who: &AccountId) -> bool;
	/// Whether `who` may take on one more lease at `price` per block: under its lease limit,
	/// with active stake to back its active leases and this one.
	fn can_take_lease(who: &AccountId, price: Balance) -> bool;
	/// Whether `auditor` is an approved auditor whose signature covers `provider`'s current
	/// attributes.
	fn is_attested_by(provider: &AccountId, auditor: &AccountId) -> bool;
	/// The provider's reputation score in [0, 1]; one half for a provider with no history.
	fn reputation(who: &AccountId) -> Perbill;
}

/// Slashing a provider's stake into a beneficiary (the insurance pool).
pub trait StakeSlashing<AccountId, Balance> {
	/// All of `provider`'s stake that can be slashed: active and unbonding.
	fn slashable(provider: &AccountId) -> Balance;
	/// Moves `amount` of `provider`'s stake, active first and then unbonding, to
	/// `beneficiary`. Fails, changing nothing, if the provider has less than `amount` staked.
	fn slash(
		provider: &AccountId,
		amount: Balance,
		beneficiary: &AccountId,
		reason: SlashReason,
	) -> DispatchResult;
}

/// Feeding lease outcomes into a provider's reputation.
pub trait ReputationRecorder<AccountId, Balance> {
	/// Records that a lease worth `value` ended with `outcome`. Outcomes for an account that
	/// was never registered are an error, so a caller's bug cannot invent reputation.
	fn record_outcome(
		provider: &AccountId,
		outcome: LeaseOutcome,
		value: Balance,
	) -> Result<(), DispatchError>;
}

/// The leases a provider is serving: none to deregister, and what they are worth for the stake
/// that must back them. The lease pallet implements it.
pub trait ActiveLeases<AccountId, Balance> {
	/// How many leases `provider` is serving now.
	fn active_leases(provider: &AccountId) -> u32;
	/// What `provider`'s active leases pay per block, together.
	fn committed_price(provider: &AccountId) -> Balance;
	/// Whether `provider` is under the most active leases one provider may hold.
	fn has_room(provider: &AccountId) -> bool;
}

/// A provider's stake as the runtime API reports it.
#[derive(Encode, Decode, TypeInfo, Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct StakeView<Balance, BlockNumber> {
	/// Bonded and counting toward the minimum stake.
	pub active: Balance,
	/// Unbonding: `(amount, block from which it can be withdrawn)`. Still slashable.
	pub unlocking: Vec<(Balance, BlockNumber)>,
}

/// An auditor's signature on a provider's attributes.
#[derive(Encode, Decode, TypeInfo, Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct AttestationView<AccountId, BlockNumber> {
	/// The auditor who signed.
	pub auditor: AccountId,
	/// When the auditor signed.
	pub signed_at: BlockNumber,
	/// Whether the signature counts: the auditor is still approved and the provider has not
	/// changed its attributes since.
	pub valid: bool,
}

/// A provider's reputation as the runtime API reports it.
#[derive(Encode, Decode, TypeInfo, Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct ReputationView<BlockNumber> {
	/// Discounted, value-weighted successes, as a `FixedU128` inner value (10^18 = one).
	pub successes: u128,
	/// Discounted, value-weighted failures, as a `FixedU128` inner value.
	pub failures: u128,
	/// The block the counts were last discounted to.
	pub updated_at: BlockNumber,
	/// The beta reputation score `(successes + 1) / (successes + failures + 2)`, discounted
	/// to the block the view was taken at.
	pub score: Perbill,
}

/// Everything an auditor wants to know about a provider.
#[derive(Encode, Decode, TypeInfo, Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct ProviderView<AccountId, Balance, BlockNumber> {
	/// The provider's account.
	pub account: AccountId,
	/// The URI of the provider's manifest gateway.
	#[serde(with = "crate::serde_text")]
	pub host_uri: Vec<u8>,
	/// What the provider offers, including its region.
	pub attributes: ResourceSet,
	/// How to reach the provider's operators.
	#[serde(with = "crate::serde_text")]
	pub contact: Vec<u8>,
	/// The deposit held for the registration.
	pub deposit: Balance,
	/// When the provider registered.
	pub registered_at: BlockNumber,
	/// Its stake.
	pub stake: StakeView<Balance, BlockNumber>,
	/// Whether it may bid: registered with at least the minimum stake.
	pub can_bid: bool,
	/// Auditors' signatures on its attributes.
	pub attestations: Vec<AttestationView<AccountId, BlockNumber>>,
	/// Its reputation.
	pub reputation: ReputationView<BlockNumber>,
}
