//! A test runtime: System, Balances and Escrow, with market parameters tests can change and a
//! lease pallet stand-in that records every exhausted account.

use crate as pallet_escrow;
use ccre_primitives::{OnFundsExhausted, OrderId};
use core::cell::RefCell;
use frame_support::{
	derive_impl, parameter_types,
	traits::{fungible::InspectHold, Hooks},
	weights::Weight,
};
use sp_runtime::{BuildStorage, Perbill};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;
pub type Balance = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Escrow: pallet_escrow,
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
	type ExistentialDeposit = ExistentialDeposit;
}

/// The treasury and insurance pool accounts, endowed with the existential deposit.
pub const TREASURY: AccountId = 90;
pub const INSURANCE_POOL: AccountId = 91;
/// Accounts 1 to 9 hold this much each.
pub const ENDOWMENT: Balance = 10_000;

/// The test weights of a sweep bucket, a sweep item and the exhaustion callback, fixed so that
/// budgets in tests do not change when the real weights are regenerated.
pub const BUCKET_WEIGHT: u64 = 10;
pub const ITEM_WEIGHT: u64 = 100;
pub const CALLBACK_WEIGHT: u64 = 5;

/// A budget for `buckets` buckets and `items` items.
pub fn budget_for(buckets: u64, items: u64) -> Weight {
	Weight::from_parts(buckets * BUCKET_WEIGHT + items * (ITEM_WEIGHT + CALLBACK_WEIGHT), 0)
}

pub const DEFAULT_BUDGET: Weight = Weight::from_parts(1_000_000, 0);

parameter_types! {
	/// Raised by a test to make payments to new accounts fail.
	pub static ExistentialDeposit: Balance = 1;
	pub const TreasuryAccount: AccountId = TREASURY;
	pub const InsurancePoolAccount: AccountId = INSURANCE_POOL;
	pub static TakeRate: Perbill = Perbill::from_percent(10);
	pub static InsuranceShare: Perbill = Perbill::from_percent(50);
	pub static SettlementInterval: u64 = 10;
	/// Zero unless a test sets it: earnings vest at the settlement that pays them.
	pub static VestingPeriod: u64 = 0;
	pub static SweepBudget: Weight = DEFAULT_BUDGET;
}

thread_local! {
	static EXHAUSTED: RefCell<Vec<(OrderId, u64, Balance)>> = const { RefCell::new(Vec::new()) };
}

/// Records what a lease pallet would be told.
pub struct RecordExhausted;

impl OnFundsExhausted<Balance, u64> for RecordExhausted {
	fn on_funds_exhausted(order: OrderId, at: u64, paid: Balance) {
		EXHAUSTED.with(|exhausted| exhausted.borrow_mut().push((order, at, paid)));
	}

	fn weight() -> Weight {
		Weight::from_parts(CALLBACK_WEIGHT, 0)
	}
}

/// Every `(order, at, paid)` the lease pallet would have been told, in order.
pub fn exhausted() -> Vec<(OrderId, u64, Balance)> {
	EXHAUSTED.with(|exhausted| exhausted.borrow().clone())
}

/// Fixed weights; see [`BUCKET_WEIGHT`].
pub struct TestWeights;

impl crate::WeightInfo for TestWeights {
	fn deposit() -> Weight {
		Weight::from_parts(1_000, 0)
	}
	fn settle() -> Weight {
		Weight::from_parts(1_000, 0)
	}
	fn sweep_bucket() -> Weight {
		Weight::from_parts(BUCKET_WEIGHT, 0)
	}
	fn sweep_item() -> Weight {
		Weight::from_parts(ITEM_WEIGHT, 0)
	}
	fn open() -> Weight {
		Weight::from_parts(1_000, 0)
	}
	fn start_stream() -> Weight {
		Weight::from_parts(1_000, 0)
	}
	fn close() -> Weight {
		Weight::from_parts(1_000, 0)
	}
	fn release_vested() -> Weight {
		Weight::from_parts(1_000, 0)
	}
	fn claw_back() -> Weight {
		Weight::from_parts(1_000, 0)
	}
}

impl pallet_escrow::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type OnFundsExhausted = RecordExhausted;
	type Treasury = TreasuryAccount;
	type InsurancePool = InsurancePoolAccount;
	type TakeRate = TakeRate;
	type InsuranceShare = InsuranceShare;
	type SettlementInterval = SettlementInterval;
	type VestingPeriod = VestingPeriod;
	type MaxVestingChunks = frame_support::traits::ConstU32<4>;
	type SweepBudget = SweepBudget;
	type WeightInfo = TestWeights;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkHelper;
}

/// Benchmark actors: accounts from 1 000 up, given what the benchmark asks for.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl ccre_primitives::MarketBenchmarkHelper<AccountId, Balance> for BenchmarkHelper {
	fn funded_account(seed: u32, amount: Balance) -> AccountId {
		use frame_support::traits::fungible::Mutate;
		let who = 1_000 + AccountId::from(seed);
		Balances::set_balance(&who, amount);
		who
	}

	fn eligible_provider(seed: u32, _: ccre_primitives::ResourceSet) -> AccountId {
		// No providers pallet here; escrow benchmarks only need a payee that exists.
		Self::funded_account(seed, ENDOWMENT)
	}

	fn attested_by(_: &AccountId, _: u32) -> Vec<AccountId> {
		// Escrow benchmarks never ask for auditors.
		Vec::new()
	}
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	// Parameters and the callback record are thread-local; every test starts from the defaults.
	ExistentialDeposit::set(1);
	TakeRate::set(Perbill::from_percent(10));
	InsuranceShare::set(Perbill::from_percent(50));
	SettlementInterval::set(10);
	VestingPeriod::set(0);
	SweepBudget::set(DEFAULT_BUDGET);
	EXHAUSTED.with(|exhausted| exhausted.borrow_mut().clear());

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
		Escrow::do_try_state().unwrap_or_else(|e| panic!("try_state: {e:?}"));
	});
}

/// Runs the following blocks' `on_initialize`, and so the sweep, up to and including `block`.
pub fn run_to_block(block: u64) {
	while System::block_number() < block {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Escrow::on_initialize(next);
	}
}

/// What `who` holds in escrow, over all its accounts.
pub fn held(who: AccountId) -> Balance {
	<Balances as InspectHold<AccountId>>::balance_on_hold(&crate::HoldReason::Escrow.into(), &who)
}

pub fn free(who: AccountId) -> Balance {
	Balances::free_balance(who)
}

/// The escrow pallet's events so far, oldest first.
pub fn escrow_events() -> Vec<crate::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Escrow(event) => Some(event),
			_ => None,
		})
		.collect()
}

pub fn last_event() -> RuntimeEvent {
	System::events().pop().map(|record| record.event).unwrap_or_else(|| panic!("no event"))
}

/// Opens `order` for `owner` with `amount`.
pub fn open(order: OrderId, owner: AccountId, amount: Balance) {
	use ccre_primitives::Escrow as _;
	frame_support::assert_ok!(Escrow::open(order, &owner, amount));
}

/// Starts `order`'s stream to `payee` at `rate`.
pub fn start(order: OrderId, payee: AccountId, rate: Balance) {
	use ccre_primitives::Escrow as _;
	frame_support::assert_ok!(Escrow::start_stream(order, &payee, rate, None));
}

/// `order`'s stored account.
pub fn account(order: OrderId) -> crate::EscrowAccountOf<Test> {
	crate::Accounts::<Test>::get(order).unwrap_or_else(|| panic!("no account {order}"))
}
