//! The circuit breaker: halts on a trade outside the band or a quote stuck at it, and the
//! call auction that reopens the class.

use crate::{mock::*, Event, HaltCause};
use ccre_primitives::exchange::{Band, PrintSource, Side};

/// Trades one lot at 100 in the first interval, so the class prints 100 at block 5 and its
/// band is 85..=115.
fn print_100() {
	sell(PROVIDER, 100, 1);
	next_block();
	buy(TENANT, 100, 1);
	run_to(5);
	assert_eq!(Exchange::band(CPU), Some(Band { low: 85, high: 115 }));
}

fn halts() -> Vec<(HaltCause, u64)> {
	events()
		.into_iter()
		.filter_map(|event| match event {
			Event::ClassHalted { cause, until, .. } => Some((cause, until)),
			_ => None,
		})
		.collect()
}

#[test]
fn a_trade_outside_the_band_halts_the_class_and_an_auction_reopens_it() {
	run_test(|| {
		print_100();
		let dear = sell(PROVIDER, 120, 1);
		next_block();
		let bid = buy(TENANT, 120, 1);
		next_block();
		// Block 7: the trade at 120 would be outside 85..=115; halted for 300 s (50 blocks).
		assert_eq!(halts(), vec![(HaltCause::TradeOutsideBand, 57)]);
		assert_eq!(trades().len(), 1);
		// While halted, orders are placed and rest; nothing matches, even crossed.
		let cheap = sell(OTHER_PROVIDER, 100, 2);
		next_block();
		assert_eq!(depth(Side::Buy), vec![(120, 1)]);
		assert_eq!(depth(Side::Sell), vec![(100, 2), (120, 1)]);
		run_to(56);
		assert_eq!(trades().len(), 1);
		// At 57 the auction: demand 1 at any price up to 120, supply 2 from 100. Within the
		// collar (86..=114 on ticks) one lot trades everywhere from 100; 100 is nearest the
		// reference.
		next_block();
		assert!(events().contains(&Event::ClassReopened { class: CPU, price: Some(100), lots: 1 }));
		assert_eq!(trades()[1], (bid, cheap, 100, 1));
		assert!(!crate::Halts::<Test>::contains_key(CPU));
		assert_eq!(depth(Side::Sell), vec![(100, 1), (120, 1)]);
		assert!(crate::Orders::<Test>::get(dear).is_some());
	});
}

#[test]
fn a_quote_stuck_at_the_band_for_three_blocks_halts_the_class() {
	run_test(|| {
		print_100();
		// A bid at the band's top with nothing to sell against it.
		buy(TENANT, 116, 1);
		next_block();
		next_block();
		assert_eq!(halts(), vec![]);
		next_block();
		assert_eq!(halts(), vec![(HaltCause::QuoteAtBand, 8 + 50)]);
	});
}

#[test]
fn an_auction_that_cannot_clear_in_its_collar_is_put_off_with_a_wider_one() {
	run_test(|| {
		print_100();
		sell(PROVIDER, 130, 1);
		next_block();
		buy(TENANT, 130, 1);
		next_block();
		assert_eq!(halts(), vec![(HaltCause::TradeOutsideBand, 57)]);
		// The book crosses at 126 to 130 only, outside 86..=114.
		sell(OTHER_PROVIDER, 126, 1);
		run_to(77);
		// Put off 60 s (10 blocks) three times, 5 more either way each time.
		let extended: Vec<_> = events()
			.into_iter()
			.filter_map(|event| match event {
				Event::AuctionExtended { until, collar, .. } => Some((until, collar)),
				_ => None,
			})
			.collect();
		assert_eq!(
			extended,
			vec![
				(67, Band { low: 80, high: 120 }),
				(77, Band { low: 75, high: 125 }),
				(87, Band { low: 70, high: 130 })
			]
		);
		assert_eq!(trades().len(), 1);
		run_to(87);
		// The third collar, 70..=130, holds 126 and 128 with one lot each way; 126 is
		// nearer the reference.
		assert!(events().contains(&Event::ClassReopened { class: CPU, price: Some(126), lots: 1 }));
		assert_eq!(trades().len(), 2);
	});
}

#[test]
fn an_uncrossed_book_reopens_as_it_is() {
	run_test(|| {
		print_100();
		let dear = sell(PROVIDER, 120, 1);
		next_block();
		let bid =
			buy_with(TENANT, 120, 1, ccre_primitives::exchange::TimeInForce::ImmediateOrCancel);
		next_block();
		assert_eq!(halts(), vec![(HaltCause::TradeOutsideBand, 57)]);
		// The immediate-or-cancel bid did not rest: nothing crosses at the reopening.
		assert!(crate::Orders::<Test>::get(bid).is_none());
		run_to(57);
		assert!(events().contains(&Event::ClassReopened { class: CPU, price: None, lots: 0 }));
		assert!(crate::Orders::<Test>::get(dear).is_some());
	});
}

#[test]
fn quotes_resting_through_a_halt_never_print() {
	run_test(|| {
		print_100();
		// The trade at 120 halts the class and leaves the book locked at 120: nothing can hit
		// either quote until the auction, so they say nothing about the price. Were their mid
		// to print, whoever halted the class would set the next reference by quoting.
		sell(PROVIDER, 120, 1);
		next_block();
		buy(TENANT, 120, 1);
		next_block();
		assert_eq!(halts(), vec![(HaltCause::TradeOutsideBand, 57)]);
		// Likewise a narrow spread quoted during the halt, away from the locked pair.
		buy(OTHER_TENANT, 118, 1);
		run_to(55);
		let prints: Vec<_> = Exchange::index_view(CPU, None, 100)
			.into_iter()
			.map(|entry| (entry.print.price, entry.print.source))
			.collect();
		// The mock keeps six prints: blocks 30 to 55, all in the halt.
		assert_eq!(prints, vec![(100, PrintSource::Stale); 6]);
		assert_eq!(Exchange::band(CPU), Some(Band { low: 85, high: 115 }));
	});
}
