//! How each pallet is configured in this runtime.

use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{
		tokens::imbalance::ResolveTo, AsEnsureOriginWithArg, ConstBool, ConstU32, ConstU64,
		ConstU8, EitherOfDiverse, VariantCountOf,
	},
	weights::{constants::WEIGHT_REF_TIME_PER_SECOND, ConstantMultiplier, IdentityFee, Weight},
};
use frame_system::{
	limits::{BlockLength, BlockWeights},
	EnsureRoot,
};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::{
	traits::{AccountIdConversion, One},
	Perbill,
};
use sp_version::RuntimeVersion;

use crate::weights::{
	block_weights::BlockExecutionWeight, extrinsic_weights::ExtrinsicBaseWeight,
	paritydb_weights::constants::ParityDbWeight,
};

use super::{
	parameters::{
		dynamic_params, ExchangeBudget, MaintenanceBudget, MatchingBudget, RuntimeParameters,
		SlaDefaults,
	},
	AccountId, Aura, Balance, Balances, Block, BlockNumber, Escrow, Hash, Leases, Nonce, Orders,
	PalletInfo, Providers, Runtime, RuntimeCall, RuntimeEvent, RuntimeFreezeReason,
	RuntimeHoldReason, RuntimeOrigin, RuntimeTask, Sla, System, Timestamp, EXISTENTIAL_DEPOSIT,
	INSURANCE_POOL_PALLET_ID, MICRO_CCRE, SS58_PREFIX, TREASURY_PALLET_ID, VERSION,
};

/// Three quarters of a block is for ordinary transactions; the rest is kept for operational
/// ones and the block hooks.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

/// Two seconds of compute per block, a third of a six-second slot.
const MAXIMUM_BLOCK_WEIGHT: Weight =
	Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX);

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: RuntimeVersion = VERSION;
	/// [`MAXIMUM_BLOCK_WEIGHT`], with the base costs of a block and of a transaction as
	/// measured on the production build (`runtime/src/weights/`). The limits are checked when
	/// the runtime is built into a test (`frame_system`'s integrity test), not at run time.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::builder()
		.base_block(BlockExecutionWeight::get())
		.for_class(DispatchClass::all(), |weights| {
			weights.base_extrinsic = ExtrinsicBaseWeight::get();
		})
		.for_class(DispatchClass::Normal, |weights| {
			weights.max_total = Some(NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.for_class(DispatchClass::Operational, |weights| {
			weights.max_total = Some(MAXIMUM_BLOCK_WEIGHT);
			// What normal transactions may not use is kept for operational ones.
			weights.reserved =
				Some(MAXIMUM_BLOCK_WEIGHT.saturating_sub(NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT));
		})
		.avg_block_initialization(Perbill::from_percent(10))
		.build_or_panic();
	/// Blocks of at most 5 MiB, of which ordinary transactions may fill three quarters.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(5 * 1024 * 1024)
		.modify_max_length_for_class(DispatchClass::Normal, |max| *max = NORMAL_DISPATCH_RATIO * *max)
		.build();
	pub const SS58Prefix: u16 = SS58_PREFIX;
	pub const ExistentialDeposit: Balance = EXISTENTIAL_DEPOSIT;
	/// The account that receives transaction fees (and, later, its share of the market's take).
	pub TreasuryAccount: AccountId = TREASURY_PALLET_ID.into_account_truncating();
	pub InsurancePoolAccount: AccountId = INSURANCE_POOL_PALLET_ID.into_account_truncating();
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	// The node stores state in ParityDB only; its costs as measured on the production build.
	type DbWeight = ParityDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
}

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = pallet_block_time::MinimumPeriod<Runtime>;
	type WeightInfo = ();
}

impl pallet_block_time::Config for Runtime {}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<32>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_block_time::SlotDuration<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<32>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	// No equivocation reports until validators are staked providers (see the roadmap).
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ExistentialDeposit;
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// Fees and tips go, whole, to the treasury account.
	type OnChargeTransaction = FungibleAdapter<Balances, ResolveTo<TreasuryAccount, Balances>>;
	type OperationalFeeMultiplier = ConstU8<5>;
	/// One unit per picosecond of compute: a transfer costs about a ten-thousandth of a CCRE.
	type WeightToFee = IdentityFee<Balance>;
	/// A millionth of a CCRE per byte, so large extrinsics pay for the space they take.
	type LengthToFee = ConstantMultiplier<Balance, MicroCcrePerByte>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	pub const MicroCcrePerByte: Balance = MICRO_CCRE;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

/// Market parameters, auditors and arbitrators change by the governance origin: a referendum
/// on the `market` track, or root (a referendum on the `root` track; Sudo on dev chains).
pub type GovernanceOrigin =
	EitherOfDiverse<EnsureRoot<AccountId>, crate::governance::EnsureMarketAdmin>;

impl pallet_parameters::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeParameters = RuntimeParameters;
	// Only through `MarketParameters::set_parameter`, which checks each value's bounds first.
	type AdminOrigin = AsEnsureOriginWithArg<crate::market_parameters::EnsureBoundsChecked>;
	// The crate exports only its `()` weights (measured, on RocksDB costs: an over-estimate here).
	type WeightInfo = ();
}

impl pallet_certificates::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type UnixTime = Timestamp;
	/// Room for an RSA-4096 certificate with a generous subject-alternative-name list.
	type MaxCertificateLen = ConstU32<4096>;
	type MaxCertificatesPerAccount = ConstU32<16>;
	type DepositBase = dynamic_params::certificates::DepositBase;
	type DepositPerByte = dynamic_params::certificates::DepositPerByte;
	type WeightInfo = pallet_certificates::weights::SubstrateWeight<Runtime>;
}

impl pallet_providers::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type AuditorOrigin = GovernanceOrigin;
	type ActiveLeases = Leases;
	type MaxHostUriLen = ConstU32<256>;
	type MaxContactLen = ConstU32<256>;
	type MaxAuditors = ConstU32<32>;
	type MaxUnlockingChunks = ConstU32<16>;
	type MaxOutcomeWeight = ConstU32<100>;
	type RegistrationDeposit = dynamic_params::providers::RegistrationDeposit;
	type DepositPerByte = dynamic_params::providers::DepositPerByte;
	type AttestationDeposit = dynamic_params::providers::AttestationDeposit;
	type MinimumStake = dynamic_params::providers::MinimumStake;
	type UnbondingPeriod = dynamic_params::providers::UnbondingPeriod;
	type CollateralBlocks = dynamic_params::providers::CollateralBlocks;
	type ReputationPeriod = dynamic_params::providers::ReputationPeriod;
	type ReputationRetention = dynamic_params::providers::ReputationRetention;
	type ReputationValueUnit = dynamic_params::providers::ReputationValueUnit;
	type WeightInfo = pallet_providers::weights::SubstrateWeight<Runtime>;
}

impl pallet_escrow::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type OnFundsExhausted = Leases;
	type Treasury = TreasuryAccount;
	type InsurancePool = InsurancePoolAccount;
	type TakeRate = dynamic_params::market::TakeRate;
	type InsuranceShare = dynamic_params::market::InsuranceShare;
	type SettlementInterval = dynamic_params::market::SettlementInterval;
	type VestingPeriod = dynamic_params::market::VestingPeriod;
	// Sixteen chunks over a vesting period of a day: earnings vest at most 1.5 hours late.
	type MaxVestingChunks = ConstU32<16>;
	type SweepBudget = MaintenanceBudget;
	type WeightInfo = pallet_escrow::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_providers::MarketActors<Runtime>;
}

impl pallet_leases::Config for Runtime {
	type Balance = Balance;
	type Escrow = Escrow;
	type Deployments = Orders;
	type OnReaped = Sla;
	type Reputation = Providers;
	type ManifestTimeout = dynamic_params::market::ManifestTimeout;
	type ClosedLeaseRetention = dynamic_params::market::ClosedLeaseRetention;
	type DeadlineBudget = MaintenanceBudget;
	type MaxLeasesPerProvider = ConstU32<MAX_LEASES_PER_PROVIDER>;
	type WeightInfo = pallet_leases::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_providers::MarketActors<Runtime>;
}

impl pallet_orders::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Providers = Providers;
	type Escrow = Escrow;
	type Leases = Leases;
	type MaxBidsPerOrder = ConstU32<32>;
	type MaxOpenBidsPerProvider = ConstU32<256>;
	type MaxRequiredAuditors = ConstU32<8>;
	type MaxUnits = ConstU32<1_024>;
	type MaxOrdersClosingPerBlock = ConstU32<1_024>;
	// Orders scan every offer when placed (about 0.1 ms each): 64 keeps that under 7 ms.
	type MaxOffers = ConstU32<64>;
	type MaxOffersPerProvider = ConstU32<16>;
	type MaxOfferLifetime = dynamic_params::market::MaxOfferLifetime;
	type OrderDeposit = dynamic_params::market::OrderDeposit;
	type DepositPerByte = dynamic_params::market::OrderDepositPerByte;
	type BidDeposit = dynamic_params::market::BidDeposit;
	type OfferDeposit = dynamic_params::market::OfferDeposit;
	type MaxBidWindow = dynamic_params::market::MaxBidWindow;
	type MatchingBudget = MatchingBudget;
	type SlaDefaults = SlaDefaults;
	type WeightInfo = pallet_orders::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_providers::MarketActors<Runtime>;
}

/// The most leases one provider serves at once; its heartbeat names them all, so this also
/// bounds the heaviest heartbeat. A provider with more capacity registers a second account.
const MAX_LEASES_PER_PROVIDER: u32 = 1_024;

/// Blocks per SLA epoch: ten minutes at six-second blocks. Fixed, not a parameter, because
/// changing it would move every epoch already counted.
const SLA_EPOCH_LENGTH: u32 = 100;

impl pallet_sla::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Leases = Leases;
	type Earnings = Escrow;
	type Stake = Providers;
	type Reputation = Providers;
	type ArbitrationOrigin = crate::governance::ArbitrationOrigin;
	type Pool = InsurancePoolAccount;
	type EpochLength = ConstU32<SLA_EPOCH_LENGTH>;
	type MaxHeartbeatLeases = ConstU32<MAX_LEASES_PER_PROVIDER>;
	type LockUp = dynamic_params::sla::UnderwritingLockUp;
	type MinUnderwriting = dynamic_params::sla::MinUnderwriting;
	type ClaimDeposit = dynamic_params::sla::ClaimDeposit;
	type AnswerPeriod = dynamic_params::sla::AnswerPeriod;
	type WeightInfo = pallet_sla::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_leases::LeaseActors<Runtime>;
}

impl pallet_exchange::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ClassOrigin = GovernanceOrigin;
	type Providers = Providers;
	type Deployments = Orders;
	type MaxClasses = ConstU32<64>;
	// A fill opens a deployment, whose order names the class's auditors.
	type MaxClassAuditors = ConstU32<8>;
	// As deep as SORA's book: a benchmark measures matching against it (README).
	type MaxLevels = ConstU32<1_024>;
	type MaxOrdersPerLevel = ConstU32<64>;
	type MaxOpenOrdersPerAccount = ConstU32<256>;
	type MaxIncoming = ConstU32<1_024>;
	type MaxExpiriesPerBlock = ConstU32<256>;
	type MaxFillsPerOrder = ConstU32<16>;
	type OrderDeposit = dynamic_params::exchange::OrderDeposit;
	type MatchingBudget = ExchangeBudget;
	type BlockTimeMillis = pallet_block_time::SlotDuration<Runtime>;
	// A day of 30-second prints.
	type MaxPrints = ConstU32<2_880>;
	type MaxAuctionFills = ConstU32<256>;
	type WeightInfo = pallet_exchange::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_providers::MarketActors<Runtime>;
}

impl crate::origins::Config for Runtime {}

impl crate::market_parameters::Config for Runtime {
	type GovernanceOrigin = GovernanceOrigin;
	type Bounds = crate::parameters::WithinBounds;
}
