//! The CCRE runtime fuzzer's harness.
//!
//! A fuzz input is read as a sequence of [`Action`]s: signed extrinsics from a cast of six
//! well-known accounts, and blocks going by. Two providers (Alice, Bob) and two tenants (Charlie,
//! Dave) are the market's participants, and any of them may be an attacker acting with any
//! other; Eve and Ferdie underwrite the insurance pool; arbitration is Sudo (Alice's key, root).
//! Every block runs whole through `Executive` (initialisation with an Aura slot, the timestamp
//! inherent, the extrinsics, finalisation), and after each one the harness checks:
//!
//! - nothing panicked (a panic is the fuzzer's crash);
//! - every pallet's `try_state` and the runtime's cross-pallet invariants
//!   ([`ccre_runtime::invariants::check`]), including that the accounts add up to the issuance;
//! - the total issuance never grew (nothing mints);
//! - the participants together never hold more than they started with: whatever they do,
//!   alone or together, they cannot take money from the underwriters or the treasury;
//! - no block took far longer to execute than the weight it was charged.
//!
//! [`run`] returns what it saw, so a replay can report it; a broken invariant panics, with the
//! block and the invariant named.

use arbitrary::{Arbitrary, Unstructured};
use ccre_primitives::{
	AuditorRule, Capacity, ClearingRule, CloseReason, OrderTerms, OrderType, Property, ResourceSet,
	SlaTerms,
};
use ccre_runtime::{
	AccountId, Balance, Executive, Header, Runtime, RuntimeCall, SignedPayload, TxExtension,
	UncheckedExtrinsic, CCRE,
};
use codec::Encode;
use frame_support::{traits::Get, BoundedVec};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	generic::{Digest, DigestItem, Era},
	traits::Header as _,
	MultiSignature, Perbill,
};
use std::{
	sync::OnceLock,
	time::{Duration, Instant},
};

/// The cast: who signs each action.
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
	/// A provider, and the Sudo key.
	Alice,
	/// A provider.
	Bob,
	/// A tenant.
	Charlie,
	/// A tenant.
	Dave,
	/// An underwriter.
	Eve,
	/// An underwriter.
	Ferdie,
}

impl Who {
	fn keyring(self) -> Sr25519Keyring {
		match self {
			Who::Alice => Sr25519Keyring::Alice,
			Who::Bob => Sr25519Keyring::Bob,
			Who::Charlie => Sr25519Keyring::Charlie,
			Who::Dave => Sr25519Keyring::Dave,
			Who::Eve => Sr25519Keyring::Eve,
			Who::Ferdie => Sr25519Keyring::Ferdie,
		}
	}

	fn account(self) -> AccountId {
		use sp_core::Pair;
		use sp_runtime::traits::IdentifyAccount;
		sp_runtime::MultiSigner::from(self.pair().public()).into_account()
	}

	/// The key pair, derived once: a derivation hashes thousands of times.
	fn pair(self) -> &'static sp_core::sr25519::Pair {
		static PAIRS: OnceLock<Vec<sp_core::sr25519::Pair>> = OnceLock::new();
		let all = [Who::Alice, Who::Bob, Who::Charlie, Who::Dave, Who::Eve, Who::Ferdie];
		let pairs = PAIRS.get_or_init(|| all.iter().map(|who| who.keyring().pair()).collect());
		&pairs[self as usize]
	}
}

/// The market's participants: every provider and tenant. Together they must never gain.
const PARTICIPANTS: [Who; 4] = [Who::Alice, Who::Bob, Who::Charlie, Who::Dave];

/// A small amount of CCRE, in tenths (at most 25.5): prices, funding and claims stay in a range
/// where they meet (bids under maximum prices, leases the providers' stake can back, funding
/// that runs out within a run, claims near what is at risk).
#[derive(Arbitrary, Clone, Copy, Debug)]
pub struct Tenths(pub u8);

impl Tenths {
	fn balance(self) -> Balance {
		Balance::from(self.0).saturating_mul(CCRE / 10)
	}
}

/// One step of a run: `who` signs `call`, and then the block may end.
#[derive(Arbitrary, Clone, Debug)]
pub struct Action {
	pub who: Who,
	pub call: Call,
	/// Whether the block ends after the call (one step in four), and how many empty blocks go
	/// by before the next: 0, 3, 15, 63, 255 or 1 023, so runs cross epochs, vesting periods
	/// and days.
	pub then: u8,
}

impl Action {
	/// The empty blocks that go by after this step, if the block ends.
	fn blocks_after(&self) -> Option<u32> {
		match self.then {
			0..=191 => None,
			value => Some(4u32.pow(u32::from((value - 192) / 11)) - 1),
		}
	}
}

/// The calls the cast makes, with arguments from small domains that meet each other.
#[derive(Arbitrary, Clone, Debug)]
pub enum Call {
	CreateOrder {
		units: u8,
		cores: u8,
		max_price: Tenths,
		funding: Tenths,
		duration: Option<u8>,
		bid_window: u8,
		order_type: u8,
		second_price: bool,
		audited: bool,
		availability: u8,
		credit_rate: u8,
	},
	CancelOrder {
		order: u8,
	},
	UpdateManifest {
		order: u8,
		version: u8,
	},
	PlaceBid {
		order: u8,
		price: Tenths,
	},
	WithdrawBid {
		order: u8,
	},
	ReclaimBidDeposits,
	PostOffer {
		cores: u8,
		units: u8,
		price: Tenths,
		lifetime: u16,
	},
	WithdrawOffer {
		offer: u8,
	},
	Start {
		lease: u8,
	},
	Close {
		lease: u8,
		reason: u8,
	},
	Reap {
		lease: u8,
	},
	Deposit {
		order: u8,
		amount: Tenths,
	},
	Settle {
		order: u8,
	},
	ReleaseVested {
		order: u8,
	},
	Heartbeat {
		leases: Vec<u8>,
	},
	ClaimDowntime {
		lease: u8,
	},
	FileClaim {
		lease: u8,
		amount: Tenths,
	},
	AnswerClaim {
		claim: u8,
	},
	WithdrawClaim {
		claim: u8,
	},
	Underwrite {
		amount: u16,
	},
	WithdrawUnderwriting {
		shares: u16,
	},
	Bond {
		amount: u16,
	},
	Unbond {
		amount: u16,
	},
	WithdrawUnbonded,
	Register {
		cores: u8,
	},
	Deregister,
	Attest {
		provider: Who,
	},
	/// Arbitration, through Sudo whoever the step names: the claim is upheld with `award`, or
	/// rejected.
	Decide {
		claim: u8,
		award: Option<Tenths>,
	},
}

/// What a run saw.
#[derive(Debug, Default, Clone, Copy)]
pub struct Report {
	/// Blocks executed.
	pub blocks: u32,
	/// Extrinsics applied, and how many of them failed with a dispatch error.
	pub extrinsics: u32,
	pub failed: u32,
	/// The largest ratio of a block's execution time to its weight.
	pub worst_time_to_weight: f64,
	/// Leases opened, started and closed: how far into the market the run got.
	pub leases_opened: u32,
	pub leases_started: u32,
	pub leases_closed: u32,
	/// Breaches paid: downtime claims and upheld disputed claims.
	pub compensations: u32,
}

impl Report {
	/// This report and `other` together.
	pub fn add(&mut self, other: &Report) {
		self.blocks += other.blocks;
		self.extrinsics += other.extrinsics;
		self.failed += other.failed;
		self.worst_time_to_weight = self.worst_time_to_weight.max(other.worst_time_to_weight);
		self.leases_opened += other.leases_opened;
		self.leases_started += other.leases_started;
		self.leases_closed += other.leases_closed;
		self.compensations += other.compensations;
	}

	/// Counts what `event` says happened.
	fn count(&mut self, event: &ccre_runtime::RuntimeEvent) {
		use ccre_runtime::RuntimeEvent::{Leases, Sla};
		match event {
			Leases(pallet_leases::Event::Opened { .. }) => self.leases_opened += 1,
			Leases(pallet_leases::Event::Started { .. }) => self.leases_started += 1,
			Leases(
				pallet_leases::Event::Closed { .. } | pallet_leases::Event::FundsExhausted { .. },
			) => self.leases_closed += 1,
			Sla(
				pallet_sla::Event::DowntimeCompensated { .. }
				| pallet_sla::Event::ClaimUpheld { .. },
			) => self.compensations += 1,
			_ => {},
		}
	}
}

/// A block may take this many times its weight before the harness calls it underweighted, as
/// long as it also took at least [`SLOW_BLOCK`]: weights come from optimised builds and a
/// fuzzing build is instrumented, so only a gross gap is a finding.
const TIME_TO_WEIGHT_LIMIT: f64 = 20.0;
const SLOW_BLOCK: Duration = Duration::from_millis(250);

/// The dev chain's genesis, built once.
fn genesis() -> &'static sp_core::storage::Storage {
	static GENESIS: OnceLock<sp_core::storage::Storage> = OnceLock::new();
	GENESIS.get_or_init(|| {
		ccre_runtime::genesis_config_presets::preset_storage(
			&sp_genesis_builder::DEV_RUNTIME_PRESET.into(),
		)
		.expect("the dev preset builds")
	})
}

/// Runs the actions `data` reads as, from the dev chain's genesis, checking every invariant
/// after each block. Panics, naming the block and the invariant, if one breaks.
pub fn run(data: &[u8]) -> Report {
	let mut input = Unstructured::new(data);
	let mut actions = Vec::new();
	while !input.is_empty() && actions.len() < 256 {
		match Action::arbitrary(&mut input) {
			Ok(action) => actions.push(action),
			Err(_) => break,
		}
	}
	run_actions(actions)
}

/// Runs `actions` from the dev chain's genesis, as [`run`] does.
pub fn run_actions(actions: Vec<Action>) -> Report {
	Chain::new(sp_io::TestExternalities::new(genesis().clone())).run(actions)
}

/// The chain a run drives. Each block's changes are committed to its state when the block
/// ends, as a node would, so that no block recomputes the state root of the whole run.
struct Chain {
	ext: sp_io::TestExternalities,
	block: u32,
	/// When the current block started executing.
	started: Instant,
	pending: Vec<UncheckedExtrinsic>,
	issuance: Balance,
	participants: Balance,
	report: Report,
}

impl Chain {
	fn new(ext: sp_io::TestExternalities) -> Self {
		let mut chain = Chain {
			ext,
			block: 0,
			started: Instant::now(),
			pending: Vec::new(),
			issuance: 0,
			participants: 0,
			report: Report::default(),
		};
		chain.start_block(1);
		chain.set_up();
		chain
	}

	/// The cast's starting positions, and parameters at their shortest bounds so that the
	/// periods a run crosses (vesting, settlement, timeouts) pass within it.
	fn set_up(&mut self) {
		use ccre_runtime::parameters::{dynamic_params::market, RuntimeParameters};
		let parameters = [
			RuntimeParameters::Market(market::Parameters::SettlementInterval(
				market::SettlementInterval,
				Some(5),
			)),
			RuntimeParameters::Market(market::Parameters::VestingPeriod(
				market::VestingPeriod,
				Some(600),
			)),
			RuntimeParameters::Market(market::Parameters::ManifestTimeout(
				market::ManifestTimeout,
				Some(10),
			)),
			RuntimeParameters::Market(market::Parameters::ClosedLeaseRetention(
				market::ClosedLeaseRetention,
				Some(600),
			)),
		];
		for key_value in parameters {
			self.sudo(ccre_runtime::market_parameters::Call::set_parameter { key_value }.into());
		}
		for provider in [Who::Alice, Who::Bob] {
			self.sign(provider, register(8));
			// Enough to back about 60 CCRE a block of leases.
			self.sign(provider, pallet_providers::Call::bond { amount: 20_000 * CCRE }.into());
		}
		self.sudo(pallet_providers::Call::add_auditor { auditor: Who::Eve.account() }.into());
		for underwriter in [Who::Eve, Who::Ferdie] {
			self.sign(underwriter, pallet_sla::Call::underwrite { amount: 10_000 * CCRE }.into());
		}
		self.end_block();
		(self.issuance, self.participants) = self.ext.execute_with(|| {
			(pallet_balances::TotalIssuance::<Runtime>::get(), participants_wealth())
		});
		self.start_block(self.block + 1);
	}

	fn run(mut self, actions: Vec<Action>) -> Report {
		for action in actions {
			let blocks_after = action.blocks_after();
			// Arbitration is Sudo's, whoever the step names.
			let who = match action.call {
				Call::Decide { .. } => Who::Alice,
				ref call => call.signer(action.who),
			};
			let call = self.ext.execute_with(|| action.call.into_runtime());
			self.sign(who, call);
			if let Some(blocks) = blocks_after {
				self.end_block();
				self.start_block(self.block + 1 + blocks);
			}
		}
		self.end_block();
		self.report
	}

	/// Starts block `number` with an Aura slot and the timestamp it implies. A number more than
	/// one past the last block stands for the empty blocks in between: every hook keeps a
	/// cursor and catches up on what those blocks would have done, so the run need not execute
	/// them one by one.
	fn start_block(&mut self, number: u32) {
		self.block = number;
		self.started = Instant::now();
		self.ext.execute_with(|| {
			frame_system::Pallet::<Runtime>::set_block_number(number.saturating_sub(1));
			let slot = sp_consensus_aura::Slot::from(u64::from(number));
			let digest = Digest {
				logs: vec![DigestItem::PreRuntime(
					sp_consensus_aura::AURA_ENGINE_ID,
					slot.encode(),
				)],
			};
			let header = Header::new(
				number,
				Default::default(),
				Default::default(),
				Default::default(),
				digest,
			);
			Executive::initialize_block(&header);
			let now = u64::from(number).saturating_mul(pallet_block_time_millis());
			let inherent =
				UncheckedExtrinsic::new_bare(pallet_timestamp::Call::<Runtime>::set { now }.into());
			let applied = Executive::apply_extrinsic(inherent);
			assert!(matches!(applied, Ok(Ok(()))), "block {number}: the timestamp: {applied:?}");
		});
	}

	/// Applies what was signed in this block, finalises it, checks every invariant and commits
	/// the block's changes.
	fn end_block(&mut self) {
		let pending = std::mem::take(&mut self.pending);
		let report = &mut self.report;
		let (block, started, issuance, participants) =
			(self.block, self.started, self.issuance, self.participants);
		self.ext.execute_with(|| {
			for extrinsic in pending {
				report.extrinsics += 1;
				match Executive::apply_extrinsic(extrinsic) {
					Ok(Ok(())) => {},
					Ok(Err(_)) => report.failed += 1,
					// Refused before dispatch (a full block, say): it would not be included.
					Err(_) => {},
				}
			}
			for record in frame_system::Pallet::<Runtime>::events() {
				report.count(&record.event);
			}
			let weight = frame_system::BlockWeight::<Runtime>::get().total();
			Executive::finalize_block();
			let took = started.elapsed();
			report.blocks += 1;
			let seconds_of_weight = weight.ref_time() as f64 / 1e12;
			let ratio = took.as_secs_f64() / seconds_of_weight.max(1e-9);
			report.worst_time_to_weight = report.worst_time_to_weight.max(ratio);
			assert!(
				took < SLOW_BLOCK || ratio < TIME_TO_WEIGHT_LIMIT,
				"block {block}: took {took:?} for {seconds_of_weight:.6} s of weight"
			);
			if let Err(error) = ccre_runtime::invariants::check() {
				panic!("block {block}: invariant broken: {error:?}");
			}
			let now = pallet_balances::TotalIssuance::<Runtime>::get();
			assert!(now <= issuance || issuance == 0, "block {block}: issuance grew");
			if participants != 0 {
				let wealth = participants_wealth();
				assert!(
					wealth <= participants,
					"block {block}: the providers and tenants together gained {} planck",
					wealth - participants
				);
			}
		});
		self.ext.commit_all().expect("the block's changes commit");
	}

	/// Queues `call` signed by `who` for this block.
	fn sign(&mut self, who: Who, call: RuntimeCall) {
		let account = who.account();
		let queued = self.pending.iter().filter(|extrinsic| signed_by(extrinsic, &account)).count();
		let nonce = self
			.ext
			.execute_with(|| frame_system::Pallet::<Runtime>::account_nonce(&account))
			.saturating_add(queued as u32);
		let extension: TxExtension = (
			frame_system::CheckNonZeroSender::new(),
			frame_system::CheckSpecVersion::new(),
			frame_system::CheckTxVersion::new(),
			frame_system::CheckGenesis::new(),
			frame_system::CheckEra::from(Era::Immortal),
			frame_system::CheckNonce::from(nonce),
			frame_system::CheckWeight::new(),
			pallet_transaction_payment::ChargeTransactionPayment::from(0),
			frame_system::WeightReclaim::new(),
		);
		// The payload names the genesis hash and the runtime's version, read from the state.
		let payload = self
			.ext
			.execute_with(|| SignedPayload::new(call.clone(), extension.clone()))
			.expect("a payload");
		let signature = payload.using_encoded(|bytes| sp_core::Pair::sign(who.pair(), bytes));
		self.pending.push(UncheckedExtrinsic::new_signed(
			call,
			account.into(),
			MultiSignature::Sr25519(signature),
			extension,
		));
	}

	/// Queues `call` dispatched as root through Sudo.
	fn sudo(&mut self, call: RuntimeCall) {
		self.sign(Who::Alice, pallet_sudo::Call::sudo { call: Box::new(call) }.into());
	}
}

fn signed_by(extrinsic: &UncheckedExtrinsic, account: &AccountId) -> bool {
	matches!(
		&extrinsic.preamble,
		sp_runtime::generic::Preamble::Signed(sp_runtime::MultiAddress::Id(signer), ..)
			if signer == account
	)
}

/// The slot duration the runtime was given at genesis, in milliseconds.
fn pallet_block_time_millis() -> u64 {
	<pallet_block_time::SlotDuration<Runtime> as Get<u64>>::get()
}

/// What the participants own together: free and held.
fn participants_wealth() -> Balance {
	PARTICIPANTS.iter().map(|who| ccre_runtime::invariants::wealth(&who.account())).sum()
}

/// The call registering a provider in `eu-west` with `cores` cores and 2 GiB a core.
fn register(cores: u8) -> RuntimeCall {
	let cores = u64::from(cores.max(1));
	pallet_providers::Call::register {
		host_uri: BoundedVec::truncate_from(b"https://provider.example:8443".to_vec()),
		capacities: BoundedVec::truncate_from(vec![
			(Capacity::CpuMillicores, cores * 1_000),
			(Capacity::MemoryMib, cores * 2_048),
		]),
		properties: BoundedVec::truncate_from(vec![(
			Property::Region,
			BoundedVec::truncate_from(b"eu-west".to_vec()),
		)]),
		contact: Default::default(),
	}
	.into()
}

/// Half a core to four cores.
fn cores(count: u8) -> ResourceSet {
	ResourceSet::new([(Capacity::CpuMillicores, u64::from(1 + count % 8) * 500)], [])
		.unwrap_or_default()
}

fn percent(value: u8) -> Perbill {
	Perbill::from_percent(u32::from(value % 101))
}

impl Call {
	/// Who signs this call when the step names `who`: the underwriters only underwrite,
	/// withdraw and (Eve, an auditor) attest, so a market call a step gives one of them goes to
	/// a participant, and an underwriting call a participant's step names goes to an
	/// underwriter. Were the underwriters to pay into the market, the participants' gains would
	/// be theirs to give, not an exploit; and a participant underwriting would be taking from
	/// the pool it must not take from.
	fn signer(&self, who: Who) -> Who {
		let underwriting = matches!(
			self,
			Call::Underwrite { .. } | Call::WithdrawUnderwriting { .. } | Call::Attest { .. }
		);
		match (who, underwriting) {
			(Who::Eve | Who::Ferdie, true) => who,
			(Who::Eve, false) => Who::Charlie,
			(Who::Ferdie, false) => Who::Bob,
			(Who::Alice | Who::Charlie, true) => Who::Eve,
			(Who::Bob | Who::Dave, true) => Who::Ferdie,
			(participant, false) => participant,
		}
	}

	/// The runtime call this is. Orders, leases, offers and claims are named by how recent
	/// they are (`value % 4` back from the latest), so calls meet what exists.
	fn into_runtime(self) -> RuntimeCall {
		use pallet_escrow::Call as Escrow;
		use pallet_leases::Call as Leases;
		use pallet_orders::Call as Orders;
		use pallet_providers::Call as Providers;
		use pallet_sla::Call as Sla;
		let recent = |next: u64, value: u8| next.saturating_sub(1 + u64::from(value % 4));
		let id = |value: u8| recent(pallet_orders::NextOrderId::<Runtime>::get(), value);
		let offer = |value: u8| recent(pallet_orders::NextOfferId::<Runtime>::get(), value);
		let claim = |value: u8| recent(pallet_sla::NextClaimId::<Runtime>::get(), value);
		match self {
			Call::CreateOrder {
				units,
				cores: count,
				max_price,
				funding,
				duration,
				bid_window,
				order_type,
				second_price,
				audited,
				availability,
				credit_rate,
			} => {
				// Half the orders wait for bids; the others meet standing offers at once.
				let order_type = match order_type % 4 {
					0 | 1 => OrderType::GoodTillWindow,
					2 => OrderType::ImmediateOrCancel,
					_ => OrderType::FillOrKill,
				};
				let terms = OrderTerms {
					resources: cores(count),
					units: 1 + u32::from(units % 4),
					placement: ResourceSet::new([], [(Property::Region, b"eu-west".to_vec())])
						.unwrap_or_default(),
					auditors: if audited {
						BoundedVec::truncate_from(vec![Who::Eve.account()])
					} else {
						Default::default()
					},
					auditor_rule: AuditorRule::AllOf,
					min_reputation: Perbill::zero(),
					max_price: max_price.balance(),
					duration: duration.map(|blocks| u32::from(blocks) * 10),
					bid_window: u32::from(bid_window % 20),
					manifest_hash: [7; 32],
					order_type,
					clearing: if second_price {
						ClearingRule::SecondPrice
					} else {
						ClearingRule::PayBid
					},
					sla: Some(SlaTerms {
						availability: percent(availability),
						credit_rate: percent(credit_rate),
					}),
				};
				Orders::create_order { terms, funding: funding.balance().saturating_mul(100) }
					.into()
			},
			Call::CancelOrder { order } => Orders::cancel_order { order: id(order) }.into(),
			Call::UpdateManifest { order, version } => {
				Orders::update_manifest { order: id(order), manifest_hash: [version; 32] }.into()
			},
			Call::PlaceBid { order, price } => {
				Orders::place_bid { order: id(order), price: price.balance() }.into()
			},
			Call::WithdrawBid { order } => Orders::withdraw_bid { order: id(order) }.into(),
			Call::ReclaimBidDeposits => Orders::reclaim_bid_deposits {}.into(),
			Call::PostOffer { cores: count, units, price, lifetime } => {
				let now = frame_system::Pallet::<Runtime>::block_number();
				Orders::post_offer {
					unit: cores(count),
					units: u32::from(units % 17),
					price: price.balance(),
					available_from: now,
					available_until: now.saturating_add(u32::from(lifetime % 1_000)),
				}
				.into()
			},
			Call::WithdrawOffer { offer: which } => {
				Orders::withdraw_offer { offer: offer(which) }.into()
			},
			Call::Start { lease } => Leases::start { lease: id(lease) }.into(),
			Call::Close { lease, reason } => {
				let reason = match reason % 3 {
					0 => CloseReason::Tenant,
					1 => CloseReason::ProviderUnstable,
					_ => CloseReason::ProviderDecommission,
				};
				Leases::close { lease: id(lease), reason }.into()
			},
			Call::Reap { lease } => Leases::reap { lease: id(lease) }.into(),
			Call::Deposit { order, amount } => {
				Escrow::deposit { order: id(order), amount: amount.balance() }.into()
			},
			Call::Settle { order } => Escrow::settle { order: id(order) }.into(),
			Call::ReleaseVested { order } => Escrow::release_vested { order: id(order) }.into(),
			Call::Heartbeat { leases } => {
				let leases: Vec<_> = leases.into_iter().take(8).map(id).collect();
				Sla::heartbeat { leases: BoundedVec::truncate_from(leases) }.into()
			},
			Call::ClaimDowntime { lease } => Sla::claim_downtime { lease: id(lease) }.into(),
			Call::FileClaim { lease, amount } => {
				Sla::file_claim { lease: id(lease), amount: amount.balance(), evidence: [1; 32] }
					.into()
			},
			Call::AnswerClaim { claim: which } => {
				Sla::answer_claim { claim: claim(which), evidence: [2; 32] }.into()
			},
			Call::WithdrawClaim { claim: which } => {
				Sla::withdraw_claim { claim: claim(which) }.into()
			},
			Call::Underwrite { amount } => {
				Sla::underwrite { amount: Balance::from(amount) * CCRE }.into()
			},
			Call::WithdrawUnderwriting { shares } => {
				Sla::withdraw_underwriting { shares: Balance::from(shares) * CCRE }.into()
			},
			Call::Bond { amount } => {
				Providers::bond { amount: Balance::from(amount) * CCRE }.into()
			},
			Call::Unbond { amount } => {
				Providers::unbond { amount: Balance::from(amount) * CCRE }.into()
			},
			Call::WithdrawUnbonded => Providers::withdraw_unbonded {}.into(),
			Call::Register { cores } => register(cores),
			Call::Deregister => Providers::deregister {}.into(),
			Call::Attest { provider } => Providers::attest { provider: provider.account() }.into(),
			Call::Decide { claim: which, award } => {
				let ruling = match award {
					Some(award) => pallet_sla::Ruling::Uphold { award: award.balance() },
					None => pallet_sla::Ruling::Reject,
				};
				let decide = Sla::decide_claim { claim: claim(which), ruling };
				pallet_sudo::Call::sudo { call: Box::new(decide.into()) }.into()
			},
		}
	}
}
