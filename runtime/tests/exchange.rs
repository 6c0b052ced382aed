//! Runtime integration test of the spot exchange: governance defines `cpu.eu` (beside the
//! preset's `cpu.std` and `cpu.small`), two providers
//! sell and three tenants buy through signed extrinsics over several 30-second intervals, with
//! every hook run by `Executive` as on a dev chain (one-second blocks); then a price shock halts
//! the class for 300 s and a call auction reopens it. The runtime API reports each step.

mod common;

use ccre_primitives::{
	exchange::{ClassId, Lots, Price, PrintSource, TimeInForce},
	AuditorRule, Capacity, LeaseState, Property, ResourceSet, SlaTerms,
};
use ccre_runtime::{
	AccountId, Balance, BlockNumber, Exchange, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin,
	System, MICRO_CCRE,
};
use ccre_runtime_api::runtime_decl_for_exchange_api::ExchangeApiV1;
use common::{become_provider, bounded, preset_ext, start_block, submit};
use frame_support::{assert_ok, traits::fungible::InspectHold};
use pallet_exchange::{Event, HaltCause};
use sp_genesis_builder::DEV_RUNTIME_PRESET;
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave, Eve};
use sp_runtime::Perbill;

/// Prices are in ticks of 100 µCCRE per lot per block.
const TICK: Price = 100 * MICRO_CCRE;
/// Blocks per 30-second interval at the dev chain's one-second blocks.
const INTERVAL: BlockNumber = 30;
/// Blocks a lease of a fill runs.
const DURATION: BlockNumber = 600;
/// The class governance adds: after the dev preset's two.
const CPU_EU: ClassId = 2;
const TENANTS: [Sr25519Keyring; 3] = [Charlie, Dave, Eve];

type ExchangeEvent = Event<Runtime>;

/// Runs blocks up to `last`, returning the exchange's events of each.
fn run_to(last: BlockNumber) -> Vec<ExchangeEvent> {
	let mut seen = Vec::new();
	while System::block_number() < last {
		start_block(System::block_number() + 1);
		seen.extend(System::events().into_iter().filter_map(|record| match record.event {
			RuntimeEvent::Exchange(event) => Some(event),
			_ => None,
		}));
	}
	seen
}

/// Block 1 of a dev chain on which governance created `cpu.eu` and Alice and Bob are
/// staked providers in `eu-west`.
fn open_market() {
	start_block(1);
	create_cpu_eu();
	become_provider(Alice);
	become_provider(Bob);
}

fn create_cpu_eu() {
	assert_ok!(Exchange::create_class(
		RuntimeOrigin::root(),
		bounded(b"cpu.eu".to_vec()),
		ResourceSet::new([(Capacity::CpuMillicores, 1_000), (Capacity::MemoryMib, 2_048)], [])
			.expect("canonical"),
		ResourceSet::new([], [(Property::Region, b"eu-west".to_vec())]).expect("canonical"),
		bounded(vec![]),
		AuditorRule::AnyOf,
		TICK,
		8,
		SlaTerms { availability: Perbill::from_percent(99), credit_rate: Perbill::one() },
	));
}

fn sell(who: Sr25519Keyring, ticks: u128, lots: Lots) {
	let call = pallet_exchange::Call::sell {
		class: CPU_EU,
		price: ticks * TICK,
		lots,
		time_in_force: TimeInForce::GoodTillCancel,
	};
	submit(RuntimeCall::from(call), who);
}

fn buy(who: Sr25519Keyring, ticks: u128, lots: Lots, time_in_force: TimeInForce<BlockNumber>) {
	let call = pallet_exchange::Call::buy {
		class: CPU_EU,
		price: ticks * TICK,
		lots,
		time_in_force,
		manifest_hash: [9; 32],
		duration: DURATION,
	};
	submit(RuntimeCall::from(call), who);
}

/// The trades among `events`: (buyer, seller, price, lots).
fn trades(events: &[ExchangeEvent]) -> Vec<(AccountId, AccountId, Price, Lots)> {
	events
		.iter()
		.filter_map(|event| match event {
			Event::Traded { buyer, seller, price, lots, .. } => {
				Some((buyer.clone(), seller.clone(), *price, *lots))
			},
			_ => None,
		})
		.collect()
}

fn purchase_held(who: Sr25519Keyring) -> Balance {
	let reason = ccre_runtime::RuntimeHoldReason::Exchange(pallet_exchange::HoldReason::Purchase);
	ccre_runtime::Balances::balance_on_hold(&reason, &who.to_account_id())
}

#[test]
fn two_providers_and_three_tenants_trade_a_class_over_many_intervals() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		open_market();
		// Alice asks 100 ticks for six lots, Bob 110 for six.
		sell(Alice, 100, 6);
		sell(Bob, 110, 6);
		let mut events = run_to(2);
		assert_eq!(
			Runtime::book(CPU_EU, 5).asks.iter().map(|l| (l.price, l.lots)).collect::<Vec<_>>(),
			vec![(100 * TICK, 6), (110 * TICK, 6)]
		);

		// Four intervals; in each, every tenant buys one lot, immediate-or-cancel, at up to
		// 110 ticks: twelve lots, Alice's six at 100 first, then Bob's at 110.
		for interval in 1..=4u32 {
			for tenant in TENANTS {
				buy(tenant, 110, 1, TimeInForce::ImmediateOrCancel);
			}
			events.extend(run_to(interval * INTERVAL + 1));
		}
		let traded = trades(&events);
		assert_eq!(traded.len(), 12);
		let from = |seller: Sr25519Keyring| {
			traded.iter().filter(|(_, s, _, _)| *s == seller.to_account_id()).count()
		};
		assert_eq!((from(Alice), from(Bob)), (6, 6));
		// Each trade at the resting ask's price, never the buyer's limit.
		assert!(traded.iter().all(|(buyer, seller, price, lots)| *lots == 1
			&& TENANTS.iter().any(|t| t.to_account_id() == *buyer)
			&& *price == if *seller == Alice.to_account_id() { 100 * TICK } else { 110 * TICK }));

		// Every fill is a lease of one lot with its seller, for its buyer, at the trade price
		// (the earliest have since timed out unstarted); the buyers' funds beyond the trade
		// price came back.
		for tenant in TENANTS {
			let leases: Vec<_> = pallet_leases::Leases::<Runtime>::iter_values()
				.filter(|lease| lease.tenant == tenant.to_account_id())
				.collect();
			assert_eq!(leases.len(), 4, "{tenant:?}");
			assert!(leases.iter().all(|lease| {
				(lease.provider == Alice.to_account_id() && lease.price == 100 * TICK)
					|| (lease.provider == Bob.to_account_id() && lease.price == 110 * TICK)
			}));
			assert!(leases.iter().any(|lease| lease.state == LeaseState::Active));
			assert_eq!(purchase_held(tenant), 0, "{tenant:?}");
		}

		// One print per interval: the VWAP of its trades; the reference is their mean.
		let index = Runtime::index(CPU_EU, None, 10);
		let prints: Vec<_> = index.iter().map(|e| (e.print.price, e.print.source)).collect();
		assert_eq!(
			prints,
			vec![
				(100 * TICK, PrintSource::Trades),
				(100 * TICK, PrintSource::Trades),
				(110 * TICK, PrintSource::Trades),
				(110 * TICK, PrintSource::Trades),
			]
		);
		assert_eq!(
			events.iter().filter(|event| matches!(event, Event::IndexPrinted { .. })).count(),
			4
		);
		let class = Runtime::class(CPU_EU).expect("cpu.eu");
		assert_eq!(class.name, b"cpu.eu".to_vec());
		assert_eq!(class.last_print.map(|print| print.price), Some(110 * TICK));
		assert!(class.halt.is_none() && !class.retired);
		let names: Vec<_> = Runtime::classes().into_iter().map(|class| class.name).collect();
		assert_eq!(names, [&b"cpu.std"[..], b"cpu.small", b"cpu.eu"]);
		assert!(Runtime::book(CPU_EU, 5).asks.is_empty());
	});
}

#[test]
fn a_price_shock_halts_the_class_for_300_seconds_and_an_auction_reopens_it() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		open_market();
		// Two intervals print 100 ticks: the band is 85..=115 ticks.
		sell(Alice, 100, 2);
		run_to(2);
		buy(Charlie, 100, 1, TimeInForce::ImmediateOrCancel);
		run_to(INTERVAL + 1);
		buy(Dave, 100, 1, TimeInForce::ImmediateOrCancel);
		run_to(2 * INTERVAL + 1);
		let band = Runtime::class(CPU_EU).and_then(|class| class.band).expect("a band");
		assert_eq!((band.low, band.high), (85 * TICK, 115 * TICK));

		// The shock: Bob asks 200 ticks and Eve takes it; the trade would print outside the
		// band, so nothing trades and the class halts for 300 blocks.
		sell(Bob, 200, 1);
		run_to(2 * INTERVAL + 2);
		buy(Eve, 200, 1, TimeInForce::GoodTillCancel);
		let shock_block = System::block_number() + 1;
		let events = run_to(shock_block);
		let halted_until = events
			.iter()
			.find_map(|event| match event {
				Event::ClassHalted { cause: HaltCause::TradeOutsideBand, until, .. } => {
					Some(*until)
				},
				_ => None,
			})
			.expect("the class halted");
		assert_eq!(halted_until, shock_block + 300);
		assert!(trades(&events).is_empty());
		assert_eq!(
			Runtime::class(CPU_EU).and_then(|class| class.halt).map(|h| h.until),
			Some(halted_until)
		);

		// While halted, orders are placed and cancelled but nothing matches, even crossed:
		// Alice asks 105 ticks for two lots.
		sell(Alice, 105, 2);
		let events = run_to(halted_until - 1);
		assert!(trades(&events).is_empty());
		let book = Runtime::book(CPU_EU, 5);
		assert_eq!(book.bids.first().map(|l| (l.price, l.lots)), Some((200 * TICK, 1)));
		assert_eq!(book.asks.first().map(|l| (l.price, l.lots)), Some((105 * TICK, 2)));
		assert_eq!(Runtime::orders_of(Eve.to_account_id()).len(), 1);

		// At the end of the halt the call auction clears inside its ±15% collar (85..=115
		// ticks) at Alice's 105, the one price there that trades Eve's lot; Bob's 200 stays.
		let events = run_to(halted_until);
		assert!(events.contains(&Event::ClassReopened {
			class: CPU_EU,
			price: Some(105 * TICK),
			lots: 1
		}));
		assert_eq!(
			trades(&events),
			vec![(Eve.to_account_id(), Alice.to_account_id(), 105 * TICK, 1)]
		);
		assert!(Runtime::class(CPU_EU).and_then(|class| class.halt).is_none());
		let asks: Vec<_> =
			Runtime::book(CPU_EU, 5).asks.iter().map(|l| (l.price, l.lots)).collect();
		assert_eq!(asks, vec![(105 * TICK, 1), (200 * TICK, 1)]);
		assert!(Runtime::orders_of(Eve.to_account_id()).is_empty());
		assert_eq!(purchase_held(Eve), 0);

		// Trading is continuous again: Charlie lifts Alice's last lot at once.
		buy(Charlie, 110, 1, TimeInForce::ImmediateOrCancel);
		let events = run_to(halted_until + 1);
		assert_eq!(trades(&events).len(), 1);
	});
}
