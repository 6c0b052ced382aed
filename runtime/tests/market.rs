//! Runtime integration test of the market: providers and a tenant act through signed
//! extrinsics, blocks run through `Executive` (so every hook runs as on a real chain), and a
//! lease is matched, started, paid per block and closed when its funds run out, at exactly the
//! block they cover.

mod common;

use ccre_primitives::{ActiveLeases, LeaseState};
use ccre_runtime::{
	parameters::{dynamic_params::market, RuntimeParameters},
	Balances, InsurancePoolAccount, Leases, MarketParameters, Orders, Runtime, RuntimeOrigin,
	TreasuryAccount, CCRE,
};
use common::{become_provider, order_events, preset_ext, start_block, submit};
use frame_support::{assert_ok, traits::fungible::Inspect};
use sp_genesis_builder::DEV_RUNTIME_PRESET;
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie};
use sp_runtime::Perbill;

#[test]
fn an_order_is_matched_paid_per_block_and_closed_when_its_funds_run_out() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		// Settle every 10 blocks so the test sees several settlements.
		assert_ok!(MarketParameters::set_parameter(
			RuntimeOrigin::root(),
			RuntimeParameters::Market(market::Parameters::SettlementInterval(
				market::SettlementInterval,
				Some(10),
			)),
		));
		become_provider(Alice);
		become_provider(Bob);
		let issuance = Balances::total_issuance();

		// Two units of one core at most 1 CCRE per unit and block; 25 CCRE funds 13 blocks
		// at Bob's 2 × 0.9 CCRE, with 1.6 CCRE left over.
		let unit_price = 900 * ccre_runtime::MILLI_CCRE;
		let funding = 25 * CCRE;
		let terms = common::one_core_orders(2, 3);
		submit(pallet_orders::Call::create_order { terms, funding }.into(), Charlie);
		let order = 0;
		submit(pallet_orders::Call::place_bid { order, price: CCRE }.into(), Alice);
		submit(pallet_orders::Call::place_bid { order, price: unit_price }.into(), Bob);

		start_block(2);
		start_block(3);
		assert!(pallet_leases::Leases::<Runtime>::get(order).is_none());
		start_block(4);
		assert!(order_events().iter().any(|event| matches!(
			event,
			pallet_orders::Event::OrderMatched { provider, lease_price, .. }
				if *provider == Bob.to_account_id() && *lease_price == 2 * unit_price
		)));

		start_block(5);
		submit(pallet_leases::Call::start { lease: order }.into(), Bob);
		let bob_before = Balances::balance(&Bob.to_account_id());
		let treasury_before = Balances::balance(&TreasuryAccount::get());
		let pool_before = Balances::balance(&InsurancePoolAccount::get());
		let charlie_before = Balances::balance(&Charlie.to_account_id());
		let view = ccre_runtime::Escrow::escrow_view(order).expect("an escrow account");
		assert_eq!(view.runs_out_at, Some(5 + 13));
		for block in 6..=17 {
			start_block(block);
			assert_eq!(
				pallet_leases::Leases::<Runtime>::get(order).map(|lease| lease.state),
				Some(LeaseState::Active),
				"block {block}"
			);
		}
		start_block(18);
		start_block(19);
		let lease = pallet_leases::Leases::<Runtime>::get(order).expect("kept after closing");
		assert_eq!(lease.state, LeaseState::InsufficientFunds { at: 18 });

		// Paid for 13 blocks and nothing more; 2% taken, half to the pool. Bob's part is held
		// on Charlie until it vests, or the lease is reaped.
		let paid = 13 * 2 * unit_price;
		let take = Perbill::from_percent(2) * paid;
		assert_eq!(Balances::balance(&Bob.to_account_id()), bob_before);
		assert_eq!(ccre_runtime::Escrow::vesting_of(order), paid - take);
		assert_eq!(Balances::balance(&InsurancePoolAccount::get()) - pool_before, take / 2);
		assert_eq!(Balances::balance(&TreasuryAccount::get()) - treasury_before, take - take / 2);
		assert_eq!(
			Balances::balance(&Charlie.to_account_id()) - charlie_before,
			funding - paid,
			"the remainder comes back to the tenant"
		);
		assert_eq!(Balances::total_issuance(), issuance, "the market mints and burns nothing");
		// The closed lease can be reaped by its tenant, returning the order's deposit.
		submit(pallet_leases::Call::reap { lease: order }.into(), Charlie);
		assert!(Orders::order_view(order).is_none());
		assert_eq!(Balances::balance(&Bob.to_account_id()) - bob_before, paid - take);
		assert_eq!(<Leases as ActiveLeases<_, _>>::active_leases(&Bob.to_account_id()), 0);
		for (pallet, invariants) in [
			("orders", Orders::do_try_state()),
			("leases", Leases::do_try_state()),
			("escrow", ccre_runtime::Escrow::do_try_state()),
			("providers", ccre_runtime::Providers::do_try_state()),
		] {
			assert_eq!(invariants, Ok(()), "{pallet} invariants");
		}
	});
}
