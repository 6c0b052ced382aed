//! A test runtime: System, Balances and Providers, with market parameters tests can change.

use crate as pallet_providers;
use ccre_primitives::{ActiveLeases, Capacities, Capacity, Properties, Property};
use core::cell::RefCell;
use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use frame_system::EnsureRoot;
use sp_runtime::{BuildStorage, Perbill};
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;
pub type Balance = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Providers: pallet_providers,
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

parameter_types! {
	pub static RegistrationDeposit: Balance = 10;
	pub static DepositPerByte: Balance = 1;
	pub static AttestationDeposit: Balance = 5;
	pub static MinimumStake: Balance = 100;
	pub static UnbondingPeriod: u64 = 10;
	pub static CollateralBlocks: u64 = 20;
	pub static ReputationPeriod: u64 = 100;
	pub static ReputationRetention: Perbill = Perbill::from_percent(50);
	pub static ReputationValueUnit: Balance = 100;
}

thread_local! {
	static LEASES: RefCell<BTreeMap<AccountId, (u32, Balance)>> = RefCell::new(BTreeMap::new());
}

/// Leases per provider, as a lease pallet would count them.
pub struct MockLeases;

/// The most leases a provider may hold here.
pub const MAX_LEASES: u32 = 4;

impl MockLeases {
	/// `provider` serves `leases` leases paying `price` per block together.
	pub fn set(provider: AccountId, leases: u32, price: Balance) {
		LEASES.with(|map| map.borrow_mut().insert(provider, (leases, price)));
	}

	fn load(provider: &AccountId) -> (u32, Balance) {
		LEASES.with(|map| map.borrow().get(provider).copied().unwrap_or_default())
	}
}

impl ActiveLeases<AccountId, Balance> for MockLeases {
	fn active_leases(provider: &AccountId) -> u32 {
		Self::load(provider).0
	}

	fn committed_price(provider: &AccountId) -> Balance {
		Self::load(provider).1
	}

	fn has_room(provider: &AccountId) -> bool {
		Self::load(provider).0 < MAX_LEASES
	}
}

impl pallet_providers::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type AuditorOrigin = EnsureRoot<AccountId>;
	type ActiveLeases = MockLeases;
	type MaxHostUriLen = ConstU32<64>;
	type MaxContactLen = ConstU32<64>;
	type MaxAuditors = ConstU32<3>;
	type MaxUnlockingChunks = ConstU32<3>;
	type MaxOutcomeWeight = ConstU32<10>;
	type RegistrationDeposit = RegistrationDeposit;
	type DepositPerByte = DepositPerByte;
	type AttestationDeposit = AttestationDeposit;
	type MinimumStake = MinimumStake;
	type UnbondingPeriod = UnbondingPeriod;
	type CollateralBlocks = CollateralBlocks;
	type ReputationPeriod = ReputationPeriod;
	type ReputationRetention = ReputationRetention;
	type ReputationValueUnit = ReputationValueUnit;
	type WeightInfo = crate::weights::SubstrateWeight<Test>;
}

/// Accounts 1 to 9 hold 10 000 each; the insurance pool account holds the minimum.
pub const INSURANCE_POOL: AccountId = 99;
/// An account with only the existential deposit.
pub const PAUPER: AccountId = 50;
pub const ENDOWMENT: Balance = 10_000;

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut balances: Vec<(AccountId, Balance)> = (1..=9).map(|who| (who, ENDOWMENT)).collect();
	balances.push((INSURANCE_POOL, 1));
	balances.push((PAUPER, 1));
	let storage = RuntimeGenesisConfig {
		balances: pallet_balances::GenesisConfig { balances, ..Default::default() },
		..Default::default()
	}
	.build_storage()
	.unwrap_or_else(|e| panic!("genesis storage: {e}"));
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` in fresh externalities and checks the pallet's invariants afterwards.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Providers::do_try_state().unwrap_or_else(|e| panic!("try_state: {e:?}"));
	});
}

pub fn capacities() -> Capacities {
	bounded(vec![(Capacity::CpuMillicores, 4_000), (Capacity::MemoryMib, 8_192)])
}

pub fn properties(region: &str) -> Properties {
	bounded(vec![
		(Property::Region, bounded(region.as_bytes().to_vec())),
		(Property::Tier, bounded(b"gold".to_vec())),
	])
}

/// `items` as a bounded vector; tests only build ones within the bound.
pub fn bounded<T, S: frame_support::traits::Get<u32>>(
	items: Vec<T>,
) -> frame_support::BoundedVec<T, S> {
	items.try_into().unwrap_or_else(|_| panic!("within the bound"))
}

/// Registers `who` in `eu-west` with the standard attributes.
pub fn register(who: AccountId) {
	frame_support::assert_ok!(Providers::register(
		RuntimeOrigin::signed(who),
		bounded(b"https://provider.example:8443".to_vec()),
		capacities(),
		properties("eu-west"),
		bounded(b"ops@provider.example".to_vec()),
	));
}

pub fn held(reason: crate::HoldReason, who: AccountId) -> Balance {
	<Balances as frame_support::traits::fungible::InspectHold<AccountId>>::balance_on_hold(
		&reason.into(),
		&who,
	)
}

pub fn last_event() -> RuntimeEvent {
	System::events().pop().map(|record| record.event).unwrap_or_else(|| panic!("no event"))
}

pub fn run_to_block(block: u64) {
	System::set_block_number(block);
}
