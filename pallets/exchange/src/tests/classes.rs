//! Classes: governance defines and retires them; sellers must be eligible.

use crate::{mock::*, Error, Removal};
use ccre_primitives::{exchange::TimeInForce, AuditorRule};
use frame_support::{assert_noop, assert_ok};

fn create(
	resources: ccre_primitives::ResourceSet,
	tick: u128,
	max_lots: u64,
) -> Result<(), sp_runtime::DispatchError> {
	Exchange::create_class(
		RuntimeOrigin::root(),
		bounded(b"gpu.h100".to_vec()),
		resources,
		region("eu-west"),
		Default::default(),
		AuditorRule::AnyOf,
		tick,
		max_lots,
		Sla::get(),
	)
}

#[test]
fn only_governance_defines_classes_and_they_must_make_sense() {
	run_test(|| {
		assert_noop!(
			Exchange::create_class(
				RuntimeOrigin::signed(TENANT),
				bounded(b"x".to_vec()),
				lot(),
				region("eu-west"),
				Default::default(),
				AuditorRule::AnyOf,
				1,
				1,
				Sla::get(),
			),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_noop!(create(lot(), 0, 1), Error::<Test>::ZeroTick);
		assert_noop!(create(lot(), 1, 0), Error::<Test>::ZeroMaxLots);
		assert_noop!(create(Default::default(), 1, 1), Error::<Test>::InvalidLot);
		// More lots than an order can hold.
		assert_noop!(create(lot(), 1, u64::from(u32::MAX) + 1), Error::<Test>::InvalidLot);
		assert_ok!(create(lot(), 1, 1));
		assert_ok!(create(lot(), 1, 1));
		assert_ok!(create(lot(), 1, 1));
		assert_noop!(create(lot(), 1, 1), Error::<Test>::TooManyClasses);
	});
}

#[test]
fn prices_are_whole_ticks_and_sizes_within_the_class() {
	run_test(|| {
		let place = |price, lots| {
			Exchange::sell(
				RuntimeOrigin::signed(PROVIDER),
				CPU,
				price,
				lots,
				TimeInForce::GoodTillCancel,
			)
		};
		assert_noop!(place(3, 1), Error::<Test>::OffTick);
		assert_noop!(place(0, 1), Error::<Test>::OffTick);
		assert_noop!(place(4, 0), Error::<Test>::BadLots);
		assert_noop!(place(4, 9), Error::<Test>::BadLots);
		assert_noop!(
			Exchange::sell(RuntimeOrigin::signed(PROVIDER), 7, 4, 1, TimeInForce::GoodTillCancel),
			Error::<Test>::UnknownClass
		);
	});
}

#[test]
fn a_seller_must_be_able_to_serve_every_lot() {
	run_test(|| {
		let sell = |who, lots| {
			Exchange::sell(RuntimeOrigin::signed(who), CPU, 4, lots, TimeInForce::GoodTillCancel)
		};
		// In another region, or not a provider at all.
		assert_noop!(sell(US_PROVIDER, 1), Error::<Test>::NotEligible);
		assert_noop!(sell(TENANT, 1), Error::<Test>::NotEligible);
		// A provider with 4 cores cannot sell 5 lots of one core.
		shrink(OTHER_PROVIDER, 4_000);
		assert_noop!(sell(OTHER_PROVIDER, 5), Error::<Test>::NotEligible);
		assert_ok!(sell(OTHER_PROVIDER, 4));
	});
}

#[test]
fn a_retired_class_only_cancels() {
	run_test(|| {
		let resting = sell(PROVIDER, 10, 1);
		next_block();
		let waiting = buy(TENANT, 4, 1);
		assert_ok!(Exchange::retire_class(RuntimeOrigin::root(), CPU));
		assert_noop!(
			Exchange::retire_class(RuntimeOrigin::root(), CPU),
			Error::<Test>::ClassRetired
		);
		assert_noop!(
			Exchange::buy(
				RuntimeOrigin::signed(TENANT),
				CPU,
				10,
				1,
				TimeInForce::GoodTillCancel,
				MANIFEST,
				DURATION
			),
			Error::<Test>::ClassRetired
		);
		next_block();
		assert!(removals().contains(&(waiting, Removal::ClassRetired)));
		assert_ok!(Exchange::cancel(RuntimeOrigin::signed(PROVIDER), resting));
	});
}
