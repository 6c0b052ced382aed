use crate::{mock::*, *};
use frame_support::traits::Get;

#[test]
fn genesis_sets_the_slot_duration_and_half_of_it_as_minimum_period() {
	new_test_ext(1_000).execute_with(|| {
		assert_eq!(SlotDurationMillis::<Test>::get(), 1_000);
		assert_eq!(<SlotDuration<Test> as Get<u64>>::get(), 1_000);
		assert_eq!(<MinimumPeriod<Test> as Get<u64>>::get(), 500);
	});
}

#[test]
fn zero_in_genesis_means_the_default() {
	new_test_ext(0).execute_with(|| {
		assert_eq!(<SlotDuration<Test> as Get<u64>>::get(), DEFAULT_SLOT_DURATION_MILLIS);
	});
}

#[test]
fn empty_storage_reads_the_default() {
	sp_io::TestExternalities::default().execute_with(|| {
		assert_eq!(<SlotDuration<Test> as Get<u64>>::get(), DEFAULT_SLOT_DURATION_MILLIS);
	});
}

#[test]
#[should_panic(expected = "slot_duration_millis must be at least")]
fn genesis_rejects_a_slot_shorter_than_the_minimum() {
	new_test_ext(MIN_SLOT_DURATION_MILLIS - 1);
}
