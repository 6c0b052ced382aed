//! # Orders
//!
//! The CCRE order book. A tenant places a deployment order — resources per unit and a unit
//! count, placement, required auditors, a minimum reputation, a maximum price per unit and
//! block, a lease duration, a bid window, the manifest hash, an order type and a clearing
//! rule — with a deposit and the escrow funding that will pay for it. Providers bid; they may
//! also post standing offers that orders match against without a fresh bid.
//!
//! Every block, the matching hook closes each order whose bid window ended: among the
//! eligible bids and the standing offer recorded for it, the lowest price wins, ties to the
//! earliest (by a market-wide sequence number), so the result does not depend on storage
//! order. The winner's lease is opened through [`ccre_primitives::LeaseOpener`]; an order with
//! no eligible candidate expires and its funds come back. Matching is metered: what does not
//! fit in the block's budget carries over, in order, to the next block.
//!
//! Immediate-or-cancel and fill-or-kill orders match against standing offers when placed, or
//! are not placed at all.
//!
//! Bid deposits are not released when an order closes, which would cost a write per losing
//! bidder inside the matching hook; each provider reclaims its settled bids' deposits in one
//! call ([`Pallet::reclaim_bid_deposits`]).
//!
//! Eligibility and the auction rule are the shared definitions in `ccre-primitives`
//! ([`ccre_primitives::check_eligibility`], [`ccre_primitives::clear`]), which the provider
//! daemon uses too. The calls are thin; their logic is in `features/`.

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

pub use features::{OrderViewOf, MAX_ORDERS_PAGE};
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use ccre_primitives::{
		Escrow, LeaseOpener, ManifestHash, OfferId, OrderId, OrderType, ProviderInspect,
		ResourceSet,
	};
	use frame_support::{pallet_prelude::*, traits::fungible};
	use frame_system::pallet_prelude::*;

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency deposits are held in.
		type Currency: fungible::Inspect<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The provider registry: attributes, stake, attestations, reputation.
		type Providers: ProviderInspect<Self::AccountId, BalanceOf<Self>>;

		/// The escrow accounts that fund orders.
		type Escrow: Escrow<Self::AccountId, BalanceOf<Self>, BlockNumberFor<Self>>;

		/// Opens the lease of a matched order.
		type Leases: LeaseOpener<Self::AccountId, BalanceOf<Self>, BlockNumberFor<Self>>;

		/// The most bids one order takes.
		#[pallet::constant]
		type MaxBidsPerOrder: Get<u32>;

		/// The most bids whose deposits one provider has held at once.
		#[pallet::constant]
		type MaxOpenBidsPerProvider: Get<u32>;

		/// The most auditors an order can name.
		#[pallet::constant]
		type MaxRequiredAuditors: Get<u32>;

		/// The most units one order asks for.
		#[pallet::constant]
		type MaxUnits: Get<u32>;

		/// The most orders whose bid windows end in the same block.
		#[pallet::constant]
		type MaxOrdersClosingPerBlock: Get<u32>;

		/// The most standing offers on the market, which orders scan when placed.
		#[pallet::constant]
		type MaxOffers: Get<u32>;

		/// The most standing offers one provider has.
		#[pallet::constant]
		type MaxOffersPerProvider: Get<u32>;

		/// Market parameter: the longest a standing offer stays on the market, in blocks from
		/// when it is posted; offers lapse so the bounded list of them cannot be held forever.
		type MaxOfferLifetime: Get<BlockNumberFor<Self>>;

		/// Market parameter: the deposit for an order, before its size is counted.
		type OrderDeposit: Get<BalanceOf<Self>>;

		/// Market parameter: the deposit per byte of a stored order.
		type DepositPerByte: Get<BalanceOf<Self>>;

		/// Market parameter: the deposit for a bid.
		type BidDeposit: Get<BalanceOf<Self>>;

		/// Market parameter: the deposit for a standing offer.
		type OfferDeposit: Get<BalanceOf<Self>>;

		/// Market parameter: the longest bid window.
		type MaxBidWindow: Get<BlockNumberFor<Self>>;

		/// Market parameter: the most weight matching may use in a block.
		type MatchingBudget: Get<Weight>;

		/// Market parameter: the service level of orders that do not name one.
		type SlaDefaults: Get<ccre_primitives::SlaTerms>;

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
		/// A tenant's deposit for an order it stores.
		OrderDeposit,
		/// A provider's deposit for a bid.
		BidDeposit,
		/// A provider's deposit for a standing offer.
		OfferDeposit,
	}

	/// The id the next order gets.
	#[pallet::storage]
	pub type NextOrderId<T> = StorageValue<_, OrderId, ValueQuery>;

	/// The id the next standing offer gets.
	#[pallet::storage]
	pub type NextOfferId<T> = StorageValue<_, OfferId, ValueQuery>;

	/// The next market-wide sequence number, which orders bids and offers by when they were
	/// placed, to break price ties.
	#[pallet::storage]
	pub type NextSequence<T> = StorageValue<_, u64, ValueQuery>;

	/// Orders, open or leased. A leased order stays until its lease is reaped.
	#[pallet::storage]
	pub type Orders<T: Config> = StorageMap<_, Blake2_128Concat, OrderId, OrderOf<T>>;

	/// The bids on each open order, in the order they were placed.
	#[pallet::storage]
	pub type Bids<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		OrderId,
		BoundedVec<BidOf<T>, T::MaxBidsPerOrder>,
		ValueQuery,
	>;

	/// Each provider's held bid deposits, by order. A deposit whose bid is no longer on its
	/// order (the order closed) is reclaimable.
	#[pallet::storage]
	pub type BidDeposits<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<(OrderId, BalanceOf<T>), T::MaxOpenBidsPerProvider>,
		ValueQuery,
	>;

	/// Standing offers.
	#[pallet::storage]
	pub type Offers<T: Config> = CountedStorageMap<_, Blake2_128Concat, OfferId, OfferOf<T>>;

	/// Every standing offer as (price, sequence, id), cheapest first and then oldest: orders
	/// read offers in this order and stop at the first they can take (the first two under a
	/// second-price rule), so an order costs what it examines, not how many offers stand.
	#[pallet::storage]
	pub type OfferBook<T: Config> =
		StorageValue<_, BoundedVec<(BalanceOf<T>, u64, OfferId), T::MaxOffers>, ValueQuery>;

	/// How many standing offers each provider has.
	#[pallet::storage]
	pub type OfferCount<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// The orders to match at each block, in the order they were placed.
	#[pallet::storage]
	pub type ClosingAt<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<OrderId, T::MaxOrdersClosingPerBlock>,
		ValueQuery,
	>;

	/// The oldest block whose orders may not all be matched yet; `None` before the first
	/// block the hook runs.
	#[pallet::storage]
	pub type MatchingCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, OptionQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A good-till-window order was placed; it is matched at `closes_at`.
		OrderCreated {
			order: OrderId,
			tenant: T::AccountId,
			closes_at: BlockNumberFor<T>,
			standing_offer: Option<OfferId>,
		},
		/// An immediate order found no eligible standing offer and was not placed.
		OrderNotFilled { tenant: T::AccountId, order_type: OrderType },
		/// An order was matched; its lease (same id) is open with `provider`.
		OrderMatched {
			order: OrderId,
			provider: T::AccountId,
			unit_price: BalanceOf<T>,
			units: u32,
			lease_price: BalanceOf<T>,
			offer: Option<OfferId>,
		},
		/// An order's window closed without an eligible bid or offer; its funds came back.
		OrderExpired { order: OrderId },
		/// A winner of `order` could not take its lease (`error`); the order went to the next
		/// candidate, or expired if none was left.
		MatchFailed { order: OrderId, error: DispatchError },
		/// The tenant cancelled an open order; its funds came back.
		OrderCancelled { order: OrderId },
		/// The tenant set a new manifest version.
		ManifestUpdated { order: OrderId, manifest_hash: ManifestHash },
		/// A provider bid on an order.
		BidPlaced { order: OrderId, provider: T::AccountId, price: BalanceOf<T> },
		/// A provider withdrew its bid.
		BidWithdrawn { order: OrderId, provider: T::AccountId },
		/// A provider took back the deposits of bids whose orders have closed.
		BidDepositsReclaimed { provider: T::AccountId, bids: u32, amount: BalanceOf<T> },
		/// A provider posted a standing offer.
		OfferPosted { offer: OfferId, provider: T::AccountId, units: u32, price: BalanceOf<T> },
		/// A standing offer was withdrawn, or used up.
		OfferRemoved { offer: OfferId },
		/// The market was full of offers: the oldest, `offer`, made way for a new one.
		OfferEvicted { offer: OfferId, provider: T::AccountId },
		/// The order had all the bids it takes: the most expensive, `provider`'s, made way for
		/// a cheaper one. Its deposit is reclaimable.
		BidEvicted { order: OrderId, provider: T::AccountId },
		/// Matching ran out of budget; `remaining` orders closing at `block` wait for the
		/// next block.
		MatchingDeferred { block: BlockNumberFor<T>, remaining: u32 },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The order asks for no resources.
		EmptySpec,
		/// The order asks for no units.
		ZeroUnits,
		/// The order asks for more units than the market allows.
		TooManyUnits,
		/// The order's units times a resource amount overflow.
		SpecTooLarge,
		/// A resource set is not canonical, or placement repeats a resource's property.
		InvalidSpec,
		/// The order names an auditor twice.
		DuplicateAuditor,
		/// A price of zero.
		ZeroPrice,
		/// A lease duration of zero blocks.
		ZeroDuration,
		/// A good-till-window order needs a bid window of at least one block.
		ZeroBidWindow,
		/// The bid window is longer than the market allows.
		BidWindowTooLong,
		/// Too many orders already close in that block; choose another bid window.
		TooManyOrdersClosing,
		/// The funding does not cover one block at the maximum price.
		InsufficientFunding,
		/// A price times the units overflows.
		PriceOverflow,
		/// The deposit for the order overflows.
		DepositOverflow,
		/// No such order.
		UnknownOrder,
		/// Only the order's tenant may do this.
		NotTenant,
		/// The order is not open.
		OrderNotOpen,
		/// The order is still open: it has no lease to remove.
		OrderStillOpen,
		/// The manifest hash is the current one.
		SameManifest,
		/// The order's bid window has ended.
		BidWindowClosed,
		/// The price is above the order's maximum.
		PriceAboveMaximum,
		/// The provider already bid on this order.
		AlreadyBid,
		/// The order has all the bids it takes, none dearer than this one.
		TooManyBids,
		/// The provider holds the most bid deposits allowed; reclaim settled ones first.
		TooManyOpenBids,
		/// The provider has no bid on this order.
		NoBid,
		/// No settled bid deposit to reclaim.
		NothingToReclaim,
		/// The provider is not registered.
		NotRegistered,
		/// The provider's active stake is below the minimum.
		InsufficientStake,
		/// What the provider offers does not satisfy the order.
		RequirementNotMet,
		/// The provider lacks a required auditor's signature.
		MissingAttestation,
		/// The provider's reputation is below the order's minimum.
		ReputationTooLow,
		/// The provider holds all the leases it may, or its stake cannot back this one too.
		AtCapacity,
		/// The offer claims more than its provider registered: a capacity beyond it, or a
		/// property it does not have.
		OfferExceedsRegistration,
		/// The offer's availability window is empty, already over, or longer than
		/// `MaxOfferLifetime`.
		InvalidAvailability,
		/// The market, or the provider, has all the standing offers allowed.
		TooManyOffers,
		/// No such offer.
		UnknownOffer,
		/// Only the offer's provider may withdraw it before it lapses.
		NotOfferOwner,
		/// A spot fill's class names more auditors than an order may.
		TooManyAuditors,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::match_closing_orders(now)
		}

		fn integrity_test() {
			// A budget that cannot match the costliest order would defer it forever.
			let costliest =
				T::WeightInfo::match_bucket().saturating_add(Pallet::<T>::match_order_weight(
					T::MaxBidsPerOrder::get(),
					T::MaxRequiredAuditors::get(),
				));
			assert!(
				T::MatchingBudget::get().all_gte(costliest),
				"MatchingBudget must fit the costliest order"
			);
			assert!(T::MaxBidsPerOrder::get() > 0, "an order must take a bid");
			assert!(T::MaxOffers::get() > 0, "the market must take an offer");
			assert!(
				T::MaxOffersPerProvider::get() <= T::MaxOffers::get(),
				"a provider may not hold more offers than the market"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Places an order, holding its deposit and `funding` in its escrow account.
		/// Immediate-or-cancel and fill-or-kill orders match against standing offers at once
		/// or are not placed (`OrderNotFilled`, nothing held).
		#[pallet::call_index(0)]
		#[pallet::weight(Pallet::<T>::create_order_weight(
			terms.order_type,
			T::MaxOffers::get(),
			terms.auditors.len() as u32,
		))]
		pub fn create_order(
			origin: OriginFor<T>,
			terms: TermsOf<T>,
			funding: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
			let tenant = ensure_signed(origin)?;
			Self::do_create_order(tenant, terms, funding)
		}

		/// Sets a new manifest version for an open or leased order.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update_manifest())]
		pub fn update_manifest(
			origin: OriginFor<T>,
			order: OrderId,
			manifest_hash: ManifestHash,
		) -> DispatchResult {
			let tenant = ensure_signed(origin)?;
			Self::do_update_manifest(tenant, order, manifest_hash)
		}

		/// Cancels an open order: its deposit and escrow funds come back.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::cancel_order())]
		pub fn cancel_order(origin: OriginFor<T>, order: OrderId) -> DispatchResult {
			let tenant = ensure_signed(origin)?;
			Self::do_cancel_order(tenant, order)
		}

		/// Bids `price` per unit and block on an open order, holding the bid deposit. An order
		/// with all the bids it takes drops its most expensive bid for a cheaper one.
		#[pallet::call_index(3)]
		#[pallet::weight(Pallet::<T>::place_bid_weight(T::MaxRequiredAuditors::get()))]
		pub fn place_bid(
			origin: OriginFor<T>,
			order: OrderId,
			price: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
			let provider = ensure_signed(origin)?;
			Self::do_place_bid(provider, order, price)
		}

		/// Withdraws the caller's bid from an open order whose bid window has not ended,
		/// releasing its deposit.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::withdraw_bid())]
		pub fn withdraw_bid(origin: OriginFor<T>, order: OrderId) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::do_withdraw_bid(provider, order)
		}

		/// Releases the deposits of the caller's bids on orders that have closed.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::reclaim_bid_deposits(T::MaxOpenBidsPerProvider::get()))]
		pub fn reclaim_bid_deposits(origin: OriginFor<T>) -> DispatchResultWithPostInfo {
			let provider = ensure_signed(origin)?;
			Self::do_reclaim_bid_deposits(provider)
		}

		/// Posts a standing offer: `units` units of `unit` at `price` per unit and block,
		/// available from `available_from` until `available_until` (at most
		/// `MaxOfferLifetime` blocks from now). The offer may claim only what the provider
		/// registered. A market full of offers drops its oldest for the new one.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::post_offer(T::MaxOffers::get()))]
		pub fn post_offer(
			origin: OriginFor<T>,
			unit: ResourceSet,
			units: u32,
			price: BalanceOf<T>,
			available_from: BlockNumberFor<T>,
			available_until: BlockNumberFor<T>,
		) -> DispatchResultWithPostInfo {
			let provider = ensure_signed(origin)?;
			Self::do_post_offer(provider, unit, units, price, available_from, available_until)
		}

		/// Withdraws a standing offer: its provider at any time, anyone once it has lapsed.
		/// The deposit goes back to the provider.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::withdraw_offer())]
		pub fn withdraw_offer(origin: OriginFor<T>, offer: OfferId) -> DispatchResult {
			let caller = ensure_signed(origin)?;
			Self::do_withdraw_offer(caller, offer)
		}
	}
}
