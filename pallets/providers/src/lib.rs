//! # Providers
//!
//! The supply side of the CCRE market. A provider registers what it offers (its gateway's
//! URI, its attributes including its region, a contact) against a deposit; approved auditors
//! sign those attributes; the provider bonds stake, which other pallets slash into the
//! insurance pool when it fails tenants; and every lease outcome feeds a beta reputation
//! that orders can require a minimum of.
//!
//! The calls are thin: each one's logic lives in `features/`, one file per feature. The
//! interfaces other pallets use ([`ccre_primitives::ProviderInspect`],
//! [`ccre_primitives::StakeSlashing`], [`ccre_primitives::ReputationRecorder`]) are
//! implemented in `features/interfaces.rs`; the reputation arithmetic is in [`reputation`].
//!
//! Market parameters (deposits, minimum stake, unbonding period, reputation discounting) are
//! read through `Get`s so the runtime can hand them to governance.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod features;
pub mod reputation;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(feature = "runtime-benchmarks")]
mod market_actors;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use features::{ProviderViewOf, MAX_PROVIDERS_PAGE};
#[cfg(feature = "runtime-benchmarks")]
pub use market_actors::MarketActors;
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use crate::reputation::Reputation;
	use ccre_primitives::{ActiveLeases, Capacities, LeaseOutcome, Properties, SlashReason};
	use frame_support::{pallet_prelude::*, traits::fungible};
	use frame_system::pallet_prelude::*;
	use sp_runtime::Perbill;

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency deposits and stake are held in.
		type Currency: fungible::Inspect<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The origin that approves and removes auditors (governance).
		type AuditorOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The leases a provider serves: deregistration needs none, and the stake must back
		/// what they pay.
		type ActiveLeases: ActiveLeases<Self::AccountId, BalanceOf<Self>>;

		/// The longest gateway URI, in bytes.
		#[pallet::constant]
		type MaxHostUriLen: Get<u32>;

		/// The longest contact, in bytes.
		#[pallet::constant]
		type MaxContactLen: Get<u32>;

		/// The most auditors, and so the most attestations one provider can carry.
		#[pallet::constant]
		type MaxAuditors: Get<u32>;

		/// The most unbonding chunks a ledger holds at once.
		#[pallet::constant]
		type MaxUnlockingChunks: Get<u32>;

		/// The largest outcome weight one lease can contribute to a reputation.
		#[pallet::constant]
		type MaxOutcomeWeight: Get<u32>;

		/// Market parameter: the deposit for a registration, before its size is counted.
		type RegistrationDeposit: Get<BalanceOf<Self>>;

		/// Market parameter: the deposit per byte of a stored registration.
		type DepositPerByte: Get<BalanceOf<Self>>;

		/// Market parameter: the deposit an auditor pays per attestation.
		type AttestationDeposit: Get<BalanceOf<Self>>;

		/// Market parameter: the active stake a provider needs to bid.
		type MinimumStake: Get<BalanceOf<Self>>;

		/// Market parameter: blocks between unbonding and withdrawing stake.
		type UnbondingPeriod: Get<BlockNumberFor<Self>>;

		/// Market parameter: the collateral ratio, in blocks: a provider's active stake must
		/// cover this many blocks of what its active leases pay together (and at least the
		/// minimum stake) while it serves them, so claims against them have stake to slash.
		type CollateralBlocks: Get<BlockNumberFor<Self>>;

		/// Market parameter: blocks per reputation discount step.
		type ReputationPeriod: Get<BlockNumberFor<Self>>;

		/// Market parameter: the fraction of a reputation kept at each discount step.
		type ReputationRetention: Get<Perbill>;

		/// Market parameter: the lease value that counts as one outcome in a reputation.
		type ReputationValueUnit: Get<BalanceOf<Self>>;

		/// Weights of this pallet's calls and interfaces.
		type WeightInfo: WeightInfo;
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// What the pallet holds funds for.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A provider's registration deposit.
		ProviderDeposit,
		/// A provider's stake, active or unbonding.
		Stake,
		/// An auditor's deposit for an attestation.
		AttestationDeposit,
	}

	/// Registered providers.
	#[pallet::storage]
	pub type Providers<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, T::AccountId, ProviderRecordOf<T>>;

	/// Stake ledgers. A ledger outlives its provider's registration while stake unbonds.
	#[pallet::storage]
	pub type Stakes<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, StakeLedgerOf<T>>;

	/// Approved auditors, with the block they were approved at.
	#[pallet::storage]
	pub type Auditors<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, T::AccountId, BlockNumberFor<T>>;

	/// Attestations, by provider and auditor.
	#[pallet::storage]
	pub type Attestations<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::AccountId,
		AttestationOf<T>,
	>;

	/// The number of attestations each provider carries, at most `MaxAuditors`.
	#[pallet::storage]
	pub type AttestationCount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Reputations. Kept across deregistration, so re-registering does not wash a record.
	#[pallet::storage]
	pub type Reputations<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Reputation<BlockNumberFor<T>>, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A provider registered, holding `deposit`.
		ProviderRegistered { provider: T::AccountId, deposit: BalanceOf<T> },
		/// A provider changed its registration; its deposit is now `deposit`.
		ProviderUpdated { provider: T::AccountId, deposit: BalanceOf<T> },
		/// A provider deregistered; its deposit was released and its active stake began
		/// unbonding.
		ProviderDeregistered { provider: T::AccountId, deposit: BalanceOf<T> },
		/// Stake bonded.
		Bonded { provider: T::AccountId, amount: BalanceOf<T> },
		/// Stake started unbonding; withdrawable from `unlock_at`.
		Unbonded { provider: T::AccountId, amount: BalanceOf<T>, unlock_at: BlockNumberFor<T> },
		/// Unbonded stake returned to the provider's free balance.
		Withdrawn { provider: T::AccountId, amount: BalanceOf<T> },
		/// Stake slashed into `beneficiary`.
		Slashed {
			provider: T::AccountId,
			amount: BalanceOf<T>,
			beneficiary: T::AccountId,
			reason: SlashReason,
		},
		/// Governance approved an auditor.
		AuditorAdded { auditor: T::AccountId },
		/// Governance removed an auditor; its attestations no longer count.
		AuditorRemoved { auditor: T::AccountId },
		/// An auditor signed a provider's current attributes.
		Attested { provider: T::AccountId, auditor: T::AccountId },
		/// An auditor's signature was withdrawn (by the auditor, or on deregistration).
		AttestationWithdrawn { provider: T::AccountId, auditor: T::AccountId },
		/// A lease outcome was recorded; the provider's score is now `score`.
		OutcomeRecorded {
			provider: T::AccountId,
			outcome: LeaseOutcome,
			value: BalanceOf<T>,
			score: Perbill,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already a registered provider.
		AlreadyRegistered,
		/// The account is not a registered provider.
		NotRegistered,
		/// The gateway URI is empty.
		EmptyHostUri,
		/// An attribute is named twice.
		DuplicateAttribute,
		/// An attribute value is empty.
		EmptyAttributeValue,
		/// An attribute value is longer than the resource model allows.
		AttributeValueTooLong,
		/// The attributes do not name a region.
		MissingRegion,
		/// The provider is serving leases and cannot deregister.
		HasActiveLeases,
		/// The account's free balance cannot cover the deposit or stake.
		InsufficientBalance,
		/// An amount of zero.
		ZeroAmount,
		/// Unbonding more than the active stake.
		InsufficientActiveStake,
		/// The stake left would not back the provider's active leases.
		CollateralRequired,
		/// Slashing more than the provider has staked.
		InsufficientStake,
		/// No unbonded stake has reached its unlock block.
		NothingToWithdraw,
		/// Too many unbonding chunks; withdraw the unlocked ones first.
		TooManyUnlockingChunks,
		/// The account is already an approved auditor.
		AlreadyAuditor,
		/// The account is not an approved auditor.
		NotAuditor,
		/// `MaxAuditors` auditors are already approved.
		TooManyAuditors,
		/// The auditor has already signed the provider's current attributes.
		AlreadyAttested,
		/// The auditor has no attestation for the provider.
		NotAttested,
		/// The provider already carries `MaxAuditors` attestations.
		TooManyAttestations,
		/// An amount overflowed.
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers the caller as a provider, holding a deposit for the record's size.
		///
		/// `capacities` and `properties` are the attributes it offers (the resource model in
		/// `ccre-primitives`); `properties` must name a region.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register())]
		pub fn register(
			origin: OriginFor<T>,
			host_uri: BoundedVec<u8, T::MaxHostUriLen>,
			capacities: Capacities,
			properties: Properties,
			contact: BoundedVec<u8, T::MaxContactLen>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register(who, host_uri, capacities, properties, contact)
		}

		/// Replaces the caller's registration, adjusting its deposit. Changing the attributes
		/// lapses auditors' signatures until they sign again.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update())]
		pub fn update(
			origin: OriginFor<T>,
			host_uri: BoundedVec<u8, T::MaxHostUriLen>,
			capacities: Capacities,
			properties: Properties,
			contact: BoundedVec<u8, T::MaxContactLen>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update(who, host_uri, capacities, properties, contact)
		}

		/// Deregisters the caller, which must serve no lease: releases its deposit and its
		/// auditors' deposits, and starts unbonding its active stake.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::deregister(T::MaxAuditors::get()))]
		pub fn deregister(origin: OriginFor<T>) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let attestations = Self::do_deregister(who)?;
			Ok(Some(T::WeightInfo::deregister(attestations)).into())
		}

		/// Bonds `amount` more stake, held from the caller's free balance.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::bond())]
		pub fn bond(
			origin: OriginFor<T>,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_bond(who, amount)
		}

		/// Starts unbonding `amount` of active stake; it stays slashable until withdrawable
		/// after the unbonding period. What remains must back the provider's active leases.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::unbond())]
		pub fn unbond(
			origin: OriginFor<T>,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unbond(who, amount)
		}

		/// Returns every unbonding chunk that has reached its unlock block to the caller.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::withdraw_unbonded())]
		pub fn withdraw_unbonded(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_unbonded(who)
		}

		/// Approves `auditor`. Governance only.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::add_auditor())]
		pub fn add_auditor(origin: OriginFor<T>, auditor: T::AccountId) -> DispatchResult {
			T::AuditorOrigin::ensure_origin(origin)?;
			Self::do_add_auditor(auditor)
		}

		/// Removes `auditor`; its attestations stop counting at once. Governance only.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::remove_auditor())]
		pub fn remove_auditor(origin: OriginFor<T>, auditor: T::AccountId) -> DispatchResult {
			T::AuditorOrigin::ensure_origin(origin)?;
			Self::do_remove_auditor(auditor)
		}

		/// Signs `provider`'s current attributes as the calling auditor, holding a deposit.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::attest())]
		pub fn attest(origin: OriginFor<T>, provider: T::AccountId) -> DispatchResult {
			let auditor = ensure_signed(origin)?;
			Self::do_attest(auditor, provider)
		}

		/// Withdraws the caller's attestation of `provider` and releases its deposit. Works
		/// for auditors who have since been removed.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::withdraw_attestation())]
		pub fn withdraw_attestation(
			origin: OriginFor<T>,
			provider: T::AccountId,
		) -> DispatchResult {
			let auditor = ensure_signed(origin)?;
			Self::do_withdraw_attestation(auditor, provider)
		}
	}
}
