//! # SLA
//!
//! What a tenant gets back when a provider fails it, and where that money comes from.
//!
//! - **Heartbeats.** Time is cut into epochs of `EpochLength` blocks. Once per epoch a
//!   provider sends one [`Pallet::heartbeat`] naming the started leases it is serving. An epoch
//!   in which a lease was not named is an epoch of downtime for it, whether the provider left
//!   it out or sent nothing. A valid heartbeat is free (`Pays::No`); an invalid one, or a
//!   second one in the same epoch, pays its fee, so they cannot be spammed for free.
//! - **The insurance pool** is one account: it receives the market's insurance share of every
//!   payment (from escrow), slashed provider stake, and forfeited claim deposits.
//!   Underwriters add to it with [`Pallet::underwrite`] and get pool shares; what a share is
//!   worth grows with the take and shrinks with payouts, so underwriters earn a share of the
//!   take in proportion to what they put in and bear the payouts in the same proportion. The
//!   funds the pool had before its first underwriter stay the market's own. Shares can be
//!   withdrawn once `LockUp` blocks have passed since the underwriter's last deposit.
//! - **Downtime claims** ([`Pallet::claim_downtime`]) cover every whole epoch since the lease
//!   started or since the last claim. If the lease was served in fewer of them than its SLA
//!   promises, the tenant is paid at once: the SLA's credit rate of the price of each missed
//!   epoch. No one has to decide anything.
//! - **Disputed claims** ([`Pallet::file_claim`]) are for everything heartbeats cannot show.
//!   The tenant names an amount and the hash of its evidence and puts down a deposit; the
//!   provider may answer with its own evidence ([`Pallet::answer_claim`]); the arbitration
//!   origin, a council of arbitrators chosen by governance, upholds it with an award or
//!   rejects it ([`Pallet::decide_claim`]), not before the provider has answered or had
//!   `AnswerPeriod` blocks to. A rejected claim forfeits its deposit to the pool.
//! - **Payouts.** A claim is worth at most what the lease paid that is still at risk: the
//!   provider's earnings are held on the tenant for `VestingPeriod` blocks (the escrow pallet),
//!   and a claim takes back from them first, so the provider pays for the very blocks it failed.
//!   What the earnings do not cover (the market's take on them) is slashed from the provider's
//!   stake into the pool, which then pays the tenant, never more than it holds above its
//!   existential deposit. A provider and a tenant acting together therefore never take out more
//!   than they paid in. Each breach and upheld claim is a failure in the provider's reputation,
//!   weighted by its worth. A pending disputed claim holds the lease's earnings back from
//!   vesting until it is decided, and what it could cost the pool counts against what
//!   underwriters redeem meanwhile.
//!
//! The calls are thin; their logic lives in `features/`, one file per feature.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod features;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use ccre_primitives::{
		EarningsAtRisk, EpochIndex, LeaseInspect, OrderId, ReputationRecorder, StakeSlashing,
	};
	use frame_support::{pallet_prelude::*, traits::fungible};
	use frame_system::pallet_prelude::*;

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency of the pool, payouts and claim deposits.
		type Currency: fungible::Inspect<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The leases claims are made against.
		type Leases: LeaseInspect<Self::AccountId, BalanceOf<Self>, BlockNumberFor<Self>>;

		/// The leases' earnings still at risk: a breach is paid from them first.
		type Earnings: EarningsAtRisk<BalanceOf<Self>>;

		/// Providers' stake, slashed into the pool for breaches and upheld claims.
		type Stake: StakeSlashing<Self::AccountId, BalanceOf<Self>>;

		/// Where breaches and upheld claims are recorded (the providers' reputation).
		type Reputation: ReputationRecorder<Self::AccountId, BalanceOf<Self>>;

		/// Decides disputed claims: the arbitrators' council.
		type ArbitrationOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The insurance pool's account, the one escrow pays the insurance share into. Must
		/// exist: the runtime endows it.
		#[pallet::constant]
		type Pool: Get<Self::AccountId>;

		/// Blocks per epoch. Fixed: changing it would move every epoch already counted.
		#[pallet::constant]
		type EpochLength: Get<u32>;

		/// The most leases one heartbeat can name; at least the most a provider can hold.
		#[pallet::constant]
		type MaxHeartbeatLeases: Get<u32>;

		/// Market parameter: blocks an underwriter's funds stay in after its last deposit.
		type LockUp: Get<BlockNumberFor<Self>>;

		/// Market parameter: the least an underwriter may deposit at once.
		type MinUnderwriting: Get<BalanceOf<Self>>;

		/// Market parameter: what a tenant puts down to file a disputed claim.
		type ClaimDeposit: Get<BalanceOf<Self>>;

		/// Market parameter: blocks a provider has to answer a claim before the arbitrators
		/// may decide it without an answer.
		type AnswerPeriod: Get<BlockNumberFor<Self>>;

		/// Weights of this pallet's calls and interface.
		type WeightInfo: WeightInfo;

		/// Sets up funded accounts and eligible providers for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: ccre_primitives::MarketBenchmarkHelper<Self::AccountId, BalanceOf<Self>>
			+ ccre_primitives::LeaseBenchmarkHelper<Self::AccountId, BalanceOf<Self>>;
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// What the pallet holds funds for.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A tenant's deposit on a disputed claim, forfeited to the pool if it is rejected.
		ClaimDeposit,
	}

	/// The last epoch each provider sent a heartbeat in.
	#[pallet::storage]
	pub type LastHeartbeat<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, EpochIndex>;

	/// Heartbeats counted for each started lease since its last claim; absent until its first
	/// heartbeat or claim, and removed when the lease is reaped.
	#[pallet::storage]
	pub type Uptime<T: Config> = StorageMap<_, Blake2_128Concat, OrderId, UptimeRecord>;

	/// All pool shares: the underwriters' and the market's own.
	#[pallet::storage]
	pub type TotalShares<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Each underwriter's shares of the pool and when it may withdraw them.
	#[pallet::storage]
	pub type Underwriters<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, UnderwritingOf<T>>;

	/// The id the next disputed claim gets.
	#[pallet::storage]
	pub type NextClaimId<T: Config> = StorageValue<_, ClaimId, ValueQuery>;

	/// Disputed claims awaiting a decision.
	#[pallet::storage]
	pub type Claims<T: Config> = StorageMap<_, Blake2_128Concat, ClaimId, ClaimOf<T>>;

	/// The one pending disputed claim of each lease that has one.
	#[pallet::storage]
	pub type PendingClaim<T: Config> = StorageMap<_, Blake2_128Concat, OrderId, ClaimId>;

	/// What pending disputed claims could take from the pool beyond what their leases' held
	/// earnings cover, together: underwriters leaving now redeem net of it, so no one escapes a
	/// payout by leaving as soon as a claim is filed.
	#[pallet::storage]
	pub type PendingExposure<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `provider` reported serving `leases` leases in `epoch`.
		Heartbeat { provider: T::AccountId, epoch: EpochIndex, leases: u32 },
		/// `underwriter` put `amount` into the pool for `shares` shares, locked until
		/// `unlocks_at`.
		Underwritten {
			underwriter: T::AccountId,
			amount: BalanceOf<T>,
			shares: BalanceOf<T>,
			unlocks_at: BlockNumberFor<T>,
		},
		/// `underwriter` redeemed `shares` shares for `amount`.
		UnderwritingWithdrawn {
			underwriter: T::AccountId,
			shares: BalanceOf<T>,
			amount: BalanceOf<T>,
		},
		/// A downtime claim on `lease` found it served in `served` of `epochs` whole epochs,
		/// below its SLA: worth `credit` (at most what the lease paid that is still at risk),
		/// of which `clawed_back` came back from the provider's held earnings and the pool paid
		/// `paid`, after slashing `slashed` of the provider's stake into it.
		DowntimeCompensated {
			lease: OrderId,
			tenant: T::AccountId,
			provider: T::AccountId,
			epochs: u32,
			served: u32,
			credit: BalanceOf<T>,
			clawed_back: BalanceOf<T>,
			paid: BalanceOf<T>,
			slashed: BalanceOf<T>,
		},
		/// The tenant of `lease` disputed it for `amount`, with evidence hashing to
		/// `evidence`.
		ClaimFiled {
			claim: ClaimId,
			lease: OrderId,
			tenant: T::AccountId,
			amount: BalanceOf<T>,
			evidence: EvidenceHash,
		},
		/// The provider answered `claim` with evidence hashing to `evidence`.
		ClaimAnswered { claim: ClaimId, evidence: EvidenceHash },
		/// The arbitrators upheld `claim` with `award` (at most what the lease paid that is
		/// still at risk): `clawed_back` came back from the provider's held earnings, the pool
		/// paid `paid` after slashing `slashed` of the provider's stake into it; the deposit
		/// went back to the tenant.
		ClaimUpheld {
			claim: ClaimId,
			award: BalanceOf<T>,
			clawed_back: BalanceOf<T>,
			paid: BalanceOf<T>,
			slashed: BalanceOf<T>,
		},
		/// The arbitrators rejected `claim`; its deposit, `forfeited`, went to the pool.
		ClaimRejected { claim: ClaimId, forfeited: BalanceOf<T> },
		/// The tenant withdrew `claim` and got its deposit back.
		ClaimWithdrawn { claim: ClaimId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No lease has this id (or it was reaped).
		UnknownLease,
		/// Only the lease's tenant may do this.
		NotTenant,
		/// Only the lease's provider may do this.
		NotProvider,
		/// A heartbeat named a lease the caller is not serving: not its own, not started, or
		/// closed.
		NotServing,
		/// A heartbeat named a lease twice.
		DuplicateLease,
		/// A heartbeat must name at least one lease.
		NoLeases,
		/// The provider already sent this epoch's heartbeat.
		AlreadyReported,
		/// The lease was never started, so no SLA applies to it yet.
		NotStarted,
		/// Every whole epoch of the lease has been claimed already.
		PeriodAlreadyClaimed,
		/// No whole epoch of the lease has passed yet.
		NoWholeEpoch,
		/// The lease was served as often as its SLA promises: nothing is owed.
		SlaMet,
		/// The credit or a share amount overflows.
		Overflow,
		/// An underwriting deposit is below `MinUnderwriting`.
		BelowMinimum,
		/// The amount would buy or redeem no share, or nothing.
		ZeroShares,
		/// The pool holds nothing while its shares are outstanding; it takes deposits again
		/// once the take or a slash refills it.
		PoolDepleted,
		/// The caller has no pool shares.
		NotUnderwriter,
		/// The underwriter has fewer shares than it asked to withdraw.
		InsufficientShares,
		/// The underwriter's lock-up is not over.
		StillLocked,
		/// A claim must be for something.
		ZeroAmount,
		/// A claim asks for more than the lease paid that is still at risk: earnings vest to
		/// the provider `VestingPeriod` blocks after they are paid, and are no longer claimable.
		AboveAtRisk,
		/// Nothing the lease paid is still at risk: its earnings have vested.
		NothingAtRisk,
		/// The lease has a disputed claim pending already.
		ClaimPending,
		/// No pending claim has this id.
		UnknownClaim,
		/// The provider answered this claim already.
		AlreadyAnswered,
		/// An award cannot exceed what was claimed.
		AwardAboveClaim,
		/// The provider has neither answered nor had `AnswerPeriod` blocks to.
		AnswerPeriodOpen,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::EpochLength::get() > 0, "EpochLength must be at least one block");
			assert!(T::MaxHeartbeatLeases::get() > 0, "a heartbeat must name a lease");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Reports the started leases the caller serves, once per epoch. Leases it leaves out
		/// are down for this epoch. Free when valid.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::heartbeat(leases.len() as u32))]
		pub fn heartbeat(
			origin: OriginFor<T>,
			leases: BoundedVec<OrderId, T::MaxHeartbeatLeases>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_heartbeat(who, leases)
		}

		/// Puts `amount` into the insurance pool for shares of it, locked for `LockUp` blocks
		/// (all of the caller's shares, from this deposit).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::underwrite())]
		pub fn underwrite(origin: OriginFor<T>, amount: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_underwrite(who, amount)
		}

		/// Redeems `shares` of the caller's pool shares for their part of the pool, once the
		/// lock-up is over.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::withdraw_underwriting())]
		pub fn withdraw_underwriting(origin: OriginFor<T>, shares: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_underwriting(who, shares)
		}

		/// The tenant claims for the lease's downtime: every whole epoch since it started or
		/// was last claimed. Paid at once if the lease was served less than its SLA promises.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::claim_downtime())]
		pub fn claim_downtime(origin: OriginFor<T>, lease: OrderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim_downtime(who, lease)
		}

		/// The tenant disputes the lease for `amount`, with the hash of its evidence, putting
		/// down `ClaimDeposit`. The arbitrators decide.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::file_claim())]
		pub fn file_claim(
			origin: OriginFor<T>,
			lease: OrderId,
			amount: BalanceOf<T>,
			evidence: EvidenceHash,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_file_claim(who, lease, amount, evidence)
		}

		/// The provider answers a claim against it with the hash of its evidence.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::answer_claim())]
		pub fn answer_claim(
			origin: OriginFor<T>,
			claim: ClaimId,
			evidence: EvidenceHash,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_answer_claim(who, claim, evidence)
		}

		/// The arbitrators' decision on a claim: upheld with an award up to the amount
		/// claimed, or rejected.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::decide_claim())]
		pub fn decide_claim(
			origin: OriginFor<T>,
			claim: ClaimId,
			ruling: RulingOf<T>,
		) -> DispatchResult {
			T::ArbitrationOrigin::ensure_origin(origin)?;
			Self::do_decide_claim(claim, ruling)
		}

		/// The tenant withdraws its pending claim and gets its deposit back.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::withdraw_claim())]
		pub fn withdraw_claim(origin: OriginFor<T>, claim: ClaimId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_claim(who, claim)
		}
	}
}
