//! The market's parameters, held by pallet-parameters so governance can change them without
//! a runtime upgrade. Each is read through a `Get` by the pallet that uses it.
//!
//! Durations are in blocks of the network's block time (six seconds on public networks);
//! a dev chain with one-second blocks runs them six times faster.

use super::{Balance, BlockNumber, Runtime, CCRE, MICRO_CCRE, MILLI_CCRE};
use ccre_primitives::SlaTerms;
use frame_support::{
	dynamic_params::{dynamic_pallet_params, dynamic_params},
	weights::Weight,
};
use sp_runtime::Perbill;

/// Blocks per day at six-second blocks.
pub const DAYS: BlockNumber = 14_400;

#[dynamic_params(RuntimeParameters, pallet_parameters::Parameters::<Runtime>)]
pub mod dynamic_params {
	use super::*;

	/// Parameters of the provider registry.
	#[dynamic_pallet_params]
	#[codec(index = 0)]
	pub mod providers {
		/// The deposit for a provider registration, before its size is counted.
		#[codec(index = 0)]
		pub static RegistrationDeposit: Balance = 10 * CCRE;

		/// The deposit per byte of stored registrations, attestations and certificates.
		#[codec(index = 1)]
		pub static DepositPerByte: Balance = 10 * MILLI_CCRE;

		/// The deposit an auditor pays per attestation.
		#[codec(index = 2)]
		pub static AttestationDeposit: Balance = CCRE;

		/// The active stake a provider needs to bid.
		#[codec(index = 3)]
		pub static MinimumStake: Balance = 1_000 * CCRE;

		/// Blocks between unbonding stake and withdrawing it: seven days, long enough for
		/// claims against recent leases to be decided and slashed.
		#[codec(index = 4)]
		pub static UnbondingPeriod: BlockNumber = 7 * DAYS;

		/// Blocks per reputation discount step: a day.
		#[codec(index = 5)]
		pub static ReputationPeriod: BlockNumber = DAYS;

		/// The fraction of a reputation kept each step: a month-old outcome counts about a
		/// fifth as much as today's.
		#[codec(index = 6)]
		pub static ReputationRetention: Perbill = Perbill::from_percent(95);

		/// The lease value that counts as one outcome in a reputation.
		#[codec(index = 7)]
		pub static ReputationValueUnit: Balance = 10 * CCRE;

		/// The collateral ratio, in blocks: a provider's active stake must cover this many
		/// blocks of what its active leases pay together, and at least the minimum stake.
		/// Claims are paid from the provider's unvested earnings first; the stake covers the
		/// rest, the market's take on them: 2% of a day's payments is about 290 blocks.
		#[codec(index = 8)]
		pub static CollateralBlocks: BlockNumber = 300;
	}

	/// Parameters of the certificate registry.
	#[dynamic_pallet_params]
	#[codec(index = 1)]
	pub mod certificates {
		/// The deposit for a published certificate, before its size is counted.
		#[codec(index = 0)]
		pub static DepositBase: Balance = CCRE;

		/// The deposit per byte of a published certificate.
		#[codec(index = 1)]
		pub static DepositPerByte: Balance = MILLI_CCRE;
	}

	/// Parameters of the market: orders, bids, leases and escrow.
	#[dynamic_pallet_params]
	#[codec(index = 2)]
	pub mod market {
		/// The deposit for an order, before its size is counted.
		#[codec(index = 0)]
		pub static OrderDeposit: Balance = CCRE;

		/// The deposit per byte of a stored order.
		#[codec(index = 1)]
		pub static OrderDepositPerByte: Balance = MILLI_CCRE;

		/// The deposit for a bid, returned when the provider reclaims it after the order
		/// closes.
		#[codec(index = 2)]
		pub static BidDeposit: Balance = 100 * MILLI_CCRE;

		/// The deposit for a standing offer.
		#[codec(index = 3)]
		pub static OfferDeposit: Balance = CCRE;

		/// The longest bid window: an hour.
		#[codec(index = 4)]
		pub static MaxBidWindow: BlockNumber = 600;

		/// The share of a block's weight matching deployment orders may use; orders that do not
		/// fit wait for the next block. Half, so that a thousand orders with ten bids each
		/// close in one block (at the production weights). See [`super::ExchangeBudget`] for
		/// how the hooks' shares add up.
		#[codec(index = 5)]
		pub static MatchingShare: Perbill = Perbill::from_percent(50);

		/// The fraction of every payment to providers the market keeps.
		#[codec(index = 6)]
		pub static TakeRate: Perbill = Perbill::from_percent(2);

		/// The fraction of the take that goes to the SLA insurance pool; the rest goes to the
		/// treasury.
		#[codec(index = 7)]
		pub static InsuranceShare: Perbill = Perbill::from_percent(50);

		/// A stream is settled at least this often, in blocks: ten minutes.
		#[codec(index = 8)]
		pub static SettlementInterval: BlockNumber = 100;

		/// Blocks a provider has after a match to start the lease: ten minutes.
		#[codec(index = 9)]
		pub static ManifestTimeout: BlockNumber = 100;

		/// Blocks a closed lease stays readable (the window for SLA claims): a day.
		#[codec(index = 10)]
		pub static ClosedLeaseRetention: BlockNumber = DAYS;

		/// Blocks a provider's earnings stay held, where SLA claims take from them first,
		/// before they are its own: a day. A claim covers only payments this recent.
		#[codec(index = 11)]
		pub static VestingPeriod: BlockNumber = DAYS;

		/// The longest a standing offer stays on the market: a day, so the bounded list of
		/// offers turns over.
		#[codec(index = 12)]
		pub static MaxOfferLifetime: BlockNumber = DAYS;
	}

	/// Parameters of the SLA: the default service level, the insurance pool and claims.
	#[dynamic_pallet_params]
	#[codec(index = 3)]
	pub mod sla {
		/// The availability promised by orders that do not name one: served in 99% of
		/// epochs.
		#[codec(index = 0)]
		pub static DefaultAvailability: Perbill = Perbill::from_percent(99);

		/// The credit rate of orders that do not name one: each epoch of downtime is paid
		/// back in full.
		#[codec(index = 1)]
		pub static DefaultCreditRate: Perbill = Perbill::from_percent(100);

		/// Blocks an underwriter's funds stay in the pool after its last deposit: two weeks,
		/// longer than a claim takes to be decided, so underwriters cannot leave ahead of a
		/// payout they see coming.
		#[codec(index = 2)]
		pub static UnderwritingLockUp: BlockNumber = 14 * DAYS;

		/// The least an underwriter may deposit at once.
		#[codec(index = 3)]
		pub static MinUnderwriting: Balance = 10 * CCRE;

		/// The deposit on a disputed claim, forfeited to the pool if it is rejected.
		#[codec(index = 4)]
		pub static ClaimDeposit: Balance = 10 * CCRE;

		/// Blocks a provider has to answer a claim before the arbitrators may decide it
		/// without an answer: a day.
		#[codec(index = 5)]
		pub static AnswerPeriod: BlockNumber = DAYS;
	}

	/// Parameters of the spot exchange (the index's and the breaker's are its `MarketRules`).
	#[dynamic_pallet_params]
	#[codec(index = 4)]
	pub mod exchange {
		/// The deposit for an order on a book, returned when it leaves the book.
		#[codec(index = 0)]
		pub static OrderDeposit: Balance = 100 * MILLI_CCRE;

		/// The share of a block's weight the exchange's matching may use; orders that do not
		/// fit wait for the next block. 40%: a thousand order operations on a book 1 024 levels
		/// deep fit in it (README). See [`super::ExchangeBudget`] for how the hooks' shares
		/// add up.
		#[codec(index = 1)]
		pub static ExchangeShare: Perbill = Perbill::from_percent(40);
	}
}

/// The values governance may give each parameter: wide enough for any market, narrow enough
/// that none turns a safety off. No deposit can be zero (Sybils pay for what they store), no
/// period that protects a claim can be zero (unbonding stake stays slashable, closed leases stay
/// claimable, earnings stay at risk for a while), and matching cannot crowd the other hooks out
/// of a block. `None` (back to the default) is always allowed: every default is in bounds.
pub struct WithinBounds;

impl frame_support::traits::Contains<RuntimeParameters> for WithinBounds {
	fn contains(key_value: &RuntimeParameters) -> bool {
		use dynamic_params::{
			certificates as c, exchange as x, market as m, providers as p, sla as s,
		};
		use frame_support::traits::Get;
		const HOURS: BlockNumber = DAYS / 24;
		fn within<V: PartialOrd>(value: &Option<V>, min: V, max: V) -> bool {
			value.as_ref().is_none_or(|value| min <= *value && *value <= max)
		}
		let percent = Perbill::from_percent;
		match key_value {
			RuntimeParameters::Providers(parameter) => match parameter {
				p::Parameters::RegistrationDeposit(_, v) => within(v, CCRE, 100_000 * CCRE),
				p::Parameters::DepositPerByte(_, v) => within(v, MILLI_CCRE, CCRE),
				p::Parameters::AttestationDeposit(_, v) => within(v, MILLI_CCRE, 10_000 * CCRE),
				p::Parameters::MinimumStake(_, v) => within(v, 100 * CCRE, 10_000_000 * CCRE),
				p::Parameters::UnbondingPeriod(_, v) => within(v, DAYS, 90 * DAYS),
				p::Parameters::ReputationPeriod(_, v) => within(v, HOURS, 30 * DAYS),
				p::Parameters::ReputationRetention(_, v) => within(v, percent(50), percent(100)),
				p::Parameters::ReputationValueUnit(_, v) => within(v, MILLI_CCRE, 1_000_000 * CCRE),
				p::Parameters::CollateralBlocks(_, v) => within(v, 10, 14 * DAYS),
			},
			RuntimeParameters::Certificates(parameter) => match parameter {
				c::Parameters::DepositBase(_, v) => within(v, MILLI_CCRE, 1_000 * CCRE),
				c::Parameters::DepositPerByte(_, v) => within(v, MICRO_CCRE, CCRE),
			},
			RuntimeParameters::Market(parameter) => match parameter {
				m::Parameters::OrderDeposit(_, v) => within(v, MILLI_CCRE, 1_000 * CCRE),
				m::Parameters::OrderDepositPerByte(_, v) => within(v, MICRO_CCRE, CCRE),
				m::Parameters::BidDeposit(_, v) => within(v, MILLI_CCRE, 1_000 * CCRE),
				m::Parameters::OfferDeposit(_, v) => within(v, MILLI_CCRE, 1_000 * CCRE),
				m::Parameters::MaxBidWindow(_, v) => within(v, 1, 7 * DAYS),
				m::Parameters::MatchingShare(_, v) => {
					within(v, percent(5), percent(50))
						&& matching_shares_fit(v, dynamic_params::exchange::ExchangeShare::get())
				},
				m::Parameters::TakeRate(_, v) => within(v, percent(0), percent(20)),
				m::Parameters::InsuranceShare(_, v) => within(v, percent(0), percent(100)),
				m::Parameters::SettlementInterval(_, v) => within(v, 1, DAYS),
				m::Parameters::ManifestTimeout(_, v) => within(v, 10, DAYS),
				m::Parameters::ClosedLeaseRetention(_, v) => within(v, HOURS, 30 * DAYS),
				m::Parameters::VestingPeriod(_, v) => within(v, HOURS, 30 * DAYS),
				m::Parameters::MaxOfferLifetime(_, v) => within(v, 10, 30 * DAYS),
			},
			RuntimeParameters::Sla(parameter) => match parameter {
				s::Parameters::DefaultAvailability(_, v) => within(v, percent(50), percent(100)),
				s::Parameters::DefaultCreditRate(_, v) => within(v, percent(0), percent(100)),
				s::Parameters::UnderwritingLockUp(_, v) => within(v, DAYS, 90 * DAYS),
				s::Parameters::MinUnderwriting(_, v) => within(v, CCRE, 1_000_000 * CCRE),
				s::Parameters::ClaimDeposit(_, v) => within(v, MILLI_CCRE, 10_000 * CCRE),
				s::Parameters::AnswerPeriod(_, v) => within(v, HOURS, 14 * DAYS),
			},
			RuntimeParameters::Exchange(parameter) => match parameter {
				x::Parameters::OrderDeposit(_, v) => within(v, MILLI_CCRE, 1_000 * CCRE),
				x::Parameters::ExchangeShare(_, v) => {
					within(v, percent(5), percent(40))
						&& matching_shares_fit(v, dynamic_params::market::MatchingShare::get())
				},
			},
		}
	}
}

/// Whether one market's new matching share (`None`: back to its default) leaves, with the
/// other's current share, a tenth of the block for the other hooks.
fn matching_shares_fit(share: &Option<Perbill>, other: Perbill) -> bool {
	share.is_none_or(|share| {
		share.deconstruct().saturating_add(other.deconstruct())
			<= Perbill::from_percent(90).deconstruct()
	})
}

/// The service level of orders that do not name one, from the `sla` parameters.
pub struct SlaDefaults;

impl frame_support::traits::Get<SlaTerms> for SlaDefaults {
	fn get() -> SlaTerms {
		SlaTerms {
			availability: dynamic_params::sla::DefaultAvailability::get(),
			credit_rate: dynamic_params::sla::DefaultCreditRate::get(),
		}
	}
}

/// The weight matching may use in a block: [`dynamic_params::market::MatchingShare`] of it.
pub struct MatchingBudget;

impl frame_support::traits::Get<Weight> for MatchingBudget {
	fn get() -> Weight {
		dynamic_params::market::MatchingShare::get() * max_block_weight()
	}
}

/// The weight the exchange's matching may use in a block:
/// [`dynamic_params::exchange::ExchangeShare`] of it.
///
/// The block hooks' budgets are each a share of the block: matching deployment orders 50%,
/// the exchange 40% (the two at most 90% together, a bound governance keeps), escrow
/// settlement and lease deadlines 10% each, the scheduler 20%. Each is reached only under a
/// flood of its own work (a thousand orders closing in one block, a thousand book orders
/// placed in one); a block in which all are full at once has no room for transactions and
/// takes 130% of the weight limit, 2.6 s of compute, inside the four seconds an author has
/// in a six-second slot. Giving each market its own share, rather than one share both draw
/// on, keeps a flood on one from stopping the other.
pub struct ExchangeBudget;

impl frame_support::traits::Get<Weight> for ExchangeBudget {
	fn get() -> Weight {
		dynamic_params::exchange::ExchangeShare::get() * max_block_weight()
	}
}

/// The weight escrow settlement and lease deadlines may each use in a block: a tenth of it.
/// Both are spread out over time (a settlement at most every interval, one deadline per
/// lease), so a tenth leaves room for a large market; what does not fit waits a block.
pub struct MaintenanceBudget;

impl frame_support::traits::Get<Weight> for MaintenanceBudget {
	fn get() -> Weight {
		Perbill::from_percent(10) * max_block_weight()
	}
}

fn max_block_weight() -> Weight {
	<<Runtime as frame_system::Config>::BlockWeights as frame_support::traits::Get<
		frame_system::limits::BlockWeights,
	>>::get()
	.max_block
}

/// Benchmarks of pallet-parameters set a default parameter.
#[cfg(feature = "runtime-benchmarks")]
impl Default for RuntimeParameters {
	fn default() -> Self {
		RuntimeParameters::Providers(dynamic_params::providers::Parameters::MinimumStake(
			dynamic_params::providers::MinimumStake,
			Some(1_000 * CCRE),
		))
	}
}
