//! # Leases
//!
//! One lease per matched order: the agreement that `provider` runs the order's deployment for
//! `tenant` at `price` per block. Its id is the order's id, which is also the id of the escrow
//! account that pays for it.
//!
//! - The order book opens it through [`ccre_primitives::LeaseOpener`] once the escrow account
//!   is funded.
//! - The provider calls [`Pallet::start`] once it has deployed the manifest; that starts the
//!   escrow's payment stream.
//! - Either side closes it with a [`CloseReason`] it may give ([`Pallet::close`]); the escrow
//!   settles and refunds the rest, and the outcome feeds the provider's reputation.
//! - The chain closes it by itself when the provider did not start it within
//!   `ManifestTimeout` blocks (neutral for its reputation), when its duration is over (`Expired`), or when the
//!   escrow tells it the funds ran out ([`ccre_primitives::OnFundsExhausted`]).
//! - A closed lease stays readable for `ClosedLeaseRetention` blocks, the window for claims,
//!   and is then reaped by anyone ([`Pallet::reap`]), which also removes the order and returns
//!   the tenant's order deposit; the tenant may reap its own lease at once.
//!
//! Each lease has at most one pending deadline, kept in per-block buckets ([`Deadlines`]) that
//! `on_initialize` works through under a weight budget, resuming from a cursor when a block's
//! budget runs out, so no deadline is ever skipped.
//!
//! The calls are thin: their logic lives in `features/`, one file per feature.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod features;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmark_actors;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

#[cfg(feature = "runtime-benchmarks")]
pub use benchmark_actors::LeaseActors;
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use ccre_primitives::{CloseReason, Deployments, Escrow, OrderId, ReputationRecorder};
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::AtLeast32BitUnsigned;

	#[cfg(feature = "runtime-benchmarks")]
	use ccre_primitives::MarketBenchmarkHelper;

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The balance type of prices and settlements. The lease pallet moves no money
		/// itself; the escrow does.
		type Balance: Parameter + Member + MaxEncodedLen + AtLeast32BitUnsigned + Copy + Default;

		/// The escrow accounts that pay for leases.
		type Escrow: Escrow<Self::AccountId, Self::Balance, BlockNumberFor<Self>>;

		/// The order book, told when a reaped lease's order can go.
		type Deployments: Deployments<Self::AccountId>;

		/// Told when a lease is reaped or a provider's last active lease ends (the SLA pallet
		/// forgets their heartbeats).
		type OnReaped: ccre_primitives::OnLeaseReaped<Self::AccountId>;

		/// Where lease outcomes are recorded (the providers' reputation).
		type Reputation: ReputationRecorder<Self::AccountId, Self::Balance>;

		/// Market parameter: blocks a provider has to start a lease after the match.
		type ManifestTimeout: Get<BlockNumberFor<Self>>;

		/// Market parameter: blocks a closed lease stays before anyone but its tenant may
		/// reap it; the window for claims against it.
		type ClosedLeaseRetention: Get<BlockNumberFor<Self>>;

		/// The most weight `on_initialize` may spend on deadlines in one block; the rest
		/// carries over to the next block.
		type DeadlineBudget: Get<Weight>;

		/// The most active leases one provider can hold.
		#[pallet::constant]
		type MaxLeasesPerProvider: Get<u32>;

		/// Weights of this pallet's calls, hook and interfaces.
		type WeightInfo: WeightInfo;

		/// Sets up funded tenants and eligible providers for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: MarketBenchmarkHelper<Self::AccountId, Self::Balance>;
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Leases by id (their order's id), open or closed and not yet reaped.
	#[pallet::storage]
	pub type Leases<T: Config> = StorageMap<_, Blake2_128Concat, OrderId, LeaseOf<T>>;

	/// Pending deadlines: the lease ids due at each block. A lease has at most one entry, at
	/// the block its `deadline` names.
	#[pallet::storage]
	pub type Deadlines<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BlockNumberFor<T>, Blake2_128Concat, OrderId, ()>;

	/// The oldest block whose deadlines may not have been processed yet; `None` before the
	/// first block, meaning the current block.
	#[pallet::storage]
	pub type DeadlineCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, OptionQuery>;

	/// The leases in state `Active` per provider and what they pay per block together, which
	/// the provider's stake must back; never stored for a provider without one.
	#[pallet::storage]
	pub type ProviderLoads<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, ProviderLoad<T::Balance>, OptionQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A match opened a lease; the provider has `ManifestTimeout` blocks to start it.
		Opened { lease: OrderId, tenant: T::AccountId, provider: T::AccountId, price: T::Balance },
		/// The provider started the lease; payment streams from `at`.
		Started { lease: OrderId, at: BlockNumberFor<T> },
		/// The lease closed for `reason` at `at`; its escrow paid `paid` in all and refunded
		/// `refunded` to the tenant.
		Closed {
			lease: OrderId,
			reason: CloseReason,
			at: BlockNumberFor<T>,
			paid: T::Balance,
			refunded: T::Balance,
		},
		/// The lease's escrow ran out at `at`; the provider was paid up to then.
		FundsExhausted { lease: OrderId, at: BlockNumberFor<T> },
		/// A closed lease was removed, with its order.
		Reaped { lease: OrderId },
		/// The deadline budget ran out; deadlines from block `from` on wait for the next block.
		DeadlinesDeferred { from: BlockNumberFor<T> },
		/// The chain could not close a lease whose deadline came; it tries again next block.
		CloseFailed { lease: OrderId, error: DispatchError },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No lease has this id.
		UnknownLease,
		/// Only the lease's provider may do this.
		NotProvider,
		/// The caller is neither the lease's tenant nor its provider.
		NotParticipant,
		/// The caller may not close the lease for this reason.
		NotAllowed,
		/// The lease is closed or out of funds.
		NotActive,
		/// The provider has already started the lease.
		AlreadyStarted,
		/// The lease is still active; close it first.
		StillActive,
		/// The lease closed too recently for anyone but its tenant to reap it.
		RetentionNotOver,
		/// A lease with this id exists already.
		LeaseExists,
		/// A lease must have a price.
		ZeroPrice,
		/// The provider already holds `MaxLeasesPerProvider` active leases.
		TooManyLeases,
		/// The provider's active leases together would pay more per block than a balance holds.
		PriceOverflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Closes the leases whose deadline came, within `DeadlineBudget`.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::process_deadlines(now)
		}

		fn integrity_test() {
			// A budget that cannot fit one deadline would defer them forever.
			let least =
				T::WeightInfo::deadline_bucket().saturating_add(T::WeightInfo::deadline_item());
			assert!(
				T::DeadlineBudget::get().all_gte(least),
				"DeadlineBudget must fit at least one deadline"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Marks the lease started, which starts paying the caller, its provider, from this
		/// block. The provider calls it once the manifest is deployed, before the manifest
		/// timeout.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::start())]
		pub fn start(origin: OriginFor<T>, lease: OrderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_start(who, lease)
		}

		/// Closes an active lease: the escrow pays what is due and refunds the rest, and the
		/// outcome goes to the provider's reputation. The tenant closes with
		/// [`CloseReason::Tenant`], the provider with a provider reason.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::close().saturating_add(
			<T::OnReaped as ccre_primitives::OnLeaseReaped<T::AccountId>>::weight()
		))]
		pub fn close(origin: OriginFor<T>, lease: OrderId, reason: CloseReason) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_close_as(who, lease, reason)
		}

		/// Removes a closed lease and its order, returning the tenant's order deposit. The
		/// tenant may reap at once; anyone else once `ClosedLeaseRetention` blocks have passed
		/// since it closed.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::reap().saturating_add(
			<T::OnReaped as ccre_primitives::OnLeaseReaped<T::AccountId>>::weight()
		))]
		pub fn reap(origin: OriginFor<T>, lease: OrderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_reap(who, lease)
		}
	}
}
