//! The price index: VWAP, mid or stale prints every interval, bounded history, and the
//! moving averages.

use crate::{mock::*, Error, MarketRules, Print};
use ccre_primitives::exchange::{IndexEntry, PrintSource};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::Perbill;

/// The prints so far: (price, source, lots).
fn printed() -> Vec<(u128, PrintSource, u128)> {
	Exchange::index_view(CPU, None, 100)
		.into_iter()
		.map(|IndexEntry { print: Print { price, source, lots, .. }, .. }| (price, source, lots))
		.collect()
}

#[test]
fn each_interval_prints_its_vwap_then_a_narrow_mid_then_the_last_price_stale() {
	run_test(|| {
		// Intervals are 5 blocks (30 s of 6 s blocks): prints at 5, 10, 15.
		sell(PROVIDER, 100, 2);
		sell(OTHER_PROVIDER, 106, 1);
		next_block();
		buy(TENANT, 106, 3);
		run_to(5);
		// (2 × 100 + 106) / 3 = 102.
		assert_eq!(printed(), vec![(102, PrintSource::Trades, 3)]);
		// No trade; bid 98 and ask 104: mid 101, spread 6 within 10% of it.
		buy(TENANT, 98, 1);
		sell(PROVIDER, 104, 1);
		run_to(10);
		assert_eq!(printed()[1], (101, PrintSource::Mid, 0));
		// A wider spread: the bid goes, the next is 90 against 104.
		let bid = crate::Orders::<Test>::iter()
			.find(|(_, order)| order.price == 98)
			.map(|(id, _)| id)
			.expect("the bid");
		assert_ok!(Exchange::cancel(RuntimeOrigin::signed(TENANT), bid));
		buy(TENANT, 90, 1);
		run_to(15);
		assert_eq!(printed()[2], (101, PrintSource::Stale, 0));
		// The EWMA moved from 102 toward 101 once, and ignored the stale print.
		let ewma = crate::Averages::<Test>::get(CPU).expect("averages");
		assert!(ewma.price < sp_runtime::FixedU128::from_u32(102));
		assert!(ewma.price > sp_runtime::FixedU128::from_u32(101));
	});
}

#[test]
fn the_history_keeps_the_latest_prints() {
	run_test(|| {
		sell(PROVIDER, 100, 1);
		next_block();
		buy(TENANT, 100, 1);
		// Eight intervals; the mock keeps six prints.
		run_to(40);
		let kept = Exchange::index_view(CPU, None, 100);
		assert_eq!(kept.len(), 6);
		assert_eq!(kept.first().map(|entry| entry.interval), Some(2));
		assert_eq!(Exchange::index_view(CPU, Some(6), 1).len(), 1);
		assert_eq!(crate::PrintRange::<Test>::get(CPU), (2, 8));
	});
}

#[test]
fn rules_are_set_by_governance_within_bounds() {
	run_test(|| {
		let rules = MarketRules { band: Perbill::from_percent(10), ..Default::default() };
		assert_noop!(
			Exchange::set_rules(RuntimeOrigin::signed(TENANT), rules),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(Exchange::set_rules(RuntimeOrigin::root(), rules));
		assert_eq!(crate::Rules::<Test>::get(), rules);
		// Captured governance cannot switch the breaker off or the index into noise.
		for bad in [
			MarketRules { band: Perbill::from_percent(100), ..rules },
			MarketRules { band: Perbill::zero(), ..rules },
			MarketRules { halt_ms: 0, ..rules },
			MarketRules { stuck_blocks: 0, ..rules },
			MarketRules { reference_prints: 65, ..rules },
			MarketRules { interval_ms: 1_000, ..rules },
		] {
			assert_noop!(
				Exchange::set_rules(RuntimeOrigin::root(), bad),
				Error::<Test>::RulesOutOfBounds
			);
		}
	});
}
