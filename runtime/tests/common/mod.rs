//! Helpers shared by the runtime integration tests.

#![allow(dead_code)] // each test file uses its own subset

use ccre_primitives::{Capacity, Property};
use ccre_runtime::{
	genesis_config_presets, Executive, Header, RuntimeCall, SignedPayload, System, TxExtension,
	UncheckedExtrinsic, CCRE,
};
use codec::Encode;
use sp_genesis_builder::PresetId;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{generic::Era, traits::Header as _, MultiSignature};

/// Externalities holding the state the named preset builds, as a node builds it.
pub fn preset_ext(name: &str) -> sp_io::TestExternalities {
	let storage = genesis_config_presets::preset_storage(&PresetId::from(name))
		.unwrap_or_else(|e| panic!("preset {name} builds: {e}"));
	sp_io::TestExternalities::new(storage)
}

/// The events of the orders pallet in this block.
pub fn order_events() -> Vec<pallet_orders::Event<ccre_runtime::Runtime>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			ccre_runtime::RuntimeEvent::Orders(event) => Some(event),
			_ => None,
		})
		.collect()
}

/// A transaction signed by `signer`, with every extension the runtime requires.
pub fn signed(
	call: RuntimeCall,
	signer: Sr25519Keyring,
	nonce: u32,
	tip: u128,
) -> UncheckedExtrinsic {
	signed_by(call, &signer.pair(), nonce, tip)
}

/// A transaction signed by the key pair `signer`.
pub fn signed_by(
	call: RuntimeCall,
	signer: &sp_core::sr25519::Pair,
	nonce: u32,
	tip: u128,
) -> UncheckedExtrinsic {
	use sp_core::Pair as _;
	use sp_runtime::traits::IdentifyAccount;
	let extension: TxExtension = (
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(Era::Immortal),
		frame_system::CheckNonce::from(nonce),
		frame_system::CheckWeight::new(),
		pallet_transaction_payment::ChargeTransactionPayment::from(tip),
		frame_system::WeightReclaim::new(),
	);
	let payload = SignedPayload::new(call.clone(), extension.clone()).expect("valid payload");
	let signature = payload.using_encoded(|bytes| signer.sign(bytes));
	let account = sp_runtime::MultiSigner::from(signer.public()).into_account();
	UncheckedExtrinsic::new_signed(
		call,
		account.into(),
		MultiSignature::Sr25519(signature),
		extension,
	)
}

/// A key pair derived from `//name`, funded with `amount`.
pub fn funded_pair(name: &str, amount: u128) -> (sp_core::sr25519::Pair, ccre_runtime::AccountId) {
	use frame_support::traits::fungible::Mutate;
	use sp_core::Pair as _;
	use sp_runtime::traits::IdentifyAccount;
	let pair = sp_core::sr25519::Pair::from_string(&format!("//{name}"), None).expect("a pair");
	let account = sp_runtime::MultiSigner::from(pair.public()).into_account();
	ccre_runtime::Balances::set_balance(&account, amount);
	(pair, account)
}

/// A keyless account numbered `index` of kind `kind` (say providers 1, tenants 2), funded with
/// a million CCRE: for tests that need more actors than the dev accounts.
pub fn numbered_account(kind: u8, index: u32) -> ccre_runtime::AccountId {
	use frame_support::traits::fungible::Mutate;
	let mut seed = [kind; 32];
	seed[..4].copy_from_slice(&index.to_le_bytes());
	let who = ccre_runtime::AccountId::from(seed);
	ccre_runtime::Balances::set_balance(&who, 1_000_000 * CCRE);
	who
}

/// Submits `call` signed by `signer` with its next nonce; returns the outcome.
pub fn apply_by(
	call: RuntimeCall,
	signer: &sp_core::sr25519::Pair,
) -> sp_runtime::ApplyExtrinsicResult {
	use sp_core::Pair as _;
	use sp_runtime::traits::IdentifyAccount;
	let account = sp_runtime::MultiSigner::from(signer.public()).into_account();
	let nonce = System::account_nonce(account);
	Executive::apply_extrinsic(signed_by(call, signer, nonce, 0))
}

/// Submits `call` as `signer` and expects it to fail in dispatch (the fee paid): returns the
/// error.
pub fn refused(call: RuntimeCall, signer: Sr25519Keyring) -> sp_runtime::DispatchError {
	match apply_by(call, &signer.pair()) {
		Ok(Err(error)) => error,
		outcome => panic!("{signer:?}: expected a dispatch error, got {outcome:?}"),
	}
}

pub fn start_block(number: u32) {
	let header = Header::new(
		number,
		Default::default(),
		Default::default(),
		Default::default(),
		Default::default(),
	);
	Executive::initialize_block(&header);
}

/// A good-till-window order for `units` units of one core in `eu-west`, at most 1 CCRE per
/// unit and block, pay-bid, open-ended, with a bid window of `bid_window` blocks.
pub fn one_core_orders(
	units: u32,
	bid_window: u32,
) -> pallet_orders::TermsOf<ccre_runtime::Runtime> {
	use ccre_primitives::{
		AuditorRule, Capacity, ClearingRule, OrderTerms, OrderType, Property, ResourceSet,
	};
	OrderTerms {
		resources: ResourceSet::new([(Capacity::CpuMillicores, 1_000)], []).expect("valid"),
		units,
		placement: ResourceSet::new([], [(Property::Region, b"eu-west".to_vec())]).expect("valid"),
		auditors: Default::default(),
		auditor_rule: AuditorRule::AnyOf,
		min_reputation: sp_runtime::Perbill::zero(),
		max_price: ccre_runtime::CCRE,
		duration: None,
		bid_window,
		manifest_hash: [42; 32],
		order_type: OrderType::GoodTillWindow,
		clearing: ClearingRule::PayBid,
		sla: None,
	}
}

/// Submits `call` as `signer` with the next nonce and expects it to succeed.
pub fn submit(call: RuntimeCall, signer: Sr25519Keyring) {
	let outcome = apply_by(call, &signer.pair());
	assert!(matches!(outcome, Ok(Ok(()))), "{signer:?}: {outcome:?}");
}

/// `items` as a bounded vector; tests only build ones within the bound.
pub fn bounded<T, S: frame_support::traits::Get<u32>>(
	items: Vec<T>,
) -> frame_support::BoundedVec<T, S> {
	items.try_into().unwrap_or_else(|_| panic!("within the bound"))
}

/// The call registering a provider in `eu-west` with `cores` cores and 2 GiB a core.
pub fn register_call(cores: u64) -> RuntimeCall {
	pallet_providers::Call::register {
		host_uri: bounded(b"https://provider.example:8443".to_vec()),
		capacities: bounded(vec![
			(Capacity::CpuMillicores, cores * 1_000),
			(Capacity::MemoryMib, cores * 2_048),
		]),
		properties: bounded(vec![(Property::Region, bounded(b"eu-west".to_vec()))]),
		contact: bounded(b"ops@provider.example".to_vec()),
	}
	.into()
}

/// Registers `who` in `eu-west` with 8 cores and 16 GiB, and stakes 1 000 CCRE.
pub fn become_provider(who: Sr25519Keyring) {
	submit(register_call(8), who);
	submit(pallet_providers::Call::bond { amount: 1_000 * CCRE }.into(), who);
}
