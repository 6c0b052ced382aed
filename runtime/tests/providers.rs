//! Runtime integration tests of the provider and certificate registries: a provider
//! registers and stakes through signed extrinsics, governance changes the market parameters
//! through pallet-parameters, and the runtime API views reflect both.

mod common;

use ccre_primitives::{
	certificate::{fingerprint, ownership_message},
	Property, ProviderInspect,
};
use ccre_runtime::{
	parameters::{dynamic_params::providers, RuntimeParameters},
	Certificates, Executive, MarketParameters, Providers, RuntimeCall, RuntimeOrigin, CCRE,
};
use common::{preset_ext, register_call, signed, start_block};
use frame_support::assert_ok;
use sp_genesis_builder::DEV_RUNTIME_PRESET;
use sp_keyring::Sr25519Keyring;
use sp_runtime::traits::Dispatchable;

const TENANT_CERTIFICATE: &[u8] = include_bytes!("../../primitives/fixtures/tenant.der");
const TENANT_KEY: &[u8; 32] = include_bytes!("../../primitives/fixtures/tenant.key");

/// The tenant certificate's key's proof that `owner` may publish it.
fn ownership_proof(owner: &ccre_runtime::AccountId) -> Vec<u8> {
	use codec::Encode;
	use p256::ecdsa::{signature::Signer, Signature, SigningKey};
	let key = SigningKey::from_bytes(TENANT_KEY.into()).expect("a P-256 scalar");
	let signature: Signature =
		key.sign(&ownership_message(&owner.encode(), &fingerprint(TENANT_CERTIFICATE)));
	signature.to_der().to_bytes().to_vec()
}

fn set_minimum_stake(amount: u128) {
	assert_ok!(MarketParameters::set_parameter(
		RuntimeOrigin::root(),
		RuntimeParameters::Providers(providers::Parameters::MinimumStake(
			providers::MinimumStake,
			Some(amount),
		)),
	));
}

#[test]
fn a_provider_registers_and_stakes_with_signed_extrinsics() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		let alice = Sr25519Keyring::Alice;
		let bond = RuntimeCall::Providers(pallet_providers::Call::bond { amount: 1_000 * CCRE });
		for (nonce, call) in [register_call(8), bond].into_iter().enumerate() {
			let outcome = Executive::apply_extrinsic(signed(call, alice, nonce as u32, 0));
			assert!(matches!(outcome, Ok(Ok(()))), "{outcome:?}");
		}
		let who = alice.to_account_id();
		assert!(Providers::can_bid(&who));
		let view = Providers::provider_view(&who).expect("registered");
		assert_eq!(view.stake.active, 1_000 * CCRE);
		assert_eq!(view.attributes.property(Property::Region), Some(&b"eu-west"[..]));
	});
}

#[test]
fn governance_changes_the_minimum_stake_and_it_applies_at_once() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		let who = Sr25519Keyring::Bob.to_account_id();
		let origin = RuntimeOrigin::signed(who.clone());
		assert_ok!(register_call(8).dispatch(origin.clone()));
		assert_ok!(Providers::bond(origin, 1_000 * CCRE));
		assert!(Providers::can_bid(&who));
		set_minimum_stake(2_000 * CCRE);
		assert!(!Providers::can_bid(&who));
		// Only the governance origin may change parameters.
		assert!(MarketParameters::set_parameter(
			RuntimeOrigin::signed(who.clone()),
			RuntimeParameters::Providers(providers::Parameters::MinimumStake(
				providers::MinimumStake,
				Some(0),
			)),
		)
		.is_err());
	});
}

#[test]
fn a_tenant_publishes_a_certificate_a_gateway_can_check() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		let tenant = Sr25519Keyring::Charlie.to_account_id();
		assert_ok!(Certificates::publish(
			RuntimeOrigin::signed(tenant.clone()),
			common::bounded(TENANT_CERTIFICATE.to_vec()),
			common::bounded(ownership_proof(&tenant)),
		));
		// Dave, who copied the certificate, cannot publish it, even with Charlie's proof.
		let dave = Sr25519Keyring::Dave.to_account_id();
		assert!(Certificates::publish(
			RuntimeOrigin::signed(dave.clone()),
			common::bounded(TENANT_CERTIFICATE.to_vec()),
			common::bounded(ownership_proof(&tenant)),
		)
		.is_err());
		let print = fingerprint(TENANT_CERTIFICATE);
		// Genesis time is zero, before the certificate's validity starts; a gateway checks at
		// the chain's current time.
		pallet_timestamp::Now::<ccre_runtime::Runtime>::put(1_800_000_000_000u64);
		assert_eq!(Certificates::check_presented(&tenant, print), Ok(()));
		assert!(Certificates::check_presented(&dave, print).is_err());
	});
}
