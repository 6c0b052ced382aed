//! The market against dishonest users, through signed extrinsics and `Executive`: a provider
//! and a tenant acting together, Sybils squatting bounded lists, strangers sending oversized
//! calls. Each test is one finding of the adversarial review (issue 14).

mod common;

use ccre_primitives::{
	Capacity, CloseReason, OrderTerms, OrderType, Property, ProviderInspect, ResourceSet,
};
use ccre_runtime::{
	Balances, InsurancePoolAccount, Providers, Runtime, RuntimeCall, RuntimeEvent, System,
	UncheckedExtrinsic, CCRE,
};
use codec::{Decode, Encode};
use common::{
	apply_by, become_provider, funded_pair, one_core_orders, order_events, preset_ext, refused,
	start_block, submit,
};
use frame_support::traits::{fungible::Inspect, Get};
use sp_genesis_builder::DEV_RUNTIME_PRESET;
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave, Ferdie};
use sp_runtime::Perbill;

fn run_to(block: u32) {
	for number in System::block_number() + 1..=block {
		start_block(number);
	}
}

/// Everything `who` owns: free and held.
fn wealth(who: Sr25519Keyring) -> u128 {
	Balances::total_balance(&who.to_account_id())
}

fn one_core() -> ResourceSet {
	ResourceSet::new([(Capacity::CpuMillicores, 1_000)], []).expect("valid")
}

fn immediate(units: u32) -> pallet_orders::TermsOf<Runtime> {
	OrderTerms { order_type: OrderType::ImmediateOrCancel, ..one_core_orders(units, 0) }
}

/// An order of one core at up to 10 CCRE a block, bids taken for two blocks.
fn ten_ccre_a_block() -> pallet_orders::TermsOf<Runtime> {
	OrderTerms { max_price: 10 * CCRE, ..one_core_orders(1, 2) }
}

/// `who` becomes a provider with stake to back leases worth 10 CCRE a block (300 blocks of
/// their price).
fn become_provider_for_ten_ccre_a_block(who: Sr25519Keyring) {
	become_provider(who);
	submit(pallet_providers::Call::bond { amount: 2_000 * CCRE }.into(), who);
}

/// A provider fills its own standing offer with a tenant it controls, closes each lease before
/// starting it and reaps it: five rounds must not move its reputation.
#[test]
fn leases_closed_before_they_start_do_not_farm_reputation() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		become_provider(Alice);
		submit(
			pallet_orders::Call::post_offer {
				unit: one_core(),
				units: 5,
				price: CCRE,
				available_from: 1,
				available_until: 50,
			}
			.into(),
			Alice,
		);
		for lease in 0..5 {
			submit(
				pallet_orders::Call::create_order { terms: immediate(1), funding: 10 * CCRE }
					.into(),
				Bob,
			);
			submit(
				pallet_leases::Call::close { lease, reason: ccre_primitives::CloseReason::Tenant }
					.into(),
				Bob,
			);
			submit(pallet_leases::Call::reap { lease }.into(), Bob);
		}
		assert_eq!(Providers::reputation(&Alice.to_account_id()), Perbill::from_percent(50));
	});
}

/// A tenant that never sends its manifest lets the lease time out: that is not the provider's
/// failure.
#[test]
fn a_withheld_manifest_does_not_cost_the_provider_reputation() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		become_provider(Alice);
		submit(
			pallet_orders::Call::create_order { terms: one_core_orders(1, 2), funding: 10 * CCRE }
				.into(),
			Bob,
		);
		submit(pallet_orders::Call::place_bid { order: 0, price: CCRE }.into(), Alice);
		run_to(3);
		assert!(pallet_leases::Leases::<Runtime>::contains_key(0));
		// The manifest timeout is 100 blocks.
		run_to(110);
		let lease = pallet_leases::Leases::<Runtime>::get(0).expect("kept for claims");
		assert!(lease.state.closed_at().is_some());
		assert_eq!(Providers::reputation(&Alice.to_account_id()), Perbill::from_percent(50));
	});
}

/// The extrinsic bytes of `create_order` with `auditors` repeated `count` times, signed by
/// Charlie (the signature covers a one-auditor call; decoding comes before any check of it).
fn oversized_create_order(count: usize) -> Vec<u8> {
	let plain = one_core_orders(1, 2)
		.try_map_auditors(|auditors| Ok::<_, ()>(auditors.into_inner()))
		.expect("a plain list");
	let mut big_call = vec![13u8, 0u8];
	OrderTerms { auditors: vec![Alice.to_account_id(); count], ..plain }.encode_to(&mut big_call);
	(10 * CCRE).encode_to(&mut big_call);
	let small = OrderTerms {
		auditors: common::bounded(vec![Alice.to_account_id()]),
		..one_core_orders(1, 2)
	};
	let call: RuntimeCall =
		pallet_orders::Call::create_order { terms: small, funding: 10 * CCRE }.into();
	let small_call = call.encode();
	let extrinsic = common::signed(call, Charlie, 0, 0).encode();
	// Drop the length prefix and the small call; append the big one and prefix the new length.
	let prefix = codec::Compact::<u32>::decode(&mut &extrinsic[..]).expect("length prefix");
	let body =
		&extrinsic[<codec::Compact<u32> as codec::CompactLen<u32>>::compact_len(&prefix.0)..];
	let mut body = body[..body.len() - small_call.len()].to_vec();
	body.extend_from_slice(&big_call);
	let mut bytes = codec::Compact(body.len() as u32).encode();
	bytes.extend_from_slice(&body);
	bytes
}

/// Counts the bytes a decoder reads.
struct CountingInput<'a> {
	inner: &'a [u8],
	read: usize,
}

impl codec::Input for CountingInput<'_> {
	fn remaining_len(&mut self) -> Result<Option<usize>, codec::Error> {
		Ok(Some(self.inner.len()))
	}

	fn read(&mut self, into: &mut [u8]) -> Result<(), codec::Error> {
		if into.len() > self.inner.len() {
			return Err("end of input".into());
		}
		into.copy_from_slice(&self.inner[..into.len()]);
		self.inner = &self.inner[into.len()..];
		self.read += into.len();
		Ok(())
	}
}

/// An order naming 100 000 auditors (3.2 MB) is refused when the extrinsic is decoded, having
/// read no more of it than a few hundred bytes.
#[test]
fn an_oversized_auditor_list_is_refused_at_decode() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		let bytes = oversized_create_order(100_000);
		assert!(bytes.len() > 3_000_000);
		let mut input = CountingInput { inner: &bytes, read: 0 };
		let decoded = UncheckedExtrinsic::decode(&mut input);
		assert!(decoded.is_err(), "an order with 100 000 auditors decodes");
		assert!(input.read < 1_000, "the decoder read {} bytes before refusing", input.read);
		// Nine auditors, one over the bound, are refused the same way.
		assert!(UncheckedExtrinsic::decode(&mut &oversized_create_order(9)[..]).is_err());
	});
}

/// A provider bonds the minimum, its own tenant fills its order at 10 CCRE a block, the
/// provider starts the lease and sends no heartbeats; after two missed epochs the tenant claims.
/// The pair must not end richer, and the underwriters' pool must not end poorer.
#[test]
fn a_provider_and_tenant_together_cannot_drain_the_pool() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		submit(pallet_sla::Call::underwrite { amount: 10_000 * CCRE }.into(), Ferdie);
		become_provider_for_ten_ccre_a_block(Alice);
		let pool = InsurancePoolAccount::get();
		let pair_before = wealth(Alice) + wealth(Charlie);
		let pool_before = Balances::balance(&pool);
		let terms = ten_ccre_a_block();
		submit(pallet_orders::Call::create_order { terms, funding: 5_000 * CCRE }.into(), Charlie);
		submit(pallet_orders::Call::place_bid { order: 0, price: 10 * CCRE }.into(), Alice);
		run_to(5);
		submit(pallet_leases::Call::start { lease: 0 }.into(), Alice);
		// Epochs of 100 blocks: 1 and 2 are whole and missed.
		run_to(300);
		submit(pallet_sla::Call::claim_downtime { lease: 0 }.into(), Charlie);
		// The credit came back from what Alice was paid for those very epochs.
		assert!(System::events().iter().any(|record| matches!(
			record.event,
			RuntimeEvent::Sla(pallet_sla::Event::DowntimeCompensated { credit, clawed_back, .. })
				if credit == 2_000 * CCRE && clawed_back >= 1_960 * CCRE
		)));
		// The pair closes and reaps the lease, so Alice gets all she still has coming.
		submit(
			pallet_leases::Call::close { lease: 0, reason: CloseReason::Tenant }.into(),
			Charlie,
		);
		submit(pallet_leases::Call::reap { lease: 0 }.into(), Charlie);
		let pair_after = wealth(Alice) + wealth(Charlie);
		let pool_after = Balances::balance(&pool);
		println!(
			"the pair ends {:.3} CCRE poorer, the pool {:.3} CCRE richer",
			(pair_before as f64 - pair_after as f64) / CCRE as f64,
			(pool_after as f64 - pool_before as f64) / CCRE as f64,
		);
		assert!(
			pair_after <= pair_before,
			"the pair gained {} CCRE",
			(pair_after - pair_before) / CCRE
		);
		assert!(pool_after >= pool_before, "the pool lost to the pair");
	});
}

/// Stake that backs active leases cannot leave: unbonding it is refused.
#[test]
fn stake_backing_active_leases_cannot_be_unbonded() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		become_provider_for_ten_ccre_a_block(Alice);
		let terms = ten_ccre_a_block();
		submit(pallet_orders::Call::create_order { terms, funding: 5_000 * CCRE }.into(), Charlie);
		submit(pallet_orders::Call::place_bid { order: 0, price: 10 * CCRE }.into(), Alice);
		run_to(5);
		submit(pallet_leases::Call::start { lease: 0 }.into(), Alice);
		// 300 blocks at 10 CCRE must stay bonded: 3 000 of the 3 000.
		let unbond: RuntimeCall = pallet_providers::Call::unbond { amount: CCRE }.into();
		assert_eq!(
			refused(unbond, Alice),
			pallet_providers::Error::<Runtime>::CollateralRequired.into()
		);
	});
}

/// A standing offer may offer only what its provider registered: not a GPU it does not have,
/// nor more cores than it has.
#[test]
fn a_standing_offer_cannot_claim_what_the_provider_did_not_register() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		become_provider(Alice);
		let gpu = ResourceSet::new([(Capacity::Gpus, 1)], [(Property::GpuModel, b"h100".to_vec())])
			.expect("valid");
		let region = ResourceSet::new(
			[(Capacity::CpuMillicores, 1_000)],
			[(Property::Region, b"us-east".to_vec())],
		)
		.expect("valid");
		for (unit, units) in [(gpu, 1), (region, 1), (one_core(), 9)] {
			let call: RuntimeCall = pallet_orders::Call::post_offer {
				unit,
				units,
				price: CCRE,
				available_from: 1,
				available_until: 50,
			}
			.into();
			assert_eq!(
				refused(call, Alice),
				pallet_orders::Error::<Runtime>::OfferExceedsRegistration.into()
			);
		}
		assert_eq!(pallet_orders::Offers::<Runtime>::count(), 0);
	});
}

/// A disputed claim is bounded by what the lease put at risk, not by what the tenant asks.
#[test]
fn a_claim_filed_against_a_lease_cannot_exceed_what_the_lease_paid() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		become_provider(Alice);
		submit(
			pallet_orders::Call::create_order { terms: one_core_orders(1, 2), funding: 50 * CCRE }
				.into(),
			Charlie,
		);
		submit(pallet_orders::Call::place_bid { order: 0, price: CCRE }.into(), Alice);
		run_to(5);
		submit(pallet_leases::Call::start { lease: 0 }.into(), Alice);
		run_to(20);
		// 15 blocks at 1 CCRE have been paid; a claim for a million is not about this lease.
		let call: RuntimeCall =
			pallet_sla::Call::file_claim { lease: 0, amount: 1_000_000 * CCRE, evidence: [1; 32] }
				.into();
		assert_eq!(refused(call, Charlie), pallet_sla::Error::<Runtime>::AboveAtRisk.into());
	});
}

/// The hooks that must run every block never have budgets adding up to more than a block.
#[test]
fn the_mandatory_hooks_budgets_fit_in_a_block() {
	use frame_support::traits::Get;
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let max = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
		let total = ccre_runtime::parameters::MatchingBudget::get()
			.saturating_add(ccre_runtime::parameters::MaintenanceBudget::get())
			.saturating_add(ccre_runtime::parameters::MaintenanceBudget::get())
			.saturating_add(<Runtime as pallet_scheduler::Config>::MaximumWeight::get());
		assert!(max.all_gte(total), "hooks may use {total:?} of a {max:?} block");
	});
}

/// Four staked accounts fill every standing-offer slot with offers that never lapse; an honest
/// provider must still get its offer onto the market.
#[test]
fn squatters_cannot_keep_an_honest_offer_off_the_market() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		let squatters = [Alice, Bob, Charlie, Sr25519Keyring::Dave];
		for squatter in squatters {
			become_provider(squatter);
			for _ in 0..16 {
				submit(
					pallet_orders::Call::post_offer {
						unit: one_core(),
						units: 1,
						price: 1_000 * CCRE,
						available_from: 1,
						available_until: 1_000,
					}
					.into(),
					squatter,
				);
			}
		}
		assert_eq!(pallet_orders::Offers::<Runtime>::count(), 64);
		become_provider(Sr25519Keyring::Eve);
		submit(
			pallet_orders::Call::post_offer {
				unit: one_core(),
				units: 4,
				price: CCRE,
				available_from: 1,
				available_until: 1_000,
			}
			.into(),
			Sr25519Keyring::Eve,
		);
		assert!(order_events()
			.iter()
			.any(|event| matches!(event, pallet_orders::Event::OfferPosted { units: 4, .. })));
	});
}

/// An order whose winner holds all the leases it may when the order closes goes to the
/// runner-up, instead of dying: a full provider bidding low cannot kill orders.
#[test]
fn an_order_whose_winner_is_full_goes_to_the_runner_up() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		let cap = <Runtime as pallet_leases::Config>::MaxLeasesPerProvider::get();
		// Alice registers 1 024 cores and offers them a tenth of a core at a time.
		submit(common::register_call(1_024), Alice);
		submit(pallet_providers::Call::bond { amount: 100_000 * CCRE }.into(), Alice);
		become_provider(Bob);
		let tenth = ResourceSet::new([(Capacity::CpuMillicores, 100)], []).expect("valid");
		submit(
			pallet_orders::Call::post_offer {
				unit: tenth.clone(),
				units: cap,
				price: ccre_runtime::MILLI_CCRE,
				available_from: 1,
				available_until: 1_000,
			}
			.into(),
			Alice,
		);
		let one_tenth = OrderTerms { resources: tenth, ..immediate(1) };
		let take_one = || {
			let id = pallet_orders::NextOrderId::<Runtime>::get();
			submit(
				pallet_orders::Call::create_order { terms: one_tenth.clone(), funding: CCRE }
					.into(),
				Dave,
			);
			submit(pallet_leases::Call::start { lease: id }.into(), Alice);
		};
		for taken in 1..cap {
			// A block holds a few hundred of these.
			if taken % 200 == 0 {
				run_to(System::block_number() + 1);
			}
			take_one();
		}
		// Alice bids low while she has room; Bob bids higher.
		let order = pallet_orders::NextOrderId::<Runtime>::get();
		submit(
			pallet_orders::Call::create_order { terms: one_core_orders(1, 3), funding: 10 * CCRE }
				.into(),
			Charlie,
		);
		submit(pallet_orders::Call::place_bid { order, price: 1 }.into(), Alice);
		submit(pallet_orders::Call::place_bid { order, price: CCRE / 2 }.into(), Bob);
		// Her last lease goes before the close.
		take_one();
		assert_eq!(
			<ccre_runtime::Leases as ccre_primitives::ActiveLeases<_, _>>::active_leases(
				&Alice.to_account_id()
			),
			cap
		);
		run_to(System::block_number() + 3);
		assert_eq!(
			pallet_orders::Orders::<Runtime>::get(order).map(|order| order.state),
			Some(ccre_primitives::OrderState::Leased { provider: Bob.to_account_id() })
		);
	});
}

/// Thirty-two staked accounts bidding on an order cannot keep a cheaper bid off it.
#[test]
fn bidders_cannot_squat_an_order() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		submit(
			pallet_orders::Call::create_order { terms: one_core_orders(1, 5), funding: 10 * CCRE }
				.into(),
			Charlie,
		);
		let max_bids = <Runtime as pallet_orders::Config>::MaxBidsPerOrder::get();
		let squatter = |index: u32| {
			let (pair, _) = funded_pair(&format!("Squatter{index}"), 10_000 * CCRE);
			assert!(matches!(apply_by(common::register_call(8), &pair), Ok(Ok(()))));
			let bond = pallet_providers::Call::bond { amount: 1_000 * CCRE }.into();
			assert!(matches!(apply_by(bond, &pair), Ok(Ok(()))));
			pair
		};
		for index in 0..max_bids {
			let pair = squatter(index);
			let bid = pallet_orders::Call::place_bid { order: 0, price: CCRE }.into();
			assert!(matches!(apply_by(bid, &pair), Ok(Ok(()))));
		}
		become_provider(Bob);
		submit(pallet_orders::Call::place_bid { order: 0, price: CCRE / 2 }.into(), Bob);
		assert!(pallet_orders::Bids::<Runtime>::get(0)
			.iter()
			.any(|bid| bid.provider == Bob.to_account_id()));
	});
}

/// While matching is deferred, the window is still over: no bid can be withdrawn once every
/// bid is known.
#[test]
fn a_bid_stands_once_the_window_has_closed() {
	use ccre_runtime::parameters::{dynamic_params::market, RuntimeParameters};
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		// Matching gets the least share governance may give it, and more orders close at
		// block 4 than it holds.
		submit(
			pallet_sudo::Call::sudo {
				call: Box::new(
					ccre_runtime::market_parameters::Call::set_parameter {
						key_value: RuntimeParameters::Market(market::Parameters::MatchingShare(
							market::MatchingShare,
							Some(Perbill::from_percent(5)),
						)),
					}
					.into(),
				),
			}
			.into(),
			Alice,
		);
		become_provider(Bob);
		for _ in 0..600 {
			submit(
				pallet_orders::Call::create_order {
					terms: one_core_orders(1, 3),
					funding: 10 * CCRE,
				}
				.into(),
				Charlie,
			);
		}
		submit(pallet_orders::Call::place_bid { order: 599, price: CCRE }.into(), Bob);
		run_to(4);
		assert!(System::events().iter().any(|record| matches!(
			record.event,
			RuntimeEvent::Orders(pallet_orders::Event::MatchingDeferred { .. })
		)));
		assert_eq!(
			refused(pallet_orders::Call::withdraw_bid { order: 599 }.into(), Bob),
			pallet_orders::Error::<Runtime>::BidWindowClosed.into()
		);
	});
}

/// A referendum cannot set a parameter to a value that turns a safety off, on either track.
#[test]
fn governance_cannot_turn_a_safety_off() {
	use ccre_runtime::{
		market_parameters::Error as BoundsError,
		parameters::{
			dynamic_params::{market, providers},
			RuntimeParameters,
		},
		MarketParameters, RuntimeOrigin,
	};
	use frame_support::{assert_noop, assert_ok};
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		let unsafe_values = [
			RuntimeParameters::Providers(providers::Parameters::UnbondingPeriod(
				providers::UnbondingPeriod,
				Some(0),
			)),
			RuntimeParameters::Market(market::Parameters::ClosedLeaseRetention(
				market::ClosedLeaseRetention,
				Some(0),
			)),
			RuntimeParameters::Market(market::Parameters::VestingPeriod(
				market::VestingPeriod,
				Some(0),
			)),
			RuntimeParameters::Market(market::Parameters::MatchingShare(
				market::MatchingShare,
				Some(Perbill::from_percent(90)),
			)),
			RuntimeParameters::Market(market::Parameters::BidDeposit(market::BidDeposit, Some(0))),
		];
		let market_admin: RuntimeOrigin = ccre_runtime::origins::Origin::MarketAdmin.into();
		for key_value in unsafe_values {
			for origin in [market_admin.clone(), RuntimeOrigin::root()] {
				assert_noop!(
					MarketParameters::set_parameter(origin, key_value.clone()),
					BoundsError::<Runtime>::OutOfBounds
				);
			}
		}
		// pallet-parameters itself takes only values the bounds passed.
		let direct = RuntimeParameters::Providers(providers::Parameters::UnbondingPeriod(
			providers::UnbondingPeriod,
			Some(0),
		));
		assert!(ccre_runtime::Parameters::set_parameter(RuntimeOrigin::root(), direct).is_err());
		// Within bounds, both tracks may change it, and back to the default.
		let fine = RuntimeParameters::Providers(providers::Parameters::UnbondingPeriod(
			providers::UnbondingPeriod,
			Some(2 * ccre_runtime::parameters::DAYS),
		));
		assert_ok!(MarketParameters::set_parameter(market_admin.clone(), fine));
		let default = RuntimeParameters::Providers(providers::Parameters::UnbondingPeriod(
			providers::UnbondingPeriod,
			None,
		));
		assert_ok!(MarketParameters::set_parameter(market_admin, default));
	});
}

/// A provider's heartbeat record goes when it serves no lease any more.
#[test]
fn a_provider_serving_nothing_keeps_no_heartbeat_record() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		become_provider(Alice);
		submit(
			pallet_orders::Call::create_order { terms: one_core_orders(1, 2), funding: 500 * CCRE }
				.into(),
			Charlie,
		);
		submit(pallet_orders::Call::place_bid { order: 0, price: CCRE }.into(), Alice);
		run_to(5);
		submit(pallet_leases::Call::start { lease: 0 }.into(), Alice);
		run_to(200);
		submit(pallet_sla::Call::heartbeat { leases: common::bounded(vec![0]) }.into(), Alice);
		assert!(pallet_sla::LastHeartbeat::<Runtime>::contains_key(Alice.to_account_id()));
		submit(
			pallet_leases::Call::close { lease: 0, reason: CloseReason::Tenant }.into(),
			Charlie,
		);
		assert!(!pallet_sla::LastHeartbeat::<Runtime>::contains_key(Alice.to_account_id()));
	});
}

/// Every block of the market's life keeps the runtime's invariants, cross-pallet ones included.
#[test]
fn the_runtime_invariants_hold_through_a_lease_and_its_claims() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		submit(pallet_sla::Call::underwrite { amount: 10_000 * CCRE }.into(), Ferdie);
		become_provider_for_ten_ccre_a_block(Alice);
		submit(
			pallet_orders::Call::create_order { terms: ten_ccre_a_block(), funding: 5_000 * CCRE }
				.into(),
			Charlie,
		);
		submit(pallet_orders::Call::place_bid { order: 0, price: 10 * CCRE }.into(), Alice);
		for block in 2..=300 {
			start_block(block);
			if block == 5 {
				submit(pallet_leases::Call::start { lease: 0 }.into(), Alice);
			}
			if block == 250 {
				submit(pallet_sla::Call::claim_downtime { lease: 0 }.into(), Charlie);
			}
			ccre_runtime::invariants::check()
				.unwrap_or_else(|error| panic!("block {block}: {error:?}"));
		}
	});
}
