//! Runtime integration tests, natively on TestExternalities: the genesis presets build, a
//! signed transfer goes through the whole transaction pipeline, and fees reach the treasury.

use ccre_runtime::{
	genesis_config_presets::{self, DEV_ACCOUNT_ENDOWMENT},
	Aura, Balances, BalancesCall, Executive, Runtime, RuntimeCall, RuntimeEvent, System,
	TreasuryAccount, CCRE, DEV_BLOCK_TIME_MILLIS, EXISTENTIAL_DEPOSIT, LOCAL_BLOCK_TIME_MILLIS,
};
mod common;

use common::{preset_ext, signed, start_block};
use frame_support::traits::fungible::Inspect;
use sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_keyring::Sr25519Keyring;

#[test]
fn both_presets_are_offered_and_an_unknown_one_is_not() {
	let names = genesis_config_presets::preset_names();
	assert!(names.contains(&PresetId::from(DEV_RUNTIME_PRESET)));
	assert!(names.contains(&PresetId::from(LOCAL_TESTNET_RUNTIME_PRESET)));
	assert!(genesis_config_presets::get_preset(&PresetId::from("mainnet")).is_none());
}

#[test]
fn development_preset_builds_one_validator_one_second_blocks_and_funded_accounts() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 1);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 1);
		assert_eq!(Aura::slot_duration(), DEV_BLOCK_TIME_MILLIS);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(Sr25519Keyring::Alice.to_account_id()));
		for account in Sr25519Keyring::well_known() {
			assert_eq!(Balances::balance(&account.to_account_id()), DEV_ACCOUNT_ENDOWMENT);
		}
		assert_eq!(Balances::balance(&TreasuryAccount::get()), EXISTENTIAL_DEPOSIT);
	});
}

#[test]
fn local_testnet_preset_builds_three_validators_and_two_second_blocks() {
	preset_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 3);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 3);
		assert_eq!(Aura::slot_duration(), LOCAL_BLOCK_TIME_MILLIS);
	});
}

#[test]
fn a_signed_transfer_moves_funds_and_its_fee_goes_to_the_treasury() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		let alice = Sr25519Keyring::Alice.to_account_id();
		let bob = Sr25519Keyring::Bob.to_account_id();
		let amount = 42 * CCRE;
		let tip = 7 * ccre_runtime::MICRO_CCRE;
		let issuance = Balances::total_issuance();
		let treasury_before = Balances::balance(&TreasuryAccount::get());

		let call = RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
			dest: bob.clone().into(),
			value: amount,
		});
		let outcome = Executive::apply_extrinsic(signed(call, Sr25519Keyring::Alice, 0, tip))
			.expect("the transaction is valid");
		assert!(outcome.is_ok(), "dispatch failed: {outcome:?}");

		let fee = System::events()
			.into_iter()
			.find_map(|record| match record.event {
				RuntimeEvent::TransactionPayment(
					pallet_transaction_payment::Event::TransactionFeePaid {
						who,
						actual_fee,
						tip: paid_tip,
					},
				) if who == alice => Some((actual_fee, paid_tip)),
				_ => None,
			})
			.expect("a TransactionFeePaid event");
		let (actual_fee, paid_tip) = fee;
		assert_eq!(paid_tip, tip);
		assert!(actual_fee > tip, "the fee includes the weight and length fee besides the tip");

		assert_eq!(Balances::balance(&bob), DEV_ACCOUNT_ENDOWMENT + amount);
		assert_eq!(Balances::balance(&alice), DEV_ACCOUNT_ENDOWMENT - amount - actual_fee);
		assert_eq!(Balances::balance(&TreasuryAccount::get()), treasury_before + actual_fee);
		// Nothing is burned: the fee moved from Alice to the treasury.
		assert_eq!(Balances::total_issuance(), issuance);
		assert_eq!(System::account_nonce(&alice), 1);
	});
}

#[test]
fn a_transaction_with_a_bad_signature_or_nonce_is_rejected_and_charges_nothing() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		let alice = Sr25519Keyring::Alice.to_account_id();
		let call = RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
			dest: Sr25519Keyring::Bob.to_account_id().into(),
			value: CCRE,
		});

		// Signed by Bob but claiming to be from Alice.
		let mut forged = signed(call.clone(), Sr25519Keyring::Alice, 0, 0);
		let bob_signed = signed(call.clone(), Sr25519Keyring::Bob, 0, 0);
		if let (
			sp_runtime::generic::Preamble::Signed(_, signature, _),
			sp_runtime::generic::Preamble::Signed(_, bob_signature, _),
		) = (&mut forged.preamble, &bob_signed.preamble)
		{
			*signature = bob_signature.clone();
		}
		assert!(Executive::apply_extrinsic(forged).is_err());

		// A nonce from the future.
		assert!(Executive::apply_extrinsic(signed(call, Sr25519Keyring::Alice, 5, 0)).is_err());

		assert_eq!(Balances::balance(&alice), DEV_ACCOUNT_ENDOWMENT);
		assert_eq!(Balances::balance(&TreasuryAccount::get()), EXISTENTIAL_DEPOSIT);
	});
}

#[test]
fn the_genesis_state_encodes_the_configured_block_time() {
	// The node patches `blockTime.slotDurationMillis` for `--dev-block-time`; the field name
	// must stay what the preset JSON uses.
	let json =
		genesis_config_presets::get_preset(&PresetId::from(DEV_RUNTIME_PRESET)).expect("preset");
	let value: serde_json::Value = serde_json::from_slice(&json).expect("JSON");
	assert_eq!(value["blockTime"]["slotDurationMillis"], DEV_BLOCK_TIME_MILLIS);
}
