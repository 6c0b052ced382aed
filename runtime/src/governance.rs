//! Token-holder governance: public referenda decided by conviction voting, enacted through the
//! scheduler, with proposals stored as preimages. A referendum passed on the `market` track
//! dispatches its call as [`origins::Origin::MarketAdmin`], one on the `root` track as root;
//! either is the governance origin that changes the market parameters (in pallet-parameters),
//! approves auditors and chooses the arbitrators, whose council decides disputed SLA claims.
//! Only root upgrades the runtime. Sudo remains only in the development preset.

use alloc::borrow::Cow;
use frame_support::{
	parameter_types,
	traits::{
		fungible::HoldConsideration, ConstU32, EitherOfDiverse, EnsureOrigin, EqualPrivilegeOnly,
		LinearStoragePrice, OriginTrait, TotalIssuanceOf,
	},
	weights::Weight,
};
use frame_system::EnsureRoot;
use pallet_referenda::{Curve, Track, TrackInfo, TracksInfo};
use sp_runtime::Perbill;

use super::{
	origins, parameters::DAYS, AccountId, Balance, Balances, BlockNumber, OriginCaller, Preimage,
	Referenda, Runtime, RuntimeCall, RuntimeEvent, RuntimeHoldReason, RuntimeOrigin, Scheduler,
	System, CCRE, MILLI_CCRE,
};

/// Blocks per hour at six-second blocks.
const HOURS: BlockNumber = DAYS / 24;

parameter_types! {
	/// Scheduled calls (enacted referenda) may use a fifth of a block: with matching (at most
	/// half), the escrow sweep and the lease deadlines (a tenth each), the hooks every block must
	/// run never take more than 90% of it.
	pub MaximumSchedulerWeight: Weight = Perbill::from_percent(20) *
		<Runtime as frame_system::Config>::BlockWeights::get().max_block;
	pub const PreimageHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
	pub const PreimageBaseDeposit: Balance = CCRE;
	pub const PreimageByteDeposit: Balance = MILLI_CCRE;
}

impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_preimage::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<AccountId>;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
	>;
}

impl pallet_scheduler::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type MaxScheduledPerBlock = ConstU32<50>;
	type WeightInfo = pallet_scheduler::weights::SubstrateWeight<Runtime>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

parameter_types! {
	/// Votes stay locked a week per conviction step after the referendum ends.
	pub const VoteLockingPeriod: BlockNumber = 7 * DAYS;
}

impl pallet_conviction_voting::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_conviction_voting::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type VoteLockingPeriod = VoteLockingPeriod;
	type MaxVotes = ConstU32<64>;
	type MaxTurnout = TotalIssuanceOf<Balances, AccountId>;
	type Polls = Referenda;
	type BlockNumberProvider = System;
	type VotingHooks = ();
}

parameter_types! {
	pub const AlarmInterval: BlockNumber = 1;
	pub const SubmissionDeposit: Balance = 10 * CCRE;
	pub const UndecidingTimeout: BlockNumber = 14 * DAYS;
}

/// The referendum tracks: `root` for anything (runtime upgrades included), and `market` for
/// what the market needs governed (parameters, auditors, arbitrators), with a lower bar.
pub struct Tracks;

/// A track name as the fixed-size array `TrackInfo` stores.
const fn track_name(name: &str) -> [u8; 25] {
	let mut padded = [0u8; 25];
	let bytes = name.as_bytes();
	let mut index = 0;
	while index < bytes.len() && index < padded.len() {
		padded[index] = bytes[index];
		index += 1;
	}
	padded
}

/// Approval needed on both tracks: from 100% down to 50% over the decision period.
const APPROVAL: Curve = Curve::LinearDecreasing {
	length: Perbill::from_percent(100),
	floor: Perbill::from_percent(50),
	ceil: Perbill::from_percent(100),
};

/// Referendum timings. On `root`, a referendum is decided from ten minutes after submission,
/// needs support (turnout in favour) falling from 10% to 0% over a week, must hold for an hour,
/// and is enacted at least ten minutes after passing. On `market`, the decision deposit is a
/// tenth, support falls from 5% over three days, and confirmation takes half an hour.
const TRACKS: [Track<u16, Balance, BlockNumber>; 2] = [
	Track {
		id: ROOT_TRACK,
		info: TrackInfo {
			name: track_name("root"),
			max_deciding: 5,
			decision_deposit: 1_000 * CCRE,
			prepare_period: HOURS / 6,
			decision_period: 7 * DAYS,
			confirm_period: HOURS,
			min_enactment_period: HOURS / 6,
			min_approval: APPROVAL,
			min_support: Curve::LinearDecreasing {
				length: Perbill::from_percent(100),
				floor: Perbill::from_percent(0),
				ceil: Perbill::from_percent(10),
			},
		},
	},
	Track {
		id: MARKET_TRACK,
		info: TrackInfo {
			name: track_name("market"),
			max_deciding: 10,
			decision_deposit: 100 * CCRE,
			prepare_period: HOURS / 6,
			decision_period: 3 * DAYS,
			confirm_period: HOURS / 2,
			min_enactment_period: HOURS / 6,
			min_approval: APPROVAL,
			min_support: Curve::LinearDecreasing {
				length: Perbill::from_percent(100),
				floor: Perbill::from_percent(0),
				ceil: Perbill::from_percent(5),
			},
		},
	},
];

/// The track of referenda dispatched as root.
const ROOT_TRACK: u16 = 0;
/// The track of referenda dispatched as [`origins::Origin::MarketAdmin`].
const MARKET_TRACK: u16 = 1;

impl TracksInfo<Balance, BlockNumber> for Tracks {
	type Id = u16;
	type RuntimeOrigin = <RuntimeOrigin as OriginTrait>::PalletsOrigin;

	fn tracks() -> impl Iterator<Item = Cow<'static, Track<Self::Id, Balance, BlockNumber>>> {
		TRACKS.iter().map(Cow::Borrowed)
	}

	fn track_for(origin: &Self::RuntimeOrigin) -> Result<Self::Id, ()> {
		match origin {
			OriginCaller::system(frame_system::RawOrigin::Root) => Ok(ROOT_TRACK),
			OriginCaller::Origins(origins::Origin::MarketAdmin) => Ok(MARKET_TRACK),
			_ => Err(()),
		}
	}
}

impl pallet_referenda::Config for Runtime {
	type WeightInfo = pallet_referenda::weights::SubstrateWeight<Runtime>;
	type RuntimeCall = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type Scheduler = Scheduler;
	type Currency = Balances;
	type SubmitOrigin = frame_system::EnsureSigned<AccountId>;
	type CancelOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	// A killed referendum's deposit is burnt.
	type Slash = ();
	type Votes = pallet_conviction_voting::VotesOf<Runtime>;
	type Tally = pallet_conviction_voting::TallyOf<Runtime>;
	type SubmissionDeposit = SubmissionDeposit;
	type MaxQueued = ConstU32<100>;
	type UndecidingTimeout = UndecidingTimeout;
	type AlarmInterval = AlarmInterval;
	type Tracks = Tracks;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

/// The arbitrators' council. Governance chooses its members (a referendum dispatching
/// `arbitrators.set_members`); its motions decide disputed SLA claims.
pub type ArbitratorsCollective = pallet_collective::Instance1;

parameter_types! {
	/// An arbitration motion not closed within three days lapses.
	pub const ArbitrationMotionDuration: BlockNumber = 3 * DAYS;
	/// A motion's call may use at most half a block.
	pub MaxArbitrationProposalWeight: Weight = Perbill::from_percent(50) *
		<Runtime as frame_system::Config>::BlockWeights::get().max_block;
}

impl pallet_collective::Config<ArbitratorsCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = ArbitrationMotionDuration;
	type MaxProposals = ConstU32<100>;
	type MaxMembers = ConstU32<32>;
	// Arbitrators who do not vote count as voting with the prime arbitrator, if there is one.
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	type SetMembersOrigin = crate::configs::GovernanceOrigin;
	type MaxProposalWeight = MaxArbitrationProposalWeight;
	type DisapproveOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	type Consideration = ();
}

/// Passes for a referendum passed on the `market` track.
pub struct EnsureMarketAdmin;

impl EnsureOrigin<RuntimeOrigin> for EnsureMarketAdmin {
	type Success = ();

	fn try_origin(origin: RuntimeOrigin) -> Result<Self::Success, RuntimeOrigin> {
		match origin.caller() {
			OriginCaller::Origins(origins::Origin::MarketAdmin) => Ok(()),
			_ => Err(origin),
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<RuntimeOrigin, ()> {
		Ok(origins::Origin::MarketAdmin.into())
	}
}

/// Decides disputed SLA claims: more than half of the arbitrators, or a referendum.
pub type ArbitrationOrigin = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionMoreThan<AccountId, ArbitratorsCollective, 1, 2>,
>;
