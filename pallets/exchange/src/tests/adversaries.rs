//! What hostile traders could try: trading with themselves, selling what they cannot serve,
//! buying what they cannot pay for, flooding the book, and funds that do not add up.

use crate::{mock::*, Error, Removal};
use ccre_primitives::exchange::{Side, TimeInForce};
use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect};
use proptest::prelude::*;

#[test]
fn an_account_never_trades_with_itself() {
	run_test(|| {
		let ask = sell(PROVIDER, 10, 1);
		next_block();
		let own = buy(PROVIDER, 12, 1);
		next_block();
		assert_eq!(trades(), vec![]);
		assert_eq!(removals(), vec![(own, Removal::SelfTrade)]);
		// The resting order keeps its place and trades with someone else.
		let bid = buy(TENANT, 12, 1);
		next_block();
		assert_eq!(trades(), vec![(bid, ask, 10, 1)]);
	});
}

#[test]
fn a_seller_that_can_no_longer_serve_is_skipped_and_removed() {
	run_test(|| {
		let gone = sell(PROVIDER, 10, 2);
		let next = sell(OTHER_PROVIDER, 12, 2);
		next_block();
		// Half a core left: not one lot.
		shrink(PROVIDER, 500);
		let bid = buy(TENANT, 12, 2);
		next_block();
		assert_eq!(trades(), vec![(bid, next, 12, 2)]);
		assert!(removals().contains(&(gone, Removal::SellerIneligible)));
		assert_eq!(depth(Side::Sell), vec![]);
	});
}

#[test]
fn an_ineligible_taker_seller_is_removed_without_touching_the_book() {
	run_test(|| {
		let bid = buy(TENANT, 10, 1);
		next_block();
		let ask = sell(PROVIDER, 10, 1);
		shrink(PROVIDER, 500);
		next_block();
		assert_eq!(trades(), vec![]);
		assert_eq!(removals(), vec![(ask, Removal::SellerIneligible)]);
		assert!(crate::Orders::<Test>::get(bid).is_some_and(|order| order.resting));
	});
}

/// Leaves `who` nothing free to pay a deployment's deposit with.
fn drain(who: AccountId) {
	let free = <Balances as Inspect<AccountId>>::reducible_balance(
		&who,
		frame_support::traits::tokens::Preservation::Expendable,
		frame_support::traits::tokens::Fortitude::Polite,
	);
	assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(who), TREASURY, free));
}

#[test]
fn a_buyer_that_cannot_pay_is_removed_and_the_seller_keeps_its_place() {
	run_test(|| {
		let ask = sell(PROVIDER, 10, 1);
		next_block();
		let broke = buy(TENANT, 10, 1);
		drain(TENANT);
		next_block();
		assert_eq!(trades(), vec![]);
		assert_eq!(removals(), vec![(broke, Removal::BuyerCannotPay)]);
		assert_eq!(depth(Side::Sell), vec![(10, 1)]);
		assert!(crate::Orders::<Test>::get(ask).is_some());
	});
}

#[test]
fn a_resting_buyer_that_cannot_pay_is_removed_and_the_seller_trades_on() {
	run_test(|| {
		let broke = buy(TENANT, 12, 1);
		let good = buy(OTHER_TENANT, 10, 1);
		next_block();
		drain(TENANT);
		let ask = sell(PROVIDER, 10, 2);
		next_block();
		assert_eq!(trades(), vec![(ask, good, 10, 1)]);
		assert!(removals().contains(&(broke, Removal::BuyerCannotPay)));
		assert_eq!(depth(Side::Sell), vec![(10, 1)]);
	});
}

#[test]
fn the_book_is_bounded_everywhere() {
	run_test(|| {
		// Four price levels per side; a fifth price does not rest.
		for price in [10, 12, 14, 16] {
			sell(PROVIDER, price, 1);
		}
		let fifth = sell(OTHER_PROVIDER, 18, 1);
		next_block();
		assert_eq!(removals(), vec![(fifth, Removal::BookFull)]);
		// Three orders per level; a fourth at the price does not rest.
		sell(OTHER_PROVIDER, 10, 1);
		sell(12, 10, 1);
		let fourth = sell(13, 10, 1);
		next_block();
		assert!(removals().contains(&(fourth, Removal::BookFull)));
		assert_eq!(depth(Side::Sell)[0], (10, 3));
		// Six open orders per account.
		sell(PROVIDER, 10, 1);
		sell(PROVIDER, 12, 1);
		assert_noop!(
			Exchange::sell(
				RuntimeOrigin::signed(PROVIDER),
				CPU,
				14,
				1,
				TimeInForce::GoodTillCancel
			),
			Error::<Test>::TooManyOpenOrders
		);
	});
}

#[test]
fn orders_waiting_for_a_matching_are_bounded() {
	run_test(|| {
		for _ in 0..4 {
			buy(TENANT, 2, 1);
			buy(OTHER_TENANT, 2, 1);
		}
		assert_noop!(
			Exchange::buy(
				RuntimeOrigin::signed(POOR_TENANT),
				CPU,
				2,
				1,
				TimeInForce::GoodTillCancel,
				MANIFEST,
				DURATION
			),
			Error::<Test>::MatchingQueueFull
		);
	});
}

/// One step a trader may take.
#[derive(Clone, Debug)]
enum Action {
	Buy { tenant: usize, price: u128, lots: u64, kind: u8 },
	Sell { provider: usize, price: u128, lots: u64, kind: u8 },
	Cancel { nth: usize },
	Block,
}

fn action() -> impl Strategy<Value = Action> {
	prop_oneof![
		(0..2usize, 1..8u128, 1..4u64, 0..5u8).prop_map(|(tenant, price, lots, kind)| {
			Action::Buy { tenant, price: price * 2, lots, kind }
		}),
		(0..3usize, 1..8u128, 1..4u64, 0..5u8).prop_map(|(provider, price, lots, kind)| {
			Action::Sell { provider, price: price * 2, lots, kind }
		}),
		(0..20usize).prop_map(|nth| Action::Cancel { nth }),
		Just(Action::Block),
	]
}

fn time_in_force(kind: u8) -> TimeInForce<u64> {
	match kind {
		0 => TimeInForce::GoodTillCancel,
		1 => TimeInForce::GoodTillBlock(System::block_number() + 3),
		2 => TimeInForce::ImmediateOrCancel,
		3 => TimeInForce::FillOrKill,
		_ => TimeInForce::PostOnly,
	}
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(64))]

	/// Whatever traders do, the book stays consistent (`try_state` after every block), no
	/// money appears or vanishes, the book rests crossed only while halted, every trade is
	/// on the tick, and no account trades with itself.
	#[test]
	fn random_order_flow_keeps_the_book_and_the_money_sound(
		actions in prop::collection::vec(action(), 1..60)
	) {
		run_test(|| {
			let issuance = Balances::total_issuance();
			// A provider buys too, so self-trades are tried.
			let tenants = [TENANT, OTHER_TENANT, PROVIDER];
			let providers = [PROVIDER, OTHER_PROVIDER, 12];
			for action in actions {
				// Refused calls change nothing, which `try_state` checks.
				let _ = match action {
					Action::Buy { tenant, price, lots, kind } => Exchange::buy(
						RuntimeOrigin::signed(tenants[tenant]),
						CPU,
						price,
						lots,
						time_in_force(kind),
						MANIFEST,
						DURATION,
					),
					Action::Sell { provider, price, lots, kind } => Exchange::sell(
						RuntimeOrigin::signed(providers[provider]),
						CPU,
						price,
						lots,
						time_in_force(kind),
					),
					Action::Cancel { nth } => {
						let open: Vec<_> = crate::Orders::<Test>::iter().collect();
						match open.get(nth % open.len().max(1)) {
							Some((id, order)) =>
								Exchange::cancel(RuntimeOrigin::signed(order.owner), *id),
							None => Ok(()),
						}
					},
					Action::Block => {
						next_block();
						Exchange::do_try_state().unwrap_or_else(|e| panic!("try_state: {e:?}"));
						let (bid, ask) = (depth(Side::Buy).first().copied(), depth(Side::Sell).first().copied());
						let halted = crate::Halts::<Test>::contains_key(CPU);
						if let (Some((bid, _)), Some((ask, _)), false) = (bid, ask, halted) {
							assert!(bid < ask, "the book rests crossed: {bid} >= {ask}");
						}
						Ok(())
					},
				};
			}
			next_block();
			assert_eq!(Balances::total_issuance(), issuance);
			let accounts: u64 = frame_system::Account::<Test>::iter()
				.map(|(who, _)| total_balance(who))
				.sum();
			assert_eq!(accounts, issuance);
			for event in events() {
				if let crate::Event::Traded { price, buyer, seller, .. } = event {
					assert!(price % 2 == 0 && price > 0, "a trade off the tick: {price}");
					assert_ne!(buyer, seller, "an account traded with itself");
				}
			}
		});
	}
}
