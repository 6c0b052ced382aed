//! # Exchange
//!
//! The CCRE spot exchange. Governance defines standard resource classes — what one lot is
//! (say 1 vCPU and 4 GiB), where it is served, which auditors must have signed the seller, a
//! tick and the most lots an order trades — and each class has a book: tenants buy lots
//! with a limit price per lot per block, a manifest and a lease duration; providers eligible
//! for the class sell lots of their capacity. The book is a continuous double auction with
//! price-time priority; trades execute at the resting order's price; a fill opens a lease
//! per seller through the market of deployments ([`ccre_primitives::exchange::SpotDeployments`]),
//! served by the same gateway and daemon path as any deployment.
//!
//! Orders are matched at the start of the block after the one they are placed in, in the
//! order they were placed, so every cancel of a block takes effect before any order of that
//! block trades, and a cancelled order never fills. Matching is metered: what does not fit
//! in `MatchingBudget` waits for the next block, in the same order.
//!
//! Everything is bounded: price levels per side, orders per level, open orders per account,
//! orders waiting to be matched, expiries per block, and fills per order.

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

/// The most prints a band's reference can average.
pub const MAX_REFERENCE_PRINTS: u32 = 64;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use ccre_primitives::{
		exchange::{
			Band, Ewma, GenesisClass, Lots, Price, PrintSource, Side, SpotDeployments, TimeInForce,
			TradeTally,
		},
		AuditorRule, ManifestHash, ProviderInspect, ResourceSet, SlaTerms,
	};
	use frame_support::{pallet_prelude::*, traits::fungible};
	use frame_system::pallet_prelude::*;

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency deposits and buy orders' funds are held in.
		type Currency: fungible::Inspect<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Who defines and retires classes.
		type ClassOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The provider registry: attributes, stake, attestations, lease limits.
		type Providers: ProviderInspect<Self::AccountId, BalanceOf<Self>>;

		/// Opens the deployment a fill buys.
		type Deployments: SpotDeployments<Self::AccountId, BalanceOf<Self>, BlockNumberFor<Self>>;

		/// The most classes.
		#[pallet::constant]
		type MaxClasses: Get<u32>;

		/// The most auditors a class names.
		#[pallet::constant]
		type MaxClassAuditors: Get<u32>;

		/// The most price levels on one side of a class's book.
		#[pallet::constant]
		type MaxLevels: Get<u32>;

		/// The most orders resting at one price.
		#[pallet::constant]
		type MaxOrdersPerLevel: Get<u32>;

		/// The most orders one account has open, resting or waiting.
		#[pallet::constant]
		type MaxOpenOrdersPerAccount: Get<u32>;

		/// The most orders placed in one block, waiting for the next matching.
		#[pallet::constant]
		type MaxIncoming: Get<u32>;

		/// The most good-till-block orders expiring in one block.
		#[pallet::constant]
		type MaxExpiriesPerBlock: Get<u32>;

		/// The most resting orders one order trades with; what is left after that rests or
		/// is cancelled, as its time in force says.
		#[pallet::constant]
		type MaxFillsPerOrder: Get<u32>;

		/// The deposit for an order, returned when it leaves the book.
		#[pallet::constant]
		type OrderDeposit: Get<BalanceOf<Self>>;

		/// The most weight matching may use in a block.
		type MatchingBudget: Get<Weight>;

		/// The chain's block time, in milliseconds: intervals, halts and extensions are set
		/// in time and counted in blocks.
		type BlockTimeMillis: Get<u64>;

		/// The most prints kept per class; older ones are dropped.
		#[pallet::constant]
		type MaxPrints: Get<u32>;

		/// The most fills a reopening auction makes in one block; one with more goes on in
		/// the next, the class still halted.
		#[pallet::constant]
		type MaxAuctionFills: Get<u32>;

		/// Weights of this pallet's calls and hook.
		type WeightInfo: WeightInfo;

		/// Makes funded accounts and eligible providers for the benchmarks.
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
		/// An order's deposit.
		OrderDeposit,
		/// A buy order's funds for its unfilled lots.
		Purchase,
	}

	/// The id the next class gets.
	#[pallet::storage]
	pub type NextClassId<T> = StorageValue<_, ClassId, ValueQuery>;

	/// The classes.
	#[pallet::storage]
	pub type Classes<T: Config> = CountedStorageMap<_, Twox64Concat, ClassId, ClassOf<T>>;

	/// The id the next order gets; ids grow with time, which is what breaks price ties.
	#[pallet::storage]
	pub type NextOrderId<T> = StorageValue<_, BookOrderId, ValueQuery>;

	/// Orders resting on a book or waiting for the next matching.
	#[pallet::storage]
	pub type Orders<T: Config> = StorageMap<_, Twox64Concat, BookOrderId, BookOrderOf<T>>;

	/// Each side of each book: its price levels and the lots resting at each, in price
	/// order, so the best price is the first or last key.
	#[pallet::storage]
	pub type Depth<T: Config> = StorageMap<
		_,
		Twox64Concat,
		(ClassId, Side),
		BoundedBTreeMap<Price, Lots, T::MaxLevels>,
		ValueQuery,
	>;

	/// The orders resting at each price level, oldest first.
	#[pallet::storage]
	pub type Levels<T: Config> = StorageMap<
		_,
		Twox64Concat,
		(ClassId, Side, Price),
		BoundedVec<BookOrderId, T::MaxOrdersPerLevel>,
		ValueQuery,
	>;

	/// Each account's open orders.
	#[pallet::storage]
	pub type AccountOrders<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<BookOrderId, T::MaxOpenOrdersPerAccount>,
		ValueQuery,
	>;

	/// Orders placed and not matched yet, in the order they were placed. A cancelled one
	/// stays here, gone from `Orders`, and matching skips it.
	#[pallet::storage]
	pub type Incoming<T: Config> =
		StorageValue<_, BoundedVec<BookOrderId, T::MaxIncoming>, ValueQuery>;

	/// Good-till-block orders by the block they expire at.
	#[pallet::storage]
	pub type Expiries<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<BookOrderId, T::MaxExpiriesPerBlock>,
		ValueQuery,
	>;

	/// The index's and the circuit breaker's parameters.
	#[pallet::storage]
	pub type Rules<T> = StorageValue<_, MarketRules, ValueQuery>;

	/// Each class's trades in the current interval.
	#[pallet::storage]
	pub type Tallies<T> = StorageMap<_, Twox64Concat, ClassId, TradeTally, ValueQuery>;

	/// Each class's prints, by interval number (the block it ended at over the interval's
	/// length); the latest `MaxPrints` are kept.
	#[pallet::storage]
	pub type Prints<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ClassId, Twox64Concat, u32, Print<BlockNumberFor<T>>>;

	/// The interval numbers of each class's oldest kept and next print.
	#[pallet::storage]
	pub type PrintRange<T> = StorageMap<_, Twox64Concat, ClassId, (u32, u32), ValueQuery>;

	/// Each class's latest print prices, oldest first: the band's reference is their mean.
	#[pallet::storage]
	pub type Recent<T> = StorageMap<
		_,
		Twox64Concat,
		ClassId,
		BoundedVec<Price, ConstU32<MAX_REFERENCE_PRINTS>>,
		ValueQuery,
	>;

	/// Each class's moving averages.
	#[pallet::storage]
	pub type Averages<T> = StorageMap<_, Twox64Concat, ClassId, Ewma>;

	/// Halted classes.
	#[pallet::storage]
	pub type Halts<T: Config> = StorageMap<_, Twox64Concat, ClassId, Halt<BlockNumberFor<T>>>;

	/// How many blocks in a row each class's best quote has sat at its band's edge.
	#[pallet::storage]
	pub type AtBand<T> = StorageMap<_, Twox64Concat, ClassId, u32, ValueQuery>;

	/// The classes a chain starts with: governance's first instruments.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The classes, given ids from 0 in this order.
		pub classes: alloc::vec::Vec<GenesisClass>,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for class in &self.classes {
				// A genesis config is rejected by panicking while the chain spec is built;
				// nothing else can reject it.
				let name = ClassName::try_from(class.name.as_bytes().to_vec())
					.unwrap_or_else(|_| panic!("class name {} is too long", class.name));
				let created = Pallet::<T>::do_create_class(ResourceClass {
					name,
					resources: class.resources.clone(),
					placement: class.placement.clone(),
					auditors: BoundedVec::default(),
					auditor_rule: AuditorRule::AnyOf,
					tick: class.tick,
					max_lots: class.max_lots,
					sla: class.sla,
					trading: Trading::Open,
				});
				if let Err(error) = created {
					panic!("genesis class {} is invalid: {error:?}", class.name);
				}
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Governance defined a class.
		ClassCreated { class: ClassId, name: ClassName },
		/// Governance retired a class: its orders can only be cancelled.
		ClassRetired { class: ClassId },
		/// An order was placed; it is matched at the start of the next block.
		OrderPlaced {
			order: BookOrderId,
			class: ClassId,
			owner: T::AccountId,
			side: Side,
			price: Price,
			lots: Lots,
		},
		/// An order rests on its book with `lots` left.
		OrderRested { order: BookOrderId, lots: Lots },
		/// Two orders traded `lots` lots at the resting order's price, opening `deployment`
		/// for the buyer with the seller.
		Traded {
			class: ClassId,
			taker: BookOrderId,
			maker: BookOrderId,
			buyer: T::AccountId,
			seller: T::AccountId,
			price: Price,
			lots: Lots,
			deployment: ccre_primitives::OrderId,
		},
		/// An order left the book with `lots` untraded.
		OrderRemoved { order: BookOrderId, lots: Lots, reason: Removal },
		/// Matching ran out of budget; `remaining` orders wait for the next block.
		MatchingDeferred { remaining: u32 },
		/// A class's price for the interval that ended, and its moving averages.
		IndexPrinted { class: ClassId, price: Price, source: PrintSource, lots: u128, ewma: Ewma },
		/// A class halted: nothing matches until a call auction reopens it at `until`.
		ClassHalted { class: ClassId, cause: HaltCause, until: BlockNumberFor<T>, collar: Band },
		/// The reopening auction could not clear: put off to `until`, its collar widened.
		AuctionExtended { class: ClassId, until: BlockNumberFor<T>, collar: Band },
		/// A class trades again: its auction cleared `lots` lots at `price`, or (with no
		/// price) reopened without clearing after its last extension.
		ClassReopened { class: ClassId, price: Option<Price>, lots: Lots },
		/// Governance set the index's and the breaker's parameters.
		RulesSet { rules: MarketRules },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No such class.
		UnknownClass,
		/// The class is retired.
		ClassRetired,
		/// There are `MaxClasses` classes already.
		TooManyClasses,
		/// A class's lot has no resources, or a set is not in canonical form, or its
		/// placement repeats a resource property.
		InvalidLot,
		/// A class's tick is zero.
		ZeroTick,
		/// A class's most lots per order is zero.
		ZeroMaxLots,
		/// A class names an auditor twice.
		DuplicateAuditor,
		/// No such order.
		UnknownOrder,
		/// The order is someone else's.
		NotOwner,
		/// The price is zero or not a whole number of ticks.
		OffTick,
		/// Zero lots, or more than the class allows in one order.
		BadLots,
		/// A buy order's duration is zero.
		ZeroDuration,
		/// A good-till-block order's block has passed.
		ExpiryPassed,
		/// The account has `MaxOpenOrdersPerAccount` open orders.
		TooManyOpenOrders,
		/// `MaxIncoming` orders wait for this block's matching already.
		MatchingQueueFull,
		/// `MaxExpiriesPerBlock` orders expire at that block already.
		TooManyExpiries,
		/// The seller may not sell the class: not registered, without the stake to bid,
		/// lacking an attestation, or without the attributes for these lots.
		NotEligible,
		/// Price × lots × duration overflows.
		Overflow,
		/// A parameter is outside its bounds.
		RulesOutOfBounds,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::run_matching(now)
		}

		fn integrity_test() {
			assert!(T::MaxLevels::get() > 0 && T::MaxOrdersPerLevel::get() > 0);
			assert!(T::MaxFillsPerOrder::get() > 0 && T::MaxIncoming::get() > 0);
			// Expiries are never deferred, and at least one order must match in a block.
			let expiries =
				T::WeightInfo::expire().saturating_mul(T::MaxExpiriesPerBlock::get().into());
			let least = T::WeightInfo::matching_base()
				.saturating_add(expiries)
				.saturating_add(T::WeightInfo::match_order(T::MaxFillsPerOrder::get()));
			assert!(T::MatchingBudget::get().all_gte(least), "the matching budget is too small");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Defines a class (governance).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_class())]
		pub fn create_class(
			origin: OriginFor<T>,
			name: ClassName,
			resources: ResourceSet,
			placement: ResourceSet,
			auditors: BoundedVec<T::AccountId, T::MaxClassAuditors>,
			auditor_rule: AuditorRule,
			tick: Price,
			max_lots: Lots,
			sla: SlaTerms,
		) -> DispatchResult {
			T::ClassOrigin::ensure_origin(origin)?;
			Self::do_create_class(ResourceClass {
				name,
				resources,
				placement,
				auditors,
				auditor_rule,
				tick,
				max_lots,
				sla,
				trading: Trading::Open,
			})
		}

		/// Retires a class (governance): nothing new is placed or matched; resting orders
		/// can be cancelled.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::retire_class())]
		pub fn retire_class(origin: OriginFor<T>, class: ClassId) -> DispatchResult {
			T::ClassOrigin::ensure_origin(origin)?;
			Self::do_retire_class(class)
		}

		/// Buys `lots` lots of `class` at `price` per lot per block or better, each lease to
		/// deploy `manifest_hash` for `duration` blocks. Holds the order deposit and price ×
		/// lots × duration; what fills at a better price returns the difference.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::buy())]
		pub fn buy(
			origin: OriginFor<T>,
			class: ClassId,
			price: Price,
			lots: Lots,
			time_in_force: TimeInForce<BlockNumberFor<T>>,
			manifest_hash: ManifestHash,
			duration: BlockNumberFor<T>,
		) -> DispatchResult {
			let buyer = ensure_signed(origin)?;
			Self::do_buy(buyer, class, price, lots, time_in_force, manifest_hash, duration)
		}

		/// Sells `lots` lots of `class` at `price` per lot per block or better. The seller must
		/// be eligible for the class with the attributes for all the lots.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::sell())]
		pub fn sell(
			origin: OriginFor<T>,
			class: ClassId,
			price: Price,
			lots: Lots,
			time_in_force: TimeInForce<BlockNumberFor<T>>,
		) -> DispatchResult {
			let seller = ensure_signed(origin)?;
			Self::do_sell(seller, class, price, lots, time_in_force)
		}

		/// Sets the index's and the circuit breaker's parameters (governance), each within its
		/// bounds (`MarketRules::within_bounds`).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_rules())]
		pub fn set_rules(origin: OriginFor<T>, rules: MarketRules) -> DispatchResult {
			T::ClassOrigin::ensure_origin(origin)?;
			ensure!(rules.within_bounds(MAX_REFERENCE_PRINTS), Error::<T>::RulesOutOfBounds);
			Rules::<T>::put(rules);
			Self::deposit_event(Event::RulesSet { rules });
			Ok(())
		}

		/// Cancels an order, resting or waiting; it never trades afterwards.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::cancel())]
		pub fn cancel(origin: OriginFor<T>, order: BookOrderId) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_cancel(owner, order)
		}
	}
}
