//! # Escrow
//!
//! The money side of a CCRE deployment. Each deployment (one order, one lease, one
//! [`OrderId`](ccre_primitives::OrderId)) has an escrow account holding its tenant's funds:
//! they stay in the tenant's own account, held under [`HoldReason::Escrow`], so they cannot be
//! spent elsewhere but are never pooled. Anyone may top an account up with [`Pallet::deposit`];
//! a third party's deposit becomes the tenant's held funds.
//!
//! Once the provider starts the lease, the account streams `rate` per block to it. The stream
//! is settled whenever the account is touched (a deposit, [`Pallet::settle`], closing) and at
//! least every `SettlementInterval` blocks by a sweep in `on_initialize`, so a provider is
//! never owed more than an interval's worth. Each payment is split three ways: the market's
//! take (`TakeRate` of it) goes `InsuranceShare` to the insurance pool and the rest to the
//! treasury; the provider gets what is left.
//!
//! ## Earnings vest
//!
//! The provider's part of each payment is not handed over at once: it stays held on the tenant,
//! earmarked for the provider in the lease's [`Vesting`] ledger, for `VestingPeriod` blocks. While
//! it is held, an SLA claim can take it back ([`ccre_primitives::EarningsAtRisk`]): a credit for
//! downtime comes first from what the provider was paid for the very blocks it failed, so a
//! provider and a tenant acting together cannot take more out of the insurance pool than they
//! put in. Vested earnings go to the provider at the next settlement, by
//! [`Pallet::release_vested`], or all at once when the lease is reaped and no claim can reach it.
//!
//! When the funds run out, the stream ends at that exact block: the provider is paid up to it
//! and not a block more, the remainder (less than one block's rate) goes back to the tenant,
//! the account is removed, and `OnFundsExhausted` tells the lease pallet so it closes the
//! lease at that block. Settling late (a deferred sweep) changes nothing about this, since
//! settlement never goes past the block the funds run out at.
//!
//! ## Sweep
//!
//! Every streaming account has one entry in [`Due`], under the block it must next be settled
//! at: the earlier of its next interval and the block it runs out. `on_initialize` walks the
//! blocks from [`SweepCursor`] to the current one, settling or closing each due account,
//! within `SweepBudget`. What does not fit stays put and the cursor stays at that block, so
//! the next block carries on from the oldest work and nothing is dropped. A transfer that fails
//! inside the sweep does not abort the block: the account is reported with
//! [`Event::SettlementFailed`] and tried again an interval later.
//!
//! ## Layout
//!
//! The calls are thin; their logic lives in `features/`, one file per feature. The interface
//! the order and lease pallets use, [`ccre_primitives::Escrow`], is implemented in
//! `features/interfaces.rs`; the queries the runtime API serves are [`Pallet::escrow_view`] and
//! [`Pallet::balance_of`].
//!
//! Market parameters (the take rate, the insurance share, the settlement interval) are read
//! through `Get`s so the runtime can hand them to governance.

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

pub use features::EscrowViewOf;
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use ccre_primitives::{OnFundsExhausted, OrderId};
	use frame_support::{pallet_prelude::*, traits::fungible};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{traits::Zero, Perbill};

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency escrowed funds are held in.
		type Currency: fungible::Inspect<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Told when an account runs out and the chain closes it, so the lease closes too.
		type OnFundsExhausted: OnFundsExhausted<BalanceOf<Self>, BlockNumberFor<Self>>;

		/// Where the treasury's part of the take goes. Must exist: the runtime endows it.
		#[pallet::constant]
		type Treasury: Get<Self::AccountId>;

		/// Where the insurance pool's part of the take goes. Must exist: the runtime endows it.
		#[pallet::constant]
		type InsurancePool: Get<Self::AccountId>;

		/// Market parameter: the fraction of each payment the market keeps.
		type TakeRate: Get<Perbill>;

		/// Market parameter: the fraction of the take that goes to the insurance pool; the rest
		/// goes to the treasury.
		type InsuranceShare: Get<Perbill>;

		/// Market parameter: the most blocks a stream goes unsettled (zero counts as one).
		type SettlementInterval: Get<BlockNumberFor<Self>>;

		/// Market parameter: blocks a provider's earnings stay held, where claims can take them
		/// back, before they are its own.
		type VestingPeriod: Get<BlockNumberFor<Self>>;

		/// The most vesting chunks one lease keeps; later settlements merge into the last one.
		#[pallet::constant]
		type MaxVestingChunks: Get<u32>;

		/// The most weight the `on_initialize` sweep may use in one block. It must fit at least
		/// one bucket and one item, or the sweep never progresses.
		#[pallet::constant]
		type SweepBudget: Get<Weight>;

		/// Weights of this pallet's calls, sweep and interface.
		type WeightInfo: WeightInfo;

		/// Sets up owners, depositors and payees for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: ccre_primitives::MarketBenchmarkHelper<
			Self::AccountId,
			BalanceOf<Self>,
		>;
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// What the pallet holds funds for.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A tenant's funds for a deployment, not yet paid out.
		Escrow,
	}

	/// Escrow accounts, by the deployment they pay for.
	#[pallet::storage]
	pub type Accounts<T: Config> = StorageMap<_, Blake2_128Concat, OrderId, EscrowAccountOf<T>>;

	/// The provider's earnings from each lease that have not been handed over yet, held on the
	/// tenant: by lease, outliving its escrow account until they vest or the lease is reaped.
	#[pallet::storage]
	pub type Vesting<T: Config> = StorageMap<_, Blake2_128Concat, OrderId, VestingLedgerOf<T>>;

	/// The sweep's schedule: each streaming account once, under the block it is next due at
	/// (its `due_at`).
	#[pallet::storage]
	pub type Due<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BlockNumberFor<T>, Blake2_128Concat, OrderId, ()>;

	/// The oldest block whose [`Due`] entries may not all be processed yet. `None` until the
	/// first sweep, which then starts at its own block rather than at genesis.
	#[pallet::storage]
	pub type SweepCursor<T: Config> = StorageValue<_, BlockNumberFor<T>>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An account was opened for `order`, holding `amount` of `owner`'s funds.
		Opened { order: OrderId, owner: T::AccountId, amount: BalanceOf<T> },
		/// `from` added `amount` to `order`'s account.
		Deposited { order: OrderId, from: T::AccountId, amount: BalanceOf<T> },
		/// `order`'s account started paying `payee` `rate` per block.
		StreamStarted { order: OrderId, payee: T::AccountId, rate: BalanceOf<T> },
		/// `order`'s stream was paid up to `settled_to`: `to_provider` to the payee, the take
		/// split into `to_treasury` and `to_pool`.
		Settled {
			order: OrderId,
			to_provider: BalanceOf<T>,
			to_treasury: BalanceOf<T>,
			to_pool: BalanceOf<T>,
			settled_to: BlockNumberFor<T>,
		},
		/// `order`'s account was closed, having paid `paid` in all; `refunded` went back to
		/// its owner.
		Closed { order: OrderId, paid: BalanceOf<T>, refunded: BalanceOf<T> },
		/// `order`'s account ran out at block `at` and was closed, having paid `paid` in all;
		/// `refunded`, less than a block's rate, went back to its owner.
		FundsExhausted {
			order: OrderId,
			at: BlockNumberFor<T>,
			paid: BalanceOf<T>,
			refunded: BalanceOf<T>,
		},
		/// The sweep could not settle `order`'s account; it is tried again an interval later.
		SettlementFailed { order: OrderId, error: DispatchError },
		/// The sweep ran out of budget; it carries on from block `from` in the next block.
		SweepDeferred { from: BlockNumberFor<T> },
		/// `amount` of the provider's earnings from `order` vested and went to `payee`.
		EarningsReleased { order: OrderId, payee: T::AccountId, amount: BalanceOf<T> },
		/// A claim took back `amount` of `order`'s payments; `returned` of it, the provider's
		/// unvested earnings, went back to the tenant.
		EarningsClawedBack { order: OrderId, amount: BalanceOf<T>, returned: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No escrow account for this order.
		UnknownAccount,
		/// The order already has an escrow account.
		AccountExists,
		/// An amount of zero.
		ZeroAmount,
		/// A stream rate of zero.
		ZeroRate,
		/// The account is already streaming.
		StreamExists,
		/// The account is not streaming yet.
		NoStream,
		/// An amount overflowed.
		Overflow,
		/// The account's funds ran out before this block: it is closed by the next sweep, and
		/// nothing can be added to it.
		FundsRanOut,
		/// No earnings of this lease have vested.
		NothingVested,
		/// A claim asked for more than the lease's payments still at risk.
		AboveAtRisk,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::sweep(now)
		}

		fn integrity_test() {
			assert!(T::MaxVestingChunks::get() >= 2, "MaxVestingChunks must be at least two");
			let one_item = T::WeightInfo::sweep_bucket().saturating_add(Self::sweep_item_weight());
			assert!(
				T::SweepBudget::get().all_gte(one_item),
				"SweepBudget must fit a bucket and an item, or the sweep never progresses"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Adds `amount` of the caller's funds to `order`'s account, held on its owner. Anyone
		/// may pay for a deployment. What is due is settled first, so the deposit only extends
		/// the stream from now on.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::deposit())]
		pub fn deposit(
			origin: OriginFor<T>,
			order: OrderId,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deposit(who, order, amount)
		}

		/// Settles `order`'s stream to the current block, or closes the account if its funds
		/// have run out. Anyone may call it.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::settle().saturating_add(T::OnFundsExhausted::weight()))]
		pub fn settle(origin: OriginFor<T>, order: OrderId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_settle(order)
		}

		/// Hands the provider the earnings of `order` that have vested, whether or not its
		/// lease is still running. Anyone may call it.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::release_vested())]
		pub fn release_vested(origin: OriginFor<T>, order: OrderId) -> DispatchResult {
			ensure_signed(origin)?;
			let released = Self::release_vested_of(order)?;
			ensure!(!released.is_zero(), Error::<T>::NothingVested);
			Ok(())
		}
	}
}
