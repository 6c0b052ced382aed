//! A test runtime: System, Balances, Timestamp (as the pallet's clock) and Certificates, with
//! deposits tests can change and a quota of two certificates per account.

use crate as pallet_certificates;
use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;
pub type Balance = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Timestamp: pallet_timestamp,
		Certificates: pallet_certificates,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

parameter_types! {
	pub static DepositBase: Balance = 1_000;
	pub static DepositPerByte: Balance = 10;
}

impl pallet_certificates::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type UnixTime = Timestamp;
	type MaxCertificateLen = ConstU32<MAX_CERTIFICATE_LEN>;
	type MaxCertificatesPerAccount = ConstU32<2>;
	type DepositBase = DepositBase;
	type DepositPerByte = DepositPerByte;
	type WeightInfo = crate::weights::SubstrateWeight<Test>;
}

/// The runtime's limit, so the fixtures behave as they will on chain.
pub const MAX_CERTIFICATE_LEN: u32 = 4_096;

/// A self-signed ECDSA P-256 certificate, `CN=ccre-tenant`, valid 2026-11-30 to 2126.
pub const TENANT: &[u8] = include_bytes!("../../../primitives/fixtures/tenant.der");
/// Its key, the 32 bytes of the P-256 scalar.
pub const TENANT_KEY: &[u8; 32] = include_bytes!("../../../primitives/fixtures/tenant.key");
/// Another, `CN=ccre-provider`, with the same window.
pub const PROVIDER: &[u8] = include_bytes!("../../../primitives/fixtures/provider.der");
/// Its key.
pub const PROVIDER_KEY: &[u8; 32] = include_bytes!("../../../primitives/fixtures/provider.key");
/// A 3981-byte P-256 certificate, the benchmarks' worst case, valid 2026-11-30 to 2126.
pub const LARGE: &[u8] = include_bytes!("../../../primitives/fixtures/large.der");
/// Its key.
pub const LARGE_KEY: &[u8; 32] = include_bytes!("../../../primitives/fixtures/large.key");
/// An RSA-4096 certificate, whose ownership the chain cannot check.
pub const RSA: &[u8] = include_bytes!("../../../primitives/fixtures/rsa.der");
/// A certificate valid only during 2020.
pub const EXPIRED: &[u8] = include_bytes!("../../../primitives/fixtures/expired.der");
/// A certificate whose notAfter (2020) is before its notBefore (2030).
pub const INVERTED: &[u8] = include_bytes!("../../../primitives/fixtures/inverted.der");

/// The tests' wall clock: 2027-01-15 08:00 UTC, in milliseconds, inside the window of every
/// valid fixture (they were made on 2026-11-30).
pub const NOW_MILLIS: u64 = 1_800_000_000_000;

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
/// Holds less than any certificate's deposit.
pub const PAUPER: AccountId = 3;
/// Has no account at all.
pub const NOBODY: AccountId = 4;
pub const ENDOWMENT: Balance = 1_000_000;
pub const PAUPER_ENDOWMENT: Balance = 1_000;

pub fn new_test_ext() -> sp_io::TestExternalities {
	// The deposits are thread-local; start from the defaults even if an earlier test on this
	// thread changed them.
	DepositBase::reset();
	DepositPerByte::reset();
	let storage = RuntimeGenesisConfig {
		balances: pallet_balances::GenesisConfig {
			balances: vec![(ALICE, ENDOWMENT), (BOB, ENDOWMENT), (PAUPER, PAUPER_ENDOWMENT)],
			..Default::default()
		},
		..Default::default()
	}
	.build_storage()
	.unwrap_or_else(|e| panic!("genesis storage: {e}"));
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		// Events are only recorded from block 1.
		System::set_block_number(1);
		set_now_millis(NOW_MILLIS);
	});
	ext
}

/// Runs `test` in fresh externalities and checks the pallet's invariants afterwards.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Certificates::do_try_state().unwrap_or_else(|e| panic!("try_state: {e:?}"));
	});
}

/// Sets the wall clock the pallet reads through `UnixTime`.
pub fn set_now_millis(millis: u64) {
	pallet_timestamp::Now::<Test>::put(millis);
}

/// Sets the wall clock to `secs` unix seconds.
pub fn set_now_secs(secs: u64) {
	set_now_millis(secs.checked_mul(1_000).unwrap_or_else(|| panic!("{secs} s overflows ms")));
}
