//! Benchmarks for every call and for the matching hook, per order, per bid and per standing
//! offer, each at its worst case; and the check of a provider against an order's auditors,
//! per auditor under `AllOf` (every signature read), which the calls and the hook charge once
//! per provider they check.

use super::*;
use ccre_primitives::{
	AuditorRule, Capacity, ClearingRule, MarketBenchmarkHelper, OrderId, OrderState, OrderTerms,
	OrderType, Property, ResourceSet,
};
use frame_benchmarking::v2::*;
use frame_support::{traits::Get, BoundedVec};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::{traits::Bounded, Perbill};

fn rich<T: Config>(seed: u32) -> T::AccountId {
	T::BenchmarkHelper::funded_account(seed, BalanceOf::<T>::max_value() / 1024u32.into())
}

/// What every benchmark provider offers: plenty of every capacity, in region `r`.
fn provider_attributes() -> ResourceSet {
	ResourceSet::new(
		Capacity::ALL.iter().map(|capacity| (*capacity, u64::MAX / 2)),
		[(Property::Region, b"r".to_vec())],
	)
	.unwrap_or_default()
}

/// A provider signed by the first `auditors` benchmark auditors.
fn provider<T: Config>(seed: u32, auditors: u32) -> T::AccountId {
	let provider = T::BenchmarkHelper::eligible_provider(1_000 + seed, provider_attributes());
	T::BenchmarkHelper::attested_by(&provider, auditors);
	provider
}

/// The first `count` benchmark auditors, as an order names them.
fn auditors<T: Config>(count: u32) -> BoundedVec<T::AccountId, T::MaxRequiredAuditors> {
	let signer = T::BenchmarkHelper::eligible_provider(999, provider_attributes());
	BoundedVec::truncate_from(T::BenchmarkHelper::attested_by(&signer, count))
}

/// [`window_terms`] requiring all of the first `count` auditors.
fn audited_terms<T: Config>(count: u32) -> TermsOf<T> {
	OrderTerms {
		auditors: auditors::<T>(count),
		auditor_rule: AuditorRule::AllOf,
		..window_terms::<T>()
	}
}

/// A good-till-window order every benchmark provider is eligible for, taking bids for ten
/// blocks, asking for a little of every capacity.
fn window_terms<T: Config>() -> TermsOf<T> {
	OrderTerms {
		resources: ResourceSet::new(Capacity::ALL.iter().map(|capacity| (*capacity, 1)), [])
			.unwrap_or_default(),
		units: T::MaxUnits::get(),
		placement: ResourceSet::new([], [(Property::Region, b"r".to_vec())]).unwrap_or_default(),
		auditors: BoundedVec::new(),
		auditor_rule: AuditorRule::AnyOf,
		min_reputation: Perbill::zero(),
		max_price: 1_000u32.into(),
		duration: Some(100u32.into()),
		bid_window: 10u32.into(),
		manifest_hash: [1; 32],
		order_type: OrderType::GoodTillWindow,
		clearing: ClearingRule::SecondPrice,
		sla: None,
	}
}

/// A thousand blocks at the maximum price, for every order a benchmark places.
fn funding<T: Config>() -> BalanceOf<T> {
	(1_000u32 * 1_000 * T::MaxUnits::get()).into()
}

fn place<T: Config>(tenant: &T::AccountId) -> OrderId {
	place_with::<T>(tenant, window_terms::<T>())
}

fn place_with<T: Config>(tenant: &T::AccountId, terms: TermsOf<T>) -> OrderId {
	let id = NextOrderId::<T>::get();
	let placed = Pallet::<T>::do_create_order(tenant.clone(), terms, funding::<T>());
	assert!(placed.is_ok(), "create_order: {placed:?}");
	id
}

/// `count` standing offers at `price` from different providers (seeds from `first`) signed
/// by `auditors` auditors.
fn offers_at<T: Config>(first: u32, count: u32, auditors: u32, price: u32) {
	for seed in first..first.saturating_add(count) {
		let posted = Pallet::<T>::do_post_offer(
			provider::<T>(500 + seed, auditors),
			ResourceSet::new(Capacity::ALL.iter().map(|capacity| (*capacity, 1)), [])
				.unwrap_or_default(),
			T::MaxUnits::get(),
			price.into(),
			1u32.into(),
			1_000u32.into(),
		);
		assert!(posted.is_ok(), "post_offer: {posted:?}");
	}
}

/// `count` standing offers, each eligible for [`window_terms`].
fn offers<T: Config>(count: u32) {
	offers_at::<T>(0, count, 0, 1_000);
}

/// Terms requiring one auditor's signature, which none of `offers_at`'s providers signed by
/// no auditor has: every such offer is read, checked against the order and refused.
fn terms_refusing_unsigned<T: Config>(order_type: OrderType) -> TermsOf<T> {
	OrderTerms { order_type, ..audited_terms::<T>(1) }
}

/// `count` bids on `order` from providers signed by `auditors` auditors, dearest first.
fn bids<T: Config>(order: OrderId, count: u32, auditors: u32) {
	for seed in 0..count {
		let placed =
			Pallet::<T>::do_place_bid(provider::<T>(seed, auditors), order, (1_000 - seed).into());
		assert!(placed.is_ok(), "place_bid: {placed:?}");
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A window order examining `o` standing offers, every one within its price and none
	/// eligible: the book is read to its end.
	#[benchmark]
	fn create_order(o: Linear<0, { T::MaxOffers::get() }>) {
		offers_at::<T>(0, o, 0, 999);
		let tenant = rich::<T>(0);
		let terms = terms_refusing_unsigned::<T>(OrderType::GoodTillWindow);
		#[extrinsic_call]
		create_order(RawOrigin::Signed(tenant), terms, funding::<T>());
		assert_eq!(Orders::<T>::get(0).and_then(|order| order.standing_offer), None);
	}

	/// An immediate-or-cancel order examining `o` standing offers and filled by the last: the
	/// cheaper ones are refused, and the lease opens.
	#[benchmark]
	fn create_immediate_order(o: Linear<1, { T::MaxOffers::get() }>) {
		offers_at::<T>(0, o - 1, 0, 999);
		offers_at::<T>(o - 1, 1, 1, 1_000);
		let tenant = rich::<T>(0);
		let terms = terms_refusing_unsigned::<T>(OrderType::ImmediateOrCancel);
		#[extrinsic_call]
		create_order(RawOrigin::Signed(tenant), terms, funding::<T>());
		assert!(matches!(
			Orders::<T>::get(0).map(|order| order.state),
			Some(OrderState::Leased { .. })
		));
	}

	/// Checking a provider against an order naming `a` auditors, all of whom must have signed.
	#[benchmark]
	fn check_auditors(
		a: Linear<0, { T::MaxRequiredAuditors::get() }>,
	) -> Result<(), BenchmarkError> {
		let tenant = rich::<T>(0);
		let id = place_with::<T>(&tenant, audited_terms::<T>(a));
		let order = Orders::<T>::get(id).ok_or("an order")?;
		let bidder = provider::<T>(0, a);
		let eligible;
		#[block]
		{
			eligible = Pallet::<T>::eligibility(
				&order,
				&order.requirement,
				order.terms.units,
				1u32.into(),
				&bidder,
				None,
			);
		}
		assert_eq!(eligible, Ok(()));
		Ok(())
	}

	#[benchmark]
	fn update_manifest() {
		let tenant = rich::<T>(0);
		let id = place::<T>(&tenant);
		#[extrinsic_call]
		_(RawOrigin::Signed(tenant), id, [2; 32]);
		assert_eq!(Pallet::<T>::manifest_hash(id), Some([2; 32]));
	}

	/// Cancelling an order with a full bid list and a full closing block.
	#[benchmark]
	fn cancel_order() {
		let tenant = rich::<T>(0);
		for _ in 1..T::MaxOrdersClosingPerBlock::get() {
			place::<T>(&tenant);
		}
		let id = place::<T>(&tenant);
		bids::<T>(id, T::MaxBidsPerOrder::get(), 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(tenant), id);
		assert!(Orders::<T>::get(id).is_none());
	}

	/// A bid on a full order that drops its dearest bid, from a provider holding all but one
	/// of its open bids.
	#[benchmark]
	fn place_bid() {
		let tenant = rich::<T>(0);
		let id = place::<T>(&tenant);
		bids::<T>(id, T::MaxBidsPerOrder::get(), 0);
		let bidder = provider::<T>(900, 0);
		for _ in 1..T::MaxOpenBidsPerProvider::get() {
			let other = place::<T>(&tenant);
			assert!(Pallet::<T>::do_place_bid(bidder.clone(), other, 1u32.into()).is_ok());
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(bidder.clone()), id, 1u32.into());
		let bids = Bids::<T>::get(id);
		assert_eq!(bids.len() as u32, T::MaxBidsPerOrder::get());
		assert!(bids.iter().any(|bid| bid.provider == bidder));
	}

	#[benchmark]
	fn withdraw_bid() {
		let tenant = rich::<T>(0);
		let id = place::<T>(&tenant);
		bids::<T>(id, T::MaxBidsPerOrder::get(), 0);
		let bidder = Bids::<T>::get(id)[0].provider.clone();
		#[extrinsic_call]
		_(RawOrigin::Signed(bidder), id);
		assert_eq!(Bids::<T>::get(id).len() as u32, T::MaxBidsPerOrder::get() - 1);
	}

	/// Reclaiming `b` settled bid deposits.
	#[benchmark]
	fn reclaim_bid_deposits(b: Linear<1, { T::MaxOpenBidsPerProvider::get() }>) {
		let tenant = rich::<T>(0);
		let bidder = provider::<T>(0, 0);
		for _ in 0..b {
			let id = place::<T>(&tenant);
			assert!(Pallet::<T>::do_place_bid(bidder.clone(), id, 1u32.into()).is_ok());
			assert!(Pallet::<T>::do_cancel_order(tenant.clone(), id).is_ok());
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(bidder.clone()));
		assert!(BidDeposits::<T>::get(&bidder).is_empty());
	}

	/// An offer posted to a market holding `o` offers; a full market drops its oldest.
	#[benchmark]
	fn post_offer(o: Linear<0, { T::MaxOffers::get() }>) {
		offers::<T>(o);
		let offerer = provider::<T>(0, 0);
		let unit = provider_attributes();
		#[extrinsic_call]
		_(RawOrigin::Signed(offerer), unit, 1, 1u32.into(), 1u32.into(), 10u32.into());
		assert_eq!(Offers::<T>::count(), (o + 1).min(T::MaxOffers::get()));
	}

	#[benchmark]
	fn withdraw_offer() -> Result<(), BenchmarkError> {
		offers::<T>(1);
		let offerer = Offers::<T>::get(0).map(|offer| offer.provider).ok_or("an offer")?;
		#[extrinsic_call]
		_(RawOrigin::Signed(offerer), 0);
		assert_eq!(Offers::<T>::count(), 0);
		Ok(())
	}

	/// Opening a closing block and finding it empty: the hook's cost per block.
	#[benchmark]
	fn match_bucket() {
		let now: BlockNumberFor<T> = 2u32.into();
		frame_system::Pallet::<T>::set_block_number(now);
		MatchingCursor::<T>::put(now);
		#[block]
		{
			Pallet::<T>::match_closing_orders(now);
		}
		assert_eq!(MatchingCursor::<T>::get(), Some(now + 1u32.into()));
	}

	/// Matching one order with `b` bids and a standing offer, every candidate eligible, to a
	/// new lease.
	#[benchmark]
	fn match_order(b: Linear<0, { T::MaxBidsPerOrder::get() }>) -> Result<(), BenchmarkError> {
		offers::<T>(1);
		let tenant = rich::<T>(0);
		let id = place::<T>(&tenant);
		bids::<T>(id, b, 0);
		let now = Orders::<T>::get(id).map(|order| order.closes_at).ok_or("an order")?;
		frame_system::Pallet::<T>::set_block_number(now);
		MatchingCursor::<T>::put(now);
		#[block]
		{
			Pallet::<T>::match_closing_orders(now);
		}
		assert!(matches!(
			Orders::<T>::get(id).map(|order| order.state),
			Some(OrderState::Leased { .. })
		));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
