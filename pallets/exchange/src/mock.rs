//! A test runtime with the whole market: Balances, Providers, Escrow, Leases, Orders and the
//! Exchange, so fills open real deployments, escrow accounts and leases.

use crate as pallet_exchange;
use ccre_primitives::{
	exchange::{Lots, Price, Side, TimeInForce},
	AuditorRule, Capacity, Property, ResourceSet, SlaTerms,
};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64, Hooks},
	weights::Weight,
};
use frame_system::EnsureRoot;
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
		Exchange: pallet_exchange,
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
	pub static MatchingBudget: Weight = Weight::MAX;
	pub const Treasury: AccountId = TREASURY;
	pub const InsurancePool: AccountId = INSURANCE_POOL;
	pub const Sla: SlaTerms = SlaTerms {
		availability: Perbill::from_percent(99),
		credit_rate: Perbill::from_percent(100),
	};
	pub const ReputationRetention: Perbill = Perbill::from_percent(90);
	pub const TakeRate: Perbill = Perbill::from_percent(10);
	pub const InsuranceShare: Perbill = Perbill::from_percent(50);
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
	type RegistrationDeposit = ConstU64<10>;
	type DepositPerByte = ConstU64<0>;
	type AttestationDeposit = ConstU64<5>;
	type MinimumStake = ConstU64<100>;
	type UnbondingPeriod = ConstU64<10>;
	type CollateralBlocks = ConstU64<1>;
	type ReputationPeriod = ConstU64<100>;
	type ReputationRetention = ReputationRetention;
	type ReputationValueUnit = ConstU64<100>;
	type WeightInfo = pallet_providers::weights::SubstrateWeight<Test>;
}

impl pallet_escrow::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type OnFundsExhausted = Leases;
	type Treasury = Treasury;
	type InsurancePool = InsurancePool;
	type TakeRate = TakeRate;
	type InsuranceShare = InsuranceShare;
	type SettlementInterval = ConstU64<10>;
	type VestingPeriod = ConstU64<0>;
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
	type OnReaped = ();
	type Reputation = Providers;
	type ManifestTimeout = ConstU64<5>;
	type ClosedLeaseRetention = ConstU64<20>;
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
	type MaxOfferLifetime = ConstU64<1_000>;
	type OrderDeposit = ConstU64<10>;
	type DepositPerByte = ConstU64<0>;
	type BidDeposit = ConstU64<5>;
	type OfferDeposit = ConstU64<7>;
	type MaxBidWindow = ConstU64<50>;
	type MatchingBudget = MatchingBudget;
	type SlaDefaults = Sla;
	type WeightInfo = pallet_orders::weights::SubstrateWeight<Test>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_providers::MarketActors<Test>;
}

impl pallet_exchange::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ClassOrigin = EnsureRoot<AccountId>;
	type Providers = Providers;
	type Deployments = Orders;
	type MaxClasses = ConstU32<4>;
	type MaxClassAuditors = ConstU32<2>;
	type MaxLevels = ConstU32<4>;
	type MaxOrdersPerLevel = ConstU32<3>;
	type MaxOpenOrdersPerAccount = ConstU32<6>;
	type MaxIncoming = ConstU32<8>;
	type MaxExpiriesPerBlock = ConstU32<2>;
	type MaxFillsPerOrder = ConstU32<3>;
	type OrderDeposit = ConstU64<3>;
	type MatchingBudget = MatchingBudget;
	type BlockTimeMillis = ConstU64<6_000>;
	type MaxPrints = ConstU32<6>;
	type MaxAuctionFills = ConstU32<4>;
	type WeightInfo = UnitWeights;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_providers::MarketActors<Test>;
}

/// One unit (a microsecond) per operation, and one per fill, so a budget counts operations.
pub struct UnitWeights;

impl crate::WeightInfo for UnitWeights {
	fn create_class() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
	fn retire_class() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
	fn buy() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
	fn sell() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
	fn cancel() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
	fn set_rules() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
	fn print_index() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
	fn watch_band() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
	fn reopen() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
	fn auction_fill() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
	fn matching_base() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
	fn expire() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
	fn match_order(f: u32) -> Weight {
		Weight::from_parts(1_000_000, 0).saturating_mul(u64::from(f).saturating_add(1))
	}
}

pub const TENANT: AccountId = 1;
pub const OTHER_TENANT: AccountId = 2;
pub const POOR_TENANT: AccountId = 3;
/// Providers 10 to 13 are registered in `eu-west` with 8 cores and 16 GiB, and staked.
pub const PROVIDER: AccountId = 10;
pub const OTHER_PROVIDER: AccountId = 11;
pub const US_PROVIDER: AccountId = 20;
pub const TREASURY: AccountId = 90;
pub const INSURANCE_POOL: AccountId = 91;
pub const ENDOWMENT: Balance = 1_000_000;
/// The class [`run_test`] creates: one core and 2 GiB per lot, in `eu-west`, tick 2.
pub const CPU: pallet_exchange::ClassId = 0;
pub const MANIFEST: [u8; 32] = [7; 32];
/// Blocks each lease of a buy order runs.
pub const DURATION: u64 = 100;

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut balances: Vec<(AccountId, Balance)> = [TENANT, OTHER_TENANT, US_PROVIDER]
		.into_iter()
		.chain(10..14)
		.map(|who| (who, ENDOWMENT))
		.collect();
	// Enough for a small purchase's funds and deposit, not for the deployment's deposit.
	balances.extend([(POOR_TENANT, 1_000), (TREASURY, 1), (INSURANCE_POOL, 1)]);
	let storage = RuntimeGenesisConfig {
		balances: pallet_balances::GenesisConfig { balances, ..Default::default() },
		..Default::default()
	}
	.build_storage()
	.unwrap_or_else(|e| panic!("genesis storage: {e}"));
	MatchingBudget::set(Weight::MAX);
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		for provider in 10..14 {
			register(provider, "eu-west");
		}
		register(US_PROVIDER, "us-east");
		frame_support::assert_ok!(Exchange::create_class(
			RuntimeOrigin::root(),
			bounded(b"cpu.std".to_vec()),
			lot(),
			region("eu-west"),
			Default::default(),
			AuditorRule::AnyOf,
			2,
			8,
			Sla::get(),
		));
	});
	ext
}

/// Runs `test` in fresh externalities and checks every market pallet's invariants after.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Exchange::do_try_state().unwrap_or_else(|e| panic!("exchange try_state: {e:?}"));
		Orders::do_try_state().unwrap_or_else(|e| panic!("orders try_state: {e:?}"));
		Escrow::do_try_state().unwrap_or_else(|e| panic!("escrow try_state: {e:?}"));
		Leases::do_try_state().unwrap_or_else(|e| panic!("leases try_state: {e:?}"));
	});
}

/// Registers and stakes `who` in `region` with 8 cores and 16 GiB.
pub fn register(who: AccountId, region: &str) {
	frame_support::assert_ok!(Providers::register(
		RuntimeOrigin::signed(who),
		bounded(b"https://provider.example:8443".to_vec()),
		bounded(vec![(Capacity::CpuMillicores, 8_000), (Capacity::MemoryMib, 16_384)]),
		bounded(vec![(Property::Region, bounded(region.as_bytes().to_vec()))]),
		bounded(b"ops@provider.example".to_vec()),
	));
	frame_support::assert_ok!(Providers::bond(RuntimeOrigin::signed(who), 1_000));
}

/// Registers `who` again with `millicores` of CPU (and 16 GiB in `eu-west`).
pub fn shrink(who: AccountId, millicores: u64) {
	frame_support::assert_ok!(Providers::update(
		RuntimeOrigin::signed(who),
		bounded(b"https://provider.example:8443".to_vec()),
		bounded(vec![(Capacity::CpuMillicores, millicores), (Capacity::MemoryMib, 16_384)]),
		bounded(vec![(Property::Region, bounded(b"eu-west".to_vec()))]),
		bounded(b"ops@provider.example".to_vec()),
	));
}

/// `items` as a bounded vector; tests only build ones within the bound.
pub fn bounded<T, S: frame_support::traits::Get<u32>>(
	items: Vec<T>,
) -> frame_support::BoundedVec<T, S> {
	items.try_into().unwrap_or_else(|_| panic!("within the bound"))
}

/// One core and 2 GiB.
pub fn lot() -> ResourceSet {
	ResourceSet::new([(Capacity::CpuMillicores, 1_000), (Capacity::MemoryMib, 2_048)], [])
		.unwrap_or_default()
}

pub fn region(name: &str) -> ResourceSet {
	ResourceSet::new([], [(Property::Region, name.as_bytes().to_vec())]).unwrap_or_default()
}

/// Places a good-till-cancel buy of `lots` lots of [`CPU`] at `price`; returns its id.
pub fn buy(who: AccountId, price: Price, lots: Lots) -> crate::BookOrderId {
	buy_with(who, price, lots, TimeInForce::GoodTillCancel)
}

pub fn buy_with(
	who: AccountId,
	price: Price,
	lots: Lots,
	time_in_force: TimeInForce<u64>,
) -> crate::BookOrderId {
	let id = crate::NextOrderId::<Test>::get();
	frame_support::assert_ok!(Exchange::buy(
		RuntimeOrigin::signed(who),
		CPU,
		price,
		lots,
		time_in_force,
		MANIFEST,
		DURATION
	));
	id
}

/// Places a good-till-cancel sell of `lots` lots of [`CPU`] at `price`; returns its id.
pub fn sell(who: AccountId, price: Price, lots: Lots) -> crate::BookOrderId {
	sell_with(who, price, lots, TimeInForce::GoodTillCancel)
}

pub fn sell_with(
	who: AccountId,
	price: Price,
	lots: Lots,
	time_in_force: TimeInForce<u64>,
) -> crate::BookOrderId {
	let id = crate::NextOrderId::<Test>::get();
	frame_support::assert_ok!(Exchange::sell(
		RuntimeOrigin::signed(who),
		CPU,
		price,
		lots,
		time_in_force
	));
	id
}

/// Runs the next block's hooks: the orders placed so far are matched.
pub fn next_block() {
	let next = System::block_number() + 1;
	System::set_block_number(next);
	Escrow::on_initialize(next);
	Leases::on_initialize(next);
	Orders::on_initialize(next);
	Exchange::on_initialize(next);
}

/// Runs blocks up to `n`.
pub fn run_to(n: u64) {
	while System::block_number() < n {
		next_block();
	}
}

/// The prices and lots resting on `side` of [`CPU`], best first.
pub fn depth(side: Side) -> Vec<(Price, Lots)> {
	let levels: Vec<_> = crate::Depth::<Test>::get((CPU, side)).into_iter().collect();
	match side {
		Side::Buy => levels.into_iter().rev().collect(),
		Side::Sell => levels,
	}
}

/// The trades so far: (taker, maker, price, lots).
pub fn trades() -> Vec<(crate::BookOrderId, crate::BookOrderId, Price, Lots)> {
	events()
		.into_iter()
		.filter_map(|event| match event {
			crate::Event::Traded { taker, maker, price, lots, .. } => {
				Some((taker, maker, price, lots))
			},
			_ => None,
		})
		.collect()
}

/// The orders removed so far and why.
pub fn removals() -> Vec<(crate::BookOrderId, crate::Removal)> {
	events()
		.into_iter()
		.filter_map(|event| match event {
			crate::Event::OrderRemoved { order, reason, .. } => Some((order, reason)),
			_ => None,
		})
		.collect()
}

pub fn events() -> Vec<crate::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Exchange(event) => Some(event),
			_ => None,
		})
		.collect()
}

/// What `who` has, free and held, over every hold reason.
pub fn total_balance(who: AccountId) -> Balance {
	<Balances as frame_support::traits::fungible::Inspect<AccountId>>::total_balance(&who)
}

pub fn held(reason: crate::HoldReason, who: AccountId) -> Balance {
	<Balances as frame_support::traits::fungible::InspectHold<AccountId>>::balance_on_hold(
		&reason.into(),
		&who,
	)
}
