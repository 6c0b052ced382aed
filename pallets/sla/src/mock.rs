//! A test runtime with the whole market and the SLA pallet: leases come from real orders and
//! bids, claims slash real stake and pay from a real pool account.

use crate as pallet_sla;
use ccre_primitives::{
	AuditorRule, Capacity, ClearingRule, OrderId, OrderTerms, OrderType, Property, ResourceSet,
	SlaTerms,
};
use frame_support::{
	assert_ok, derive_impl,
	dispatch::DispatchResultWithPostInfo,
	parameter_types,
	traits::{ConstU32, Hooks},
	weights::Weight,
};
use frame_system::{EnsureRoot, EnsureSignedBy};
use sp_runtime::{BuildStorage, Perbill};

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
		Orders: pallet_orders,
		Sla: pallet_sla,
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
	pub static CollateralBlocks: u64 = 1;
	/// Earnings stay at risk of claims for a hundred epochs.
	pub static VestingPeriod: u64 = 1_000;
	pub const OrderDeposit: Balance = 10;
	pub const BidDeposit: Balance = 5;
	pub const OfferDeposit: Balance = 7;
	pub const MaxBidWindow: u64 = 50;
	pub static MatchingBudget: Weight = Weight::MAX;
	pub const Treasury: AccountId = TREASURY;
	pub const InsurancePool: AccountId = INSURANCE_POOL;
	pub const SlaDefaults: ccre_primitives::SlaTerms = ccre_primitives::SlaTerms {
		availability: Perbill::from_percent(99),
		credit_rate: Perbill::from_percent(100),
	};
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
	type DepositPerByte = frame_support::traits::ConstU64<0>;
	type AttestationDeposit = frame_support::traits::ConstU64<5>;
	type MinimumStake = MinimumStake;
	type UnbondingPeriod = frame_support::traits::ConstU64<10>;
	type CollateralBlocks = CollateralBlocks;
	type ReputationPeriod = frame_support::traits::ConstU64<100>;
	type ReputationRetention = ReputationRetention;
	type ReputationValueUnit = frame_support::traits::ConstU64<100>;
	type WeightInfo = pallet_providers::weights::SubstrateWeight<Test>;
}

parameter_types! {
	pub const ReputationRetention: Perbill = Perbill::from_percent(90);
	pub const TakeRate: Perbill = Perbill::from_percent(10);
	pub const InsuranceShare: Perbill = Perbill::from_percent(50);
}

impl pallet_escrow::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type OnFundsExhausted = Leases;
	type Treasury = Treasury;
	type InsurancePool = InsurancePool;
	type TakeRate = TakeRate;
	type InsuranceShare = InsuranceShare;
	type SettlementInterval = frame_support::traits::ConstU64<10>;
	type VestingPeriod = VestingPeriod;
	type MaxVestingChunks = ConstU32<4>;
	type SweepBudget = MatchingBudget;
	type WeightInfo = pallet_escrow::weights::SubstrateWeight<Test>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_providers::MarketActors<Test>;
}

impl pallet_leases::Config for Test {
	type Balance = Balance;
	type Escrow = Escrow;
	type Deployments = Orders;
	type OnReaped = Sla;
	type Reputation = Providers;
	type ManifestTimeout = frame_support::traits::ConstU64<20>;
	type ClosedLeaseRetention = frame_support::traits::ConstU64<20>;
	type DeadlineBudget = MatchingBudget;
	type MaxLeasesPerProvider = ConstU32<64>;
	type WeightInfo = pallet_leases::weights::SubstrateWeight<Test>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_providers::MarketActors<Test>;
}

impl pallet_orders::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Providers = Providers;
	type Escrow = Escrow;
	type Leases = Leases;
	type MaxBidsPerOrder = ConstU32<4>;
	type MaxOpenBidsPerProvider = ConstU32<3>;
	type MaxRequiredAuditors = ConstU32<2>;
	type MaxUnits = ConstU32<16>;
	type MaxOrdersClosingPerBlock = ConstU32<8>;
	type MaxOffers = ConstU32<4>;
	type MaxOffersPerProvider = ConstU32<2>;
	type MaxOfferLifetime = frame_support::traits::ConstU64<1_000>;
	type OrderDeposit = OrderDeposit;
	type DepositPerByte = frame_support::traits::ConstU64<0>;
	type BidDeposit = BidDeposit;
	type OfferDeposit = OfferDeposit;
	type MaxBidWindow = MaxBidWindow;
	type MatchingBudget = MatchingBudget;
	type SlaDefaults = SlaDefaults;
	type WeightInfo = pallet_orders::weights::SubstrateWeight<Test>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_providers::MarketActors<Test>;
}

parameter_types! {
	pub static ClaimDeposit: Balance = 50;
}

frame_support::ord_parameter_types! {
	pub const Arbitrator: AccountId = ARBITRATOR;
}

impl pallet_sla::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Leases = Leases;
	type Earnings = Escrow;
	type Stake = Providers;
	type Reputation = Providers;
	type ArbitrationOrigin = EnsureSignedBy<Arbitrator, AccountId>;
	type Pool = InsurancePool;
	type EpochLength = ConstU32<EPOCH>;
	type MaxHeartbeatLeases = ConstU32<8>;
	type LockUp = frame_support::traits::ConstU64<20>;
	type MinUnderwriting = frame_support::traits::ConstU64<10>;
	type ClaimDeposit = ClaimDeposit;
	type AnswerPeriod = frame_support::traits::ConstU64<5>;
	type WeightInfo = crate::weights::SubstrateWeight<Test>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_leases::LeaseActors<Test>;
}

pub const TENANT: AccountId = 1;
pub const OTHER_TENANT: AccountId = 2;
/// Providers 10 to 19 are registered in `eu-west` and staked by [`new_test_ext`].
pub const PROVIDER: AccountId = 10;
pub const UNSTAKED: AccountId = 20;
pub const UNREGISTERED: AccountId = 21;
pub const AUDITOR: AccountId = 30;
pub const UNDERWRITER: AccountId = 40;
pub const OTHER_UNDERWRITER: AccountId = 41;
pub const ARBITRATOR: AccountId = 50;
/// Blocks per epoch.
pub const EPOCH: u32 = 10;
pub const TREASURY: AccountId = 90;
pub const INSURANCE_POOL: AccountId = 91;
pub const ENDOWMENT: Balance = 100_000;

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut balances: Vec<(AccountId, Balance)> =
		[TENANT, OTHER_TENANT, UNSTAKED, UNREGISTERED, AUDITOR, UNDERWRITER, OTHER_UNDERWRITER]
			.into_iter()
			.chain(10..20)
			.map(|who| (who, ENDOWMENT))
			.collect();
	balances.extend([(TREASURY, 1), (INSURANCE_POOL, 1)]);
	let storage = RuntimeGenesisConfig {
		balances: pallet_balances::GenesisConfig { balances, ..Default::default() },
		..Default::default()
	}
	.build_storage()
	.unwrap_or_else(|e| panic!("genesis storage: {e}"));
	// Parameters are per thread, and test threads are reused.
	MinimumStake::set(100);
	MatchingBudget::set(Weight::MAX);
	CollateralBlocks::set(1);
	ClaimDeposit::set(50);
	VestingPeriod::set(1_000);
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		for provider in 10..20 {
			register(provider, "eu-west");
			frame_support::assert_ok!(Providers::bond(RuntimeOrigin::signed(provider), 100));
		}
		register(UNSTAKED, "eu-west");
	});
	ext
}

/// Runs `test` in fresh externalities and checks every market pallet's invariants after.
pub fn run_test<R>(test: impl FnOnce() -> R) -> R {
	new_test_ext().execute_with(|| {
		let result = test();
		Sla::do_try_state().unwrap_or_else(|e| panic!("sla try_state: {e:?}"));
		Orders::do_try_state().unwrap_or_else(|e| panic!("orders try_state: {e:?}"));
		Escrow::do_try_state().unwrap_or_else(|e| panic!("escrow try_state: {e:?}"));
		Leases::do_try_state().unwrap_or_else(|e| panic!("leases try_state: {e:?}"));
		Providers::do_try_state().unwrap_or_else(|e| panic!("providers try_state: {e:?}"));
		result
	})
}

/// Registers `who` in `region` with 8 cores and 16 GiB.
pub fn register(who: AccountId, region: &str) {
	frame_support::assert_ok!(Providers::register(
		RuntimeOrigin::signed(who),
		bounded(b"https://provider.example:8443".to_vec()),
		bounded(vec![(Capacity::CpuMillicores, 8_000), (Capacity::MemoryMib, 16_384)]),
		bounded(vec![(Property::Region, bounded(region.as_bytes().to_vec()))]),
		bounded(b"ops@provider.example".to_vec()),
	));
}

/// `items` as a bounded vector; tests only build ones within the bound.
pub fn bounded<T, S: frame_support::traits::Get<u32>>(
	items: Vec<T>,
) -> frame_support::BoundedVec<T, S> {
	items.try_into().unwrap_or_else(|_| panic!("within the bound"))
}

pub fn cpu(millicores: u64) -> ResourceSet {
	ResourceSet::new([(Capacity::CpuMillicores, millicores)], []).unwrap_or_default()
}

pub fn region(name: &str) -> ResourceSet {
	ResourceSet::new([], [(Property::Region, name.as_bytes().to_vec())]).unwrap_or_default()
}

/// The SLA of the test orders: served in at least 90% of epochs, half the price of each
/// missed epoch credited.
pub const SLA: SlaTerms =
	SlaTerms { availability: Perbill::from_percent(90), credit_rate: Perbill::from_percent(50) };

/// One unit of one core in `eu-west` at most `PRICE` a block, bids taken for 2 blocks, with
/// [`SLA`].
pub fn terms() -> pallet_orders::TermsOf<Test> {
	OrderTerms {
		resources: cpu(1_000),
		units: 1,
		placement: region("eu-west"),
		auditors: Default::default(),
		auditor_rule: AuditorRule::AnyOf,
		min_reputation: Perbill::zero(),
		max_price: PRICE,
		duration: None,
		bid_window: 2,
		manifest_hash: [7; 32],
		order_type: OrderType::GoodTillWindow,
		clearing: ClearingRule::PayBid,
		sla: Some(SLA),
	}
}

/// The test leases' price per block.
pub const PRICE: Balance = 10;

/// Places an order for `tenant` and has `provider` win it when its window closes, three
/// blocks on; returns the lease's id. The lease is not started.
pub fn matched_lease(tenant: AccountId, provider: AccountId) -> OrderId {
	matched_lease_with(tenant, provider, terms())
}

/// [`matched_lease`] for an order of `terms`.
pub fn matched_lease_with(
	tenant: AccountId,
	provider: AccountId,
	terms: pallet_orders::TermsOf<Test>,
) -> OrderId {
	let id = pallet_orders::NextOrderId::<Test>::get();
	assert_ok!(Orders::create_order(RuntimeOrigin::signed(tenant), terms, 5_000));
	assert_ok!(Orders::place_bid(RuntimeOrigin::signed(provider), id, PRICE));
	run_to_block(System::block_number() + 3);
	assert!(pallet_leases::Leases::<Test>::contains_key(id), "matched");
	id
}

/// A lease of `tenant` with `provider`, started at the start of the next epoch so every epoch
/// after is whole; returns its id.
pub fn started_lease(tenant: AccountId, provider: AccountId) -> OrderId {
	start_next_epoch(provider, matched_lease(tenant, provider))
}

/// Has `provider` start `id` at the start of the next epoch; returns `id`.
pub fn start_next_epoch(provider: AccountId, id: OrderId) -> OrderId {
	run_to_block((System::block_number() / u64::from(EPOCH) + 1) * u64::from(EPOCH));
	assert_ok!(Leases::start(RuntimeOrigin::signed(provider), id));
	id
}

/// Runs blocks up to `n`, with every market hook.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Escrow::on_initialize(next);
		Leases::on_initialize(next);
		Orders::on_initialize(next);
	}
}

/// Runs to the first block of epoch `epoch`.
pub fn run_to_epoch(epoch: u32) {
	run_to_block(u64::from(epoch) * u64::from(EPOCH));
}

/// `provider` reports `leases` for the current epoch.
pub fn heartbeat(provider: AccountId, leases: &[OrderId]) -> DispatchResultWithPostInfo {
	Sla::heartbeat(
		RuntimeOrigin::signed(provider),
		leases.to_vec().try_into().unwrap_or_else(|_| panic!("too many leases")),
	)
}

pub fn free(who: AccountId) -> Balance {
	Balances::free_balance(who)
}

pub fn claim_deposit_held(who: AccountId) -> Balance {
	<Balances as frame_support::traits::fungible::InspectHold<AccountId>>::balance_on_hold(
		&crate::HoldReason::ClaimDeposit.into(),
		&who,
	)
}

pub fn last_event() -> crate::Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|record| match record.event {
			RuntimeEvent::Sla(event) => Some(event),
			_ => None,
		})
		.unwrap_or_else(|| panic!("no SLA event"))
}
