//! Bad input to every CCRE call, through signed extrinsics: each is refused with a typed error
//! a tenant can read in polkadot-js, changes nothing in the market's state, and pays its fee
//! (to the treasury), so refused calls cannot be spammed for free.

mod common;

use ccre_primitives::{Capacity, CloseReason, OrderTerms, Property, ResourceSet};
use ccre_runtime::{Runtime, RuntimeCall, System, TreasuryAccount, CCRE};
use common::{
	apply_by, become_provider, bounded, one_core_orders, preset_ext, start_block, submit,
};
use frame_support::traits::fungible::Inspect;
use sp_genesis_builder::DEV_RUNTIME_PRESET;
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave, Eve};
use sp_runtime::DispatchError;

/// Every key and value the market's pallets, the parameters and the balances' holds store,
/// hashed: equal before and after a refused call if it changed nothing.
fn market_state() -> [u8; 32] {
	let pallet = |name: &str| sp_io::hashing::twox_128(name.as_bytes()).to_vec();
	let item = |name: &str| {
		[pallet("Balances"), sp_io::hashing::twox_128(name.as_bytes()).to_vec()].concat()
	};
	let prefixes = ["Certificates", "Providers", "Escrow", "Leases", "Orders", "Sla", "Parameters"]
		.map(pallet)
		.into_iter()
		.chain(["Holds", "Freezes", "TotalIssuance"].map(item));
	let mut all = Vec::new();
	for prefix in prefixes {
		let mut key = prefix.clone();
		while let Some(next) =
			sp_io::storage::next_key(&key).filter(|next| next.starts_with(&prefix))
		{
			all.extend_from_slice(&next);
			all.extend_from_slice(&sp_io::storage::get(&next).unwrap_or_default());
			key = next;
		}
	}
	sp_io::hashing::blake2_256(&all)
}

/// Submits `call` as `who` and checks that it is refused with `expected` (a pallet's error
/// index, or another dispatch error), changing nothing but `who`'s balance, by the fee, which
/// the treasury receives.
fn refused_for_nothing(who: Sr25519Keyring, call: RuntimeCall, expected: DispatchError) {
	let before = market_state();
	let balance = ccre_runtime::Balances::balance(&who.to_account_id());
	let treasury = ccre_runtime::Balances::balance(&TreasuryAccount::get());
	let label = format!("{call:?}");
	match apply_by(call, &who.pair()) {
		Ok(Err(error)) => assert_eq!(error, expected, "{label}"),
		outcome => panic!("{label}: expected {expected:?}, got {outcome:?}"),
	}
	assert_eq!(market_state(), before, "{label} changed the market's state");
	let fee = balance - ccre_runtime::Balances::balance(&who.to_account_id());
	assert!(fee > 0, "{label} paid no fee");
	assert_eq!(
		ccre_runtime::Balances::balance(&TreasuryAccount::get()) - treasury,
		fee,
		"{label}: the fee went elsewhere"
	);
}

fn orders(error: pallet_orders::Error<Runtime>) -> DispatchError {
	error.into()
}

fn providers(error: pallet_providers::Error<Runtime>) -> DispatchError {
	error.into()
}

#[test]
fn every_call_refuses_bad_input_with_a_typed_error_changes_nothing_and_charges_its_fee() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		// A provider (Alice), an auditor (Eve), an open order of Charlie's with Alice's bid on
		// it, and a lease of Charlie's with Alice, started.
		become_provider(Alice);
		submit(
			pallet_sudo::Call::sudo {
				call: Box::new(
					pallet_providers::Call::add_auditor { auditor: Eve.to_account_id() }.into(),
				),
			}
			.into(),
			Alice,
		);
		submit(
			pallet_orders::Call::create_order { terms: one_core_orders(1, 2), funding: 50 * CCRE }
				.into(),
			Charlie,
		);
		submit(pallet_orders::Call::place_bid { order: 0, price: CCRE }.into(), Alice);
		start_block(2);
		start_block(3);
		submit(pallet_leases::Call::start { lease: 0 }.into(), Alice);
		submit(
			pallet_orders::Call::create_order { terms: one_core_orders(1, 5), funding: 50 * CCRE }
				.into(),
			Charlie,
		);
		submit(pallet_orders::Call::place_bid { order: 1, price: CCRE }.into(), Alice);
		let open_order = 1;
		let lease = 0;

		use pallet_certificates::Error as Certificates;
		use pallet_escrow::Error as Escrow;
		use pallet_leases::Error as Leases;
		use pallet_orders::Error as Orders;
		use pallet_providers::Error as Providers;
		use pallet_sla::Error as Sla;
		let terms = one_core_orders(1, 3);
		let cases: Vec<(Sr25519Keyring, RuntimeCall, DispatchError)> = vec![
			// Orders.
			(
				Charlie,
				pallet_orders::Call::create_order {
					terms: OrderTerms { units: 0, ..terms.clone() },
					funding: 50 * CCRE,
				}
				.into(),
				orders(Orders::ZeroUnits),
			),
			(
				Charlie,
				pallet_orders::Call::create_order {
					terms: OrderTerms { max_price: 0, ..terms.clone() },
					funding: 50 * CCRE,
				}
				.into(),
				orders(Orders::ZeroPrice),
			),
			(
				Charlie,
				pallet_orders::Call::create_order {
					terms: OrderTerms { bid_window: 100_000, ..terms.clone() },
					funding: 50 * CCRE,
				}
				.into(),
				orders(Orders::BidWindowTooLong),
			),
			(
				Charlie,
				pallet_orders::Call::create_order {
					terms: OrderTerms {
						auditors: bounded(vec![Eve.to_account_id(), Eve.to_account_id()]),
						..terms.clone()
					},
					funding: 50 * CCRE,
				}
				.into(),
				orders(Orders::DuplicateAuditor),
			),
			(
				Charlie,
				pallet_orders::Call::create_order { terms: terms.clone(), funding: 1 }.into(),
				orders(Orders::InsufficientFunding),
			),
			(
				Charlie,
				pallet_orders::Call::cancel_order { order: 99 }.into(),
				orders(Orders::UnknownOrder),
			),
			(
				Dave,
				pallet_orders::Call::cancel_order { order: open_order }.into(),
				orders(Orders::NotTenant),
			),
			(
				Dave,
				pallet_orders::Call::update_manifest { order: open_order, manifest_hash: [1; 32] }
					.into(),
				orders(Orders::NotTenant),
			),
			(
				Alice,
				pallet_orders::Call::place_bid { order: open_order, price: 2 * CCRE }.into(),
				orders(Orders::PriceAboveMaximum),
			),
			(
				Dave,
				pallet_orders::Call::place_bid { order: open_order, price: CCRE }.into(),
				orders(Orders::NotRegistered),
			),
			(
				Alice,
				pallet_orders::Call::place_bid { order: open_order, price: CCRE / 2 }.into(),
				orders(Orders::AlreadyBid),
			),
			(
				Bob,
				pallet_orders::Call::withdraw_bid { order: open_order }.into(),
				orders(Orders::NoBid),
			),
			(
				Bob,
				pallet_orders::Call::reclaim_bid_deposits {}.into(),
				orders(Orders::NothingToReclaim),
			),
			(
				Alice,
				pallet_orders::Call::post_offer {
					unit: ResourceSet::new([(Capacity::Gpus, 1)], []).expect("valid"),
					units: 1,
					price: CCRE,
					available_from: 1,
					available_until: 10,
				}
				.into(),
				orders(Orders::OfferExceedsRegistration),
			),
			(
				Alice,
				pallet_orders::Call::post_offer {
					unit: ResourceSet::new([(Capacity::CpuMillicores, 1_000)], []).expect("valid"),
					units: 0,
					price: CCRE,
					available_from: 1,
					available_until: 10,
				}
				.into(),
				orders(Orders::ZeroUnits),
			),
			(
				Alice,
				pallet_orders::Call::withdraw_offer { offer: 9 }.into(),
				orders(Orders::UnknownOffer),
			),
			// Leases.
			(
				Alice,
				pallet_leases::Call::start { lease: 99 }.into(),
				Leases::<Runtime>::UnknownLease.into(),
			),
			(
				Alice,
				pallet_leases::Call::start { lease }.into(),
				Leases::<Runtime>::AlreadyStarted.into(),
			),
			(
				Dave,
				pallet_leases::Call::close { lease, reason: CloseReason::Tenant }.into(),
				Leases::<Runtime>::NotParticipant.into(),
			),
			(
				Charlie,
				pallet_leases::Call::close { lease, reason: CloseReason::Expired }.into(),
				Leases::<Runtime>::NotAllowed.into(),
			),
			(
				Charlie,
				pallet_leases::Call::reap { lease }.into(),
				Leases::<Runtime>::StillActive.into(),
			),
			// Escrow.
			(
				Charlie,
				pallet_escrow::Call::deposit { order: 99, amount: CCRE }.into(),
				Escrow::<Runtime>::UnknownAccount.into(),
			),
			(
				Charlie,
				pallet_escrow::Call::deposit { order: lease, amount: 0 }.into(),
				Escrow::<Runtime>::ZeroAmount.into(),
			),
			(
				Charlie,
				pallet_escrow::Call::settle { order: open_order }.into(),
				Escrow::<Runtime>::NoStream.into(),
			),
			(
				Charlie,
				pallet_escrow::Call::release_vested { order: lease }.into(),
				Escrow::<Runtime>::NothingVested.into(),
			),
			// Providers.
			(Alice, common::register_call(8), providers(Providers::AlreadyRegistered)),
			(
				Dave,
				pallet_providers::Call::register {
					host_uri: bounded(b"https://dave.example".to_vec()),
					capacities: bounded(vec![(Capacity::CpuMillicores, 1_000)]),
					properties: bounded(vec![(Property::Os, bounded(b"linux".to_vec()))]),
					contact: Default::default(),
				}
				.into(),
				providers(Providers::MissingRegion),
			),
			(
				Dave,
				pallet_providers::Call::register {
					host_uri: Default::default(),
					capacities: bounded(vec![(Capacity::CpuMillicores, 1_000)]),
					properties: bounded(vec![(Property::Region, bounded(b"eu".to_vec()))]),
					contact: Default::default(),
				}
				.into(),
				providers(Providers::EmptyHostUri),
			),
			(
				Dave,
				pallet_providers::Call::deregister {}.into(),
				providers(Providers::NotRegistered),
			),
			(
				Alice,
				pallet_providers::Call::deregister {}.into(),
				providers(Providers::HasActiveLeases),
			),
			(
				Alice,
				pallet_providers::Call::bond { amount: 0 }.into(),
				providers(Providers::ZeroAmount),
			),
			(
				Alice,
				pallet_providers::Call::unbond { amount: 2_000 * CCRE }.into(),
				providers(Providers::InsufficientActiveStake),
			),
			(
				Alice,
				pallet_providers::Call::unbond { amount: 1_000 * CCRE }.into(),
				providers(Providers::CollateralRequired),
			),
			(
				Alice,
				pallet_providers::Call::withdraw_unbonded {}.into(),
				providers(Providers::NothingToWithdraw),
			),
			(
				Dave,
				pallet_providers::Call::attest { provider: Alice.to_account_id() }.into(),
				providers(Providers::NotAuditor),
			),
			(
				Eve,
				pallet_providers::Call::withdraw_attestation { provider: Alice.to_account_id() }
					.into(),
				providers(Providers::NotAttested),
			),
			(
				Dave,
				pallet_providers::Call::add_auditor { auditor: Dave.to_account_id() }.into(),
				DispatchError::BadOrigin,
			),
			// Certificates.
			(
				Dave,
				pallet_certificates::Call::publish {
					der: bounded(vec![0x30, 0x00]),
					proof: Default::default(),
				}
				.into(),
				Certificates::<Runtime>::MalformedCertificate.into(),
			),
			(
				Dave,
				pallet_certificates::Call::revoke { fingerprint: [0; 32] }.into(),
				Certificates::<Runtime>::NotFound.into(),
			),
			(
				Dave,
				pallet_certificates::Call::remove { fingerprint: [0; 32] }.into(),
				Certificates::<Runtime>::NotFound.into(),
			),
			// SLA.
			(
				Alice,
				pallet_sla::Call::heartbeat { leases: Default::default() }.into(),
				Sla::<Runtime>::NoLeases.into(),
			),
			(
				Bob,
				pallet_sla::Call::heartbeat { leases: bounded(vec![lease]) }.into(),
				Sla::<Runtime>::NotServing.into(),
			),
			(
				Dave,
				pallet_sla::Call::underwrite { amount: 1 }.into(),
				Sla::<Runtime>::BelowMinimum.into(),
			),
			(
				Dave,
				pallet_sla::Call::withdraw_underwriting { shares: 1 }.into(),
				Sla::<Runtime>::NotUnderwriter.into(),
			),
			(
				Dave,
				pallet_sla::Call::claim_downtime { lease }.into(),
				Sla::<Runtime>::NotTenant.into(),
			),
			(
				Charlie,
				pallet_sla::Call::claim_downtime { lease }.into(),
				Sla::<Runtime>::NoWholeEpoch.into(),
			),
			(
				Charlie,
				pallet_sla::Call::file_claim { lease, amount: 0, evidence: [1; 32] }.into(),
				Sla::<Runtime>::ZeroAmount.into(),
			),
			(
				Charlie,
				pallet_sla::Call::file_claim { lease, amount: 1_000 * CCRE, evidence: [1; 32] }
					.into(),
				Sla::<Runtime>::AboveAtRisk.into(),
			),
			(
				Alice,
				pallet_sla::Call::answer_claim { claim: 7, evidence: [1; 32] }.into(),
				Sla::<Runtime>::UnknownClaim.into(),
			),
			(
				Charlie,
				pallet_sla::Call::withdraw_claim { claim: 7 }.into(),
				Sla::<Runtime>::UnknownClaim.into(),
			),
			(
				Charlie,
				pallet_sla::Call::decide_claim { claim: 0, ruling: pallet_sla::Ruling::Reject }
					.into(),
				DispatchError::BadOrigin,
			),
			// Market parameters: governance only.
			(
				Charlie,
				ccre_runtime::market_parameters::Call::set_parameter {
					key_value: ccre_runtime::parameters::RuntimeParameters::Market(
						ccre_runtime::parameters::dynamic_params::market::Parameters::TakeRate(
							ccre_runtime::parameters::dynamic_params::market::TakeRate,
							None,
						),
					),
				}
				.into(),
				DispatchError::BadOrigin,
			),
		];
		let calls = cases.len();
		for (who, call, expected) in cases {
			refused_for_nothing(who, call, expected);
		}
		println!("{calls} bad calls refused, each with its typed error and its fee");
		assert!(System::block_number() > 0);
	});
}
