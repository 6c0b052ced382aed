//! A test runtime: System, Balances, the real Providers and Escrow pallets, and Leases, with
//! the order book replaced by a recorder of removed deployments.

use crate as pallet_leases;
use ccre_primitives::{
	Capacity, Deployments, Escrow as EscrowApi, LeaseOpener, OrderId, Property, ProviderInspect,
};
use core::cell::{Cell, RefCell};
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{ConstU32, Hooks},
	weights::Weight,
};
use frame_system::EnsureRoot;
use sp_runtime::{BuildStorage, DispatchError, DispatchResult, Perbill};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;
pub type Balance = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Providers: pallet_providers,
		Escrow: pallet_escrow,
		Leases: pallet_leases,
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
	pub static MinimumStake: Balance = 100;
	// A lease value of 10 counts as one outcome, so one block's price of a test lease does.
	pub static ReputationValueUnit: Balance = 10;
}

impl pallet_providers::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type AuditorOrigin = EnsureRoot<AccountId>;
	type ActiveLeases = Leases;
	type MaxHostUriLen = ConstU32<64>;
	type MaxContactLen = ConstU32<64>;
	type MaxAuditors = ConstU32<3>;
	type MaxUnlockingChunks = ConstU32<3>;
	type MaxOutcomeWeight = ConstU32<10>;
	type RegistrationDeposit = frame_support::traits::ConstU64<10>;
	type DepositPerByte = frame_support::traits::ConstU64<1>;
	type AttestationDeposit = frame_support::traits::ConstU64<5>;
	type MinimumStake = MinimumStake;
	type UnbondingPeriod = frame_support::traits::ConstU64<10>;
	type CollateralBlocks = frame_support::traits::ConstU64<1>;
	type ReputationPeriod = frame_support::traits::ConstU64<1_000>;
	type ReputationRetention = ReputationRetention;
	type ReputationValueUnit = ReputationValueUnit;
	type WeightInfo = pallet_providers::weights::SubstrateWeight<Test>;
}

/// The treasury's account; receives the take less the insurance share.
pub const TREASURY: AccountId = 90;
/// The insurance pool's account; receives its share of the take.
pub const INSURANCE_POOL: AccountId = 91;

parameter_types! {
	pub const ReputationRetention: Perbill = Perbill::from_percent(50);
	pub const TreasuryAccount: AccountId = TREASURY;
	pub const InsurancePoolAccount: AccountId = INSURANCE_POOL;
	pub static TakeRate: Perbill = Perbill::from_percent(10);
	pub static InsuranceShare: Perbill = Perbill::from_percent(50);
	pub static SettlementInterval: u64 = 1;
	pub static VestingPeriod: u64 = 0;
	pub static SweepBudget: Weight = Weight::from_parts(1_000_000_000_000_000, 1_000_000_000);
}

impl pallet_escrow::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type OnFundsExhausted = Leases;
	type Treasury = TreasuryAccount;
	type InsurancePool = InsurancePoolAccount;
	type TakeRate = TakeRate;
	type InsuranceShare = InsuranceShare;
	type SettlementInterval = SettlementInterval;
	type VestingPeriod = VestingPeriod;
	type MaxVestingChunks = ConstU32<4>;
	type SweepBudget = SweepBudget;
	type WeightInfo = pallet_escrow::weights::SubstrateWeight<Test>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_providers::MarketActors<Test>;
}

parameter_types! {
	pub static ManifestTimeout: u64 = 5;
	pub static ClosedLeaseRetention: u64 = 10;
	pub static DeadlineBudget: Weight = Weight::from_parts(1_000_000_000_000_000, 1_000_000_000);
}

thread_local! {
	static REMOVED: RefCell<Vec<OrderId>> = const { RefCell::new(Vec::new()) };
	static REFUSE_REMOVAL: Cell<bool> = const { Cell::new(false) };
}

/// The order book's side: records which deployments were removed, or refuses on request.
pub struct MockDeployments;

impl MockDeployments {
	/// The orders removed so far, in order.
	pub fn removed() -> Vec<OrderId> {
		REMOVED.with(|removed| removed.borrow().clone())
	}

	/// Makes every removal fail (`true`) or succeed again (`false`).
	pub fn refuse(refuse: bool) {
		REFUSE_REMOVAL.with(|flag| flag.set(refuse));
	}
}

/// The error a refused removal returns.
pub const REMOVAL_REFUSED: DispatchError = DispatchError::Other("removal refused");

impl Deployments<AccountId> for MockDeployments {
	fn remove_deployment(order: OrderId) -> DispatchResult {
		if REFUSE_REMOVAL.with(|flag| flag.get()) {
			return Err(REMOVAL_REFUSED);
		}
		REMOVED.with(|removed| removed.borrow_mut().push(order));
		Ok(())
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn matched_for_benchmark(_: OrderId, _: &AccountId, _: &AccountId) {}
}

impl pallet_leases::Config for Test {
	type Balance = Balance;
	type Escrow = Escrow;
	type Deployments = MockDeployments;
	type OnReaped = ();
	type Reputation = Providers;
	type ManifestTimeout = ManifestTimeout;
	type ClosedLeaseRetention = ClosedLeaseRetention;
	type DeadlineBudget = DeadlineBudget;
	type MaxLeasesPerProvider = ConstU32<3>;
	type WeightInfo = crate::weights::SubstrateWeight<Test>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_providers::MarketActors<Test>;
}

/// The tenant of the test leases.
pub const TENANT: AccountId = 1;
/// The provider of the test leases.
pub const PROVIDER: AccountId = 2;
/// Neither tenant nor provider.
pub const OTHER: AccountId = 3;
/// A second provider.
pub const PROVIDER_2: AccountId = 4;
/// Accounts 1 to 9 hold this much; the treasury and the pool the existential deposit.
pub const ENDOWMENT: Balance = 10_000;
/// The test leases' price per block.
pub const PRICE: Balance = 10;
/// The service level of the test leases.
pub const SLA: ccre_primitives::SlaTerms = ccre_primitives::SlaTerms {
	availability: sp_runtime::Perbill::from_percent(99),
	credit_rate: sp_runtime::Perbill::from_percent(100),
};
/// What the test leases' escrow accounts hold: 100 blocks at `PRICE`.
pub const FUNDS: Balance = 1_000;

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut balances: Vec<(AccountId, Balance)> = (1..=9).map(|who| (who, ENDOWMENT)).collect();
	balances.push((TREASURY, 1));
	balances.push((INSURANCE_POOL, 1));
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
		Leases::do_try_state().unwrap_or_else(|e| panic!("try_state: {e:?}"));
	});
}

/// `items` as a bounded vector; tests only build ones within the bound.
pub fn bounded<T, S: frame_support::traits::Get<u32>>(
	items: Vec<T>,
) -> frame_support::BoundedVec<T, S> {
	items.try_into().unwrap_or_else(|_| panic!("within the bound"))
}

/// Registers `who` as a provider in `eu-west` and bonds the minimum stake.
pub fn provider(who: AccountId) {
	assert_ok!(Providers::register(
		RuntimeOrigin::signed(who),
		bounded(b"https://provider.example:8443".to_vec()),
		bounded(vec![(Capacity::CpuMillicores, 4_000), (Capacity::MemoryMib, 8_192)]),
		bounded(vec![(Property::Region, bounded(b"eu-west".to_vec()))]),
		bounded(b"ops@provider.example".to_vec()),
	));
	assert_ok!(Providers::bond(RuntimeOrigin::signed(who), MinimumStake::get()));
}

/// Opens lease `order` the way the order book does: funds its escrow account with `funds`
/// of `tenant`'s, then opens the lease.
pub fn open_with(
	order: OrderId,
	tenant: AccountId,
	provider: AccountId,
	price: Balance,
	funds: Balance,
	duration: Option<u64>,
) -> DispatchResult {
	<Escrow as EscrowApi<AccountId, Balance, u64>>::open(order, &tenant, funds)?;
	<Leases as LeaseOpener<AccountId, Balance, u64>>::open_lease(
		order, &tenant, &provider, price, duration, SLA,
	)
}

/// Opens lease `order` of `TENANT` with `PROVIDER` (registered first if need be) at `PRICE`,
/// funded with `FUNDS`.
pub fn open(order: OrderId, duration: Option<u64>) {
	if !pallet_providers::Providers::<Test>::contains_key(PROVIDER) {
		provider(PROVIDER);
	}
	assert_ok!(open_with(order, TENANT, PROVIDER, PRICE, FUNDS, duration));
}

/// The lease `order`, which must exist.
pub fn lease(order: OrderId) -> crate::LeaseOf<Test> {
	Leases::lease_view(order).unwrap_or_else(|| panic!("no lease {order}"))
}

/// This pallet's events so far, oldest first.
pub fn lease_events() -> Vec<crate::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Leases(event) => Some(event),
			_ => None,
		})
		.collect()
}

/// This pallet's latest event.
pub fn last_lease_event() -> crate::Event<Test> {
	lease_events().pop().unwrap_or_else(|| panic!("no lease event"))
}

/// Runs the blocks after the current one up to `block`, with the escrow's and the leases'
/// `on_initialize`, in the runtime's order.
pub fn run_to_block(block: u64) {
	while System::block_number() < block {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		<Escrow as Hooks<u64>>::on_initialize(next);
		<Leases as Hooks<u64>>::on_initialize(next);
	}
}

/// `who`'s free balance.
pub fn free(who: AccountId) -> Balance {
	<Balances as frame_support::traits::fungible::Inspect<AccountId>>::balance(&who)
}

/// `who`'s reputation score now.
pub fn score(who: AccountId) -> Perbill {
	<Providers as ProviderInspect<AccountId, Balance>>::reputation(&who)
}
