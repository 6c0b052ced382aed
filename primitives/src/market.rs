//! The market's shared rules: what an order asks for, which providers may serve it, how the
//! winning bid and its price are chosen, how a lease ends, and the interfaces the order, lease
//! and escrow pallets call on each other. The runtime, the provider daemon and the CLI use
//! these same definitions.
//!
//! One order is one deployment: its id is also the id of the lease that serves it and of the
//! escrow account that pays for it.

use crate::{
	certificate::hash32_hex, satisfies, LeaseOutcome, ResourceSet, ResourceSetError, SlaTerms,
};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_runtime::{traits::Zero, DispatchError, DispatchResult, Perbill, Weight};

/// Identifies an order, and the lease and escrow account of the deployment it becomes.
pub type OrderId = u64;

/// Identifies a provider's standing offer.
pub type OfferId = u64;

/// The hash of a deployment's manifest, its version: the gateway deploys a manifest only if it
/// hashes to this.
pub type ManifestHash = [u8; 32];

/// How an order meets the market.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
#[serde(rename_all = "snake_case")]
pub enum OrderType {
	/// Collects bids for its bid window, then matches against them and standing offers.
	GoodTillWindow,
	/// Matches at once against standing offers, taking as many units as the best one has;
	/// cancelled if none is eligible.
	ImmediateOrCancel,
	/// Matches at once against a standing offer that has every unit; cancelled otherwise.
	FillOrKill,
}

/// What the winner of an order is paid.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
#[serde(rename_all = "snake_case")]
pub enum ClearingRule {
	/// The winning price.
	PayBid,
	/// The second-lowest eligible price, capped by the order's maximum (the maximum if the
	/// winner was alone): a Vickrey auction, where bidding one's true cost is the best strategy.
	SecondPrice,
}

/// How an order's list of required auditors is read.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
#[serde(rename_all = "snake_case")]
pub enum AuditorRule {
	/// At least one listed auditor has signed the provider's attributes.
	AnyOf,
	/// Every listed auditor has.
	AllOf,
}

/// What a tenant asks for when it places an order. Prices are per unit and per block.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
	Clone,
	PartialEq,
	Eq,
	Debug,
)]
pub struct OrderTerms<Balance, BlockNumber, Auditors> {
	/// The resources of one unit, e.g. 2 000 millicores and 4 096 MiB.
	pub resources: ResourceSet,
	/// How many units; a provider must serve them all (immediate-or-cancel may fill fewer).
	pub units: u32,
	/// Attributes the provider itself must have, such as its region.
	pub placement: ResourceSet,
	/// Auditors who must have signed the provider's attributes; empty for none.
	pub auditors: Auditors,
	/// How `auditors` is read.
	pub auditor_rule: AuditorRule,
	/// The lowest provider reputation accepted.
	pub min_reputation: Perbill,
	/// The highest price accepted, per unit and per block.
	pub max_price: Balance,
	/// How long the lease runs once started; `None` runs until closed or out of funds.
	pub duration: Option<BlockNumber>,
	/// Blocks during which bids are taken (good-till-window orders only).
	pub bid_window: BlockNumber,
	/// The manifest's hash.
	#[serde(with = "hash32_hex")]
	pub manifest_hash: ManifestHash,
	/// How the order meets the market.
	pub order_type: OrderType,
	/// What the winner is paid.
	pub clearing: ClearingRule,
	/// The service level promised; `None` takes the market's defaults when the order is
	/// placed.
	#[serde(default)]
	pub sla: Option<SlaTerms>,
}

impl<Balance, BlockNumber, Auditors> OrderTerms<Balance, BlockNumber, Auditors> {
	/// The same terms with the list of auditors converted: bounded for storage, plain for a
	/// view.
	pub fn try_map_auditors<Other, Error>(
		self,
		convert: impl FnOnce(Auditors) -> Result<Other, Error>,
	) -> Result<OrderTerms<Balance, BlockNumber, Other>, Error> {
		Ok(OrderTerms {
			resources: self.resources,
			units: self.units,
			placement: self.placement,
			auditors: convert(self.auditors)?,
			auditor_rule: self.auditor_rule,
			min_reputation: self.min_reputation,
			max_price: self.max_price,
			duration: self.duration,
			bid_window: self.bid_window,
			manifest_hash: self.manifest_hash,
			order_type: self.order_type,
			clearing: self.clearing,
			sla: self.sla,
		})
	}
}

/// Why an order's resource specification is refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SpecError {
	/// It asks for no resources.
	Empty,
	/// It asks for no units.
	ZeroUnits,
	/// Its units times a resource amount overflow.
	TooLarge,
	/// A set is not in canonical form, or placement repeats a property of the resources.
	Invalid,
}

/// The resources an order of `units` units of `resources` placed by `placement` needs from one
/// provider: every capacity times the units, and every property of both sets.
pub fn requirement(
	resources: &ResourceSet,
	units: u32,
	placement: &ResourceSet,
) -> Result<ResourceSet, SpecError> {
	if resources.is_empty() {
		return Err(SpecError::Empty);
	}
	if units == 0 {
		return Err(SpecError::ZeroUnits);
	}
	if !resources.is_canonical() || !placement.is_canonical() {
		return Err(SpecError::Invalid);
	}
	resources
		.scaled(units)
		.ok_or(SpecError::TooLarge)?
		.with_properties_of(placement)
		.map_err(|_: ResourceSetError| SpecError::Invalid)
}

/// What a standing offer provides for `units` of its units: the unit's resources times the
/// units, with the provider's own properties (its region and so on) where the unit names none.
pub fn offered_by_offer(
	unit: &ResourceSet,
	units: u32,
	provider_attributes: &ResourceSet,
) -> Option<ResourceSet> {
	crate::Property::ALL.into_iter().try_fold(unit.scaled(units)?, |offered, property| {
		match (offered.property(property), provider_attributes.property(property)) {
			(None, Some(value)) => offered.with_property(property, value.to_vec()).ok(),
			_ => Some(offered),
		}
	})
}

/// Whether a standing offer of `units` of `unit` claims only what its provider registered (and
/// auditors signed): no more of any capacity than the provider has, and no property value other
/// than the provider's own. An offer is matched against what it says, so what it says must be
/// the provider's.
pub fn offer_fits_registration(
	unit: &ResourceSet,
	units: u32,
	provider_attributes: &ResourceSet,
) -> bool {
	offered_by_offer(unit, units, provider_attributes)
		.is_some_and(|offered| satisfies(&offered, provider_attributes))
}

/// Why a provider may not serve an order.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	Serialize,
	Deserialize,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
#[serde(rename_all = "snake_case")]
pub enum Ineligibility {
	/// The provider is not registered.
	NotRegistered,
	/// Its active stake is below the minimum.
	InsufficientStake,
	/// It holds all the leases it may, or its stake cannot back one more of this price.
	AtCapacity,
	/// What it offers does not satisfy the order.
	RequirementNotMet,
	/// It lacks a required auditor's signature.
	MissingAttestation,
	/// Its reputation is below the order's minimum.
	ReputationTooLow,
}

/// What the chain knows about a provider that decides whether it may serve an order.
pub struct ProviderFacts<'a> {
	/// What it offers: its registered attributes for a bid, or a standing offer's units with
	/// its properties; `None` if it is not registered.
	pub offered: Option<&'a ResourceSet>,
	/// Whether it is registered with the minimum active stake.
	pub can_bid: bool,
	/// Whether it can take this lease on: under its lease limit, with stake to back it.
	pub has_capacity: bool,
	/// Its reputation.
	pub reputation: Perbill,
}

/// The one eligibility rule for bids and standing offers: registered and staked, with room and
/// collateral for the lease, offering what the order requires, signed by the auditors the order
/// names, and reputed enough.
pub fn check_eligibility<AccountId>(
	requirement: &ResourceSet,
	auditors: &[AccountId],
	auditor_rule: AuditorRule,
	min_reputation: Perbill,
	provider: &ProviderFacts,
	is_attested_by: impl Fn(&AccountId) -> bool,
) -> Result<(), Ineligibility> {
	let offered = provider.offered.ok_or(Ineligibility::NotRegistered)?;
	if !provider.can_bid {
		return Err(Ineligibility::InsufficientStake);
	}
	if !provider.has_capacity {
		return Err(Ineligibility::AtCapacity);
	}
	if !satisfies(requirement, offered) {
		return Err(Ineligibility::RequirementNotMet);
	}
	let attested = match auditor_rule {
		_ if auditors.is_empty() => true,
		AuditorRule::AnyOf => auditors.iter().any(&is_attested_by),
		AuditorRule::AllOf => auditors.iter().all(&is_attested_by),
	};
	if !attested {
		return Err(Ineligibility::MissingAttestation);
	}
	if provider.reputation < min_reputation {
		return Err(Ineligibility::ReputationTooLow);
	}
	Ok(())
}

/// An eligible bid or offer at an order's close: its price per unit and its sequence number,
/// which orders everything placed on the market (lower is earlier).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Candidate<Balance> {
	/// Price per unit and block.
	pub price: Balance,
	/// When it was placed, as a market-wide sequence number.
	pub sequence: u64,
}

/// The outcome of an order's auction.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Clearing<Balance> {
	/// The winner's index among the candidates.
	pub winner: usize,
	/// What the winner is paid, per unit and block.
	pub price: Balance,
}

/// The auction rule: the lowest price wins, ties to the earliest; the winner is paid its price
/// or, under [`ClearingRule::SecondPrice`], the next-lowest price capped by `max_price`. The
/// result depends only on the candidates, not on their order. `None` without candidates.
pub fn clear<Balance: Ord + Copy>(
	candidates: &[Candidate<Balance>],
	rule: ClearingRule,
	max_price: Balance,
) -> Option<Clearing<Balance>> {
	let key = |candidate: &Candidate<Balance>| (candidate.price, candidate.sequence);
	let (winner, best) =
		candidates.iter().enumerate().min_by_key(|(_, candidate)| key(candidate))?;
	let price = match rule {
		ClearingRule::PayBid => best.price,
		ClearingRule::SecondPrice => candidates
			.iter()
			.enumerate()
			.filter(|(index, _)| *index != winner)
			.map(|(_, candidate)| candidate.price)
			.min()
			.map_or(max_price, |second| second.min(max_price))
			.max(best.price),
	};
	Some(Clearing { winner, price })
}

/// Why a lease ended.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
#[serde(rename_all = "snake_case")]
pub enum CloseReason {
	/// The tenant closed it.
	Tenant,
	/// The provider closed it because it cannot serve it reliably.
	ProviderUnstable,
	/// The provider closed it to take its capacity out of the market.
	ProviderDecommission,
	/// The provider did not start it in time after the match.
	ManifestTimeout,
	/// Its escrow ran out of funds.
	InsufficientFunds,
	/// It ran for its whole duration.
	Expired,
}

impl CloseReason {
	/// Whether the tenant may give this reason (the provider gives the others, the chain
	/// gives timeouts, expiry and running out of funds).
	pub fn is_tenants(self) -> bool {
		self == CloseReason::Tenant
	}

	/// Whether the provider may give this reason.
	pub fn is_providers(self) -> bool {
		matches!(self, CloseReason::ProviderUnstable | CloseReason::ProviderDecommission)
	}
}

/// What a lease's end records in its provider's reputation, and with what weight, given what
/// it `paid` in all and its `price` per block. Reputation counts only value paid for service
/// delivered: a lease that paid something succeeds by what it paid, one that paid nothing
/// (the tenant closed it before it started) counts for nothing. A provider that walks away
/// fails, weighing at least one block's price. An ending the provider does not control and that
/// shows nothing about it, a lease never started because the manifest never came or never
/// deployed (the chain cannot tell which), is neutral: `None`.
pub fn reputation_effect<Balance: Ord + Copy + Zero>(
	reason: CloseReason,
	paid: Balance,
	price: Balance,
) -> Option<(LeaseOutcome, Balance)> {
	match reason {
		CloseReason::ProviderUnstable | CloseReason::ProviderDecommission => {
			Some((LeaseOutcome::Failure, paid.max(price)))
		},
		CloseReason::ManifestTimeout => None,
		CloseReason::Tenant | CloseReason::InsufficientFunds | CloseReason::Expired => {
			(!paid.is_zero()).then_some((LeaseOutcome::Success, paid))
		},
	}
}

/// Where a lease is in its life.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
#[serde(rename_all = "snake_case")]
pub enum LeaseState<BlockNumber> {
	/// Matched and not closed; the provider may or may not have started it yet.
	Active,
	/// Closed because its escrow ran out, at `at`: the provider was paid up to that block.
	InsufficientFunds { at: BlockNumber },
	/// Closed for `reason` at `at`.
	Closed { reason: CloseReason, at: BlockNumber },
}

impl<BlockNumber: Copy> LeaseState<BlockNumber> {
	/// The block it closed at, out of funds or otherwise; `None` while active.
	pub fn closed_at(&self) -> Option<BlockNumber> {
		match self {
			LeaseState::Active => None,
			LeaseState::InsufficientFunds { at } | LeaseState::Closed { at, .. } => Some(*at),
		}
	}
}

/// What an escrow account paid out and gave back when it closed.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Settlement<Balance> {
	/// Everything the stream paid over the account's life, take included.
	pub paid: Balance,
	/// What went back to the owner.
	pub refunded: Balance,
}

/// The escrow accounts that pay for deployments, for the order and lease pallets.
pub trait Escrow<AccountId, Balance, BlockNumber> {
	/// Opens `order`'s account, holding `amount` of `owner`'s funds.
	fn open(order: OrderId, owner: &AccountId, amount: Balance) -> DispatchResult;
	/// Starts paying `payee` `rate` per block from this block on, up to block `ends_at` if
	/// given: a lease with a duration is not paid past it, however late it is closed.
	fn start_stream(
		order: OrderId,
		payee: &AccountId,
		rate: Balance,
		ends_at: Option<BlockNumber>,
	) -> DispatchResult;
	/// Settles what is due, returns the rest to the owner, and removes the account. The
	/// provider's earnings stay held until they vest, as claims may still take them back.
	fn close(order: OrderId) -> Result<Settlement<Balance>, DispatchError>;
	/// Pays the provider every earning of `order` still held: no claim can be made on the
	/// lease any more (it was reaped).
	fn release_earnings(order: OrderId) -> DispatchResult;
	/// What `order`'s account holds, settled to this block; `None` if it has none.
	fn balance(order: OrderId) -> Option<Balance>;
}

/// Told when an escrow account ran out and was closed by the chain, so the lease it paid for
/// closes too.
pub trait OnFundsExhausted<Balance, BlockNumber> {
	/// `order`'s account ran out at block `at`, having paid `paid` in all.
	fn on_funds_exhausted(order: OrderId, at: BlockNumber, paid: Balance);
	/// The most [`OnFundsExhausted::on_funds_exhausted`] can weigh.
	fn weight() -> Weight;
}

/// Opening the lease for a matched order, for the order book.
pub trait LeaseOpener<AccountId, Balance, BlockNumber> {
	/// Opens the lease `order` for `tenant` with `provider`, paying `price` per block once
	/// started, for `duration` blocks or until closed, promising `sla`.
	fn open_lease(
		order: OrderId,
		tenant: &AccountId,
		provider: &AccountId,
		price: Balance,
		duration: Option<BlockNumber>,
		sla: SlaTerms,
	) -> DispatchResult;
}

/// The order book's side of a deployment, for the lease pallet.
pub trait Deployments<AccountId> {
	/// Removes the matched order `order`, its lease gone, and returns the tenant's deposit.
	fn remove_deployment(order: OrderId) -> DispatchResult;

	/// Benchmarks only: records `order` of `tenant` as matched with `provider`, deposit held,
	/// as matching would, so lease benchmarks can reap it.
	#[cfg(feature = "runtime-benchmarks")]
	fn matched_for_benchmark(order: OrderId, tenant: &AccountId, provider: &AccountId);
}

/// Sets up the actors a market benchmark needs, on whichever runtime it runs on.
#[cfg(feature = "runtime-benchmarks")]
pub trait MarketBenchmarkHelper<AccountId, Balance> {
	/// An account with `amount` free to spend, derived from `seed`.
	fn funded_account(seed: u32, amount: Balance) -> AccountId;
	/// A registered provider, derived from `seed`, with the minimum stake to bid, offering
	/// `attributes` (which must name a region).
	fn eligible_provider(seed: u32, attributes: ResourceSet) -> AccountId;
	/// The first `count` benchmark auditors, approved, each having signed `provider`'s
	/// attributes.
	fn attested_by(provider: &AccountId, count: u32) -> Vec<AccountId>;
}

/// A bid as the runtime API reports it.
#[derive(Encode, Decode, TypeInfo, Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct BidView<AccountId, Balance, BlockNumber> {
	/// The bidding provider.
	pub provider: AccountId,
	/// Its price per unit and block.
	pub price: Balance,
	/// When it was placed.
	pub placed_at: BlockNumber,
}

/// Where an order is in its life.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
	Clone,
	PartialEq,
	Eq,
	Debug,
)]
#[serde(rename_all = "snake_case")]
pub enum OrderState<AccountId> {
	/// Taking bids until its window closes.
	Open,
	/// Matched: its lease (same id) is with `provider`.
	Leased { provider: AccountId },
}

/// An order as the runtime API reports it.
#[derive(Encode, Decode, TypeInfo, Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct OrderView<AccountId, Balance, BlockNumber> {
	/// The order's id (also its lease's and escrow account's).
	pub id: OrderId,
	/// Who placed it.
	pub tenant: AccountId,
	/// What it asks for.
	pub terms: OrderTerms<Balance, BlockNumber, Vec<AccountId>>,
	/// When it was placed.
	pub created_at: BlockNumber,
	/// The block its bid window ends and it is matched.
	pub closes_at: BlockNumber,
	/// The deposit held for it.
	pub deposit: Balance,
	/// Open or leased.
	pub state: OrderState<AccountId>,
	/// The bids on it, in the order they were placed.
	pub bids: Vec<BidView<AccountId, Balance, BlockNumber>>,
	/// What its escrow account holds.
	pub escrow_balance: Balance,
}

/// An escrow account as the runtime API reports it, settled to the block it was read at.
#[derive(Encode, Decode, TypeInfo, Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct EscrowView<AccountId, Balance, BlockNumber> {
	/// Whose funds it holds.
	pub owner: AccountId,
	/// What it holds after paying what is due.
	pub balance: Balance,
	/// What it has paid in all, take included.
	pub paid: Balance,
	/// The stream's payee and rate per block, once started.
	pub stream: Option<(AccountId, Balance)>,
	/// Whole blocks the balance still pays for; `None` without a stream.
	pub blocks_left: Option<BlockNumber>,
	/// The block the stream runs out at; `None` without a stream.
	pub runs_out_at: Option<BlockNumber>,
	/// The provider's earnings still held, until they vest or a claim takes them back.
	pub vesting: Balance,
}

/// A lease as the runtime API reports it.
#[derive(Encode, Decode, TypeInfo, Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct LeaseView<AccountId, Balance, BlockNumber> {
	/// The lease's id (its order's).
	pub id: OrderId,
	/// Who pays.
	pub tenant: AccountId,
	/// Who serves.
	pub provider: AccountId,
	/// What the tenant pays per block once started.
	pub price: Balance,
	/// When it was matched.
	pub created_at: BlockNumber,
	/// When the provider started it.
	pub started_at: Option<BlockNumber>,
	/// How long it runs once started; `None` until closed.
	pub duration: Option<BlockNumber>,
	/// Active, out of funds or closed.
	pub state: LeaseState<BlockNumber>,
	/// The service level promised to the tenant.
	pub sla: SlaTerms,
	/// The manifest version to deploy.
	#[serde(with = "hash32_hex")]
	pub manifest_hash: ManifestHash,
	/// Its escrow account, while open.
	pub escrow: Option<EscrowView<AccountId, Balance, BlockNumber>>,
	/// What of the lease's payments claims can still take back: paid for blocks whose
	/// earnings have not vested yet.
	pub at_risk: Balance,
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{Capacity, Property};
	use proptest::prelude::*;

	fn set(capacities: &[(Capacity, u64)], properties: &[(Property, &str)]) -> ResourceSet {
		ResourceSet::new(
			capacities.iter().copied(),
			properties.iter().map(|(kind, value)| (*kind, value.as_bytes().to_vec())),
		)
		.expect("a valid set")
	}

	#[test]
	fn requirement_scales_capacities_and_adds_placement() {
		let unit = set(&[(Capacity::CpuMillicores, 500)], &[]);
		let placement = set(&[], &[(Property::Region, "eu-west")]);
		assert_eq!(
			requirement(&unit, 4, &placement),
			Ok(set(&[(Capacity::CpuMillicores, 2_000)], &[(Property::Region, "eu-west")]))
		);
		assert_eq!(requirement(&ResourceSet::default(), 1, &placement), Err(SpecError::Empty));
		assert_eq!(requirement(&unit, 0, &placement), Err(SpecError::ZeroUnits));
		let huge = set(&[(Capacity::MemoryMib, u64::MAX / 2)], &[]);
		assert_eq!(requirement(&huge, 3, &placement), Err(SpecError::TooLarge));
		let regional_unit = set(&[(Capacity::Gpus, 1)], &[(Property::Region, "us-east")]);
		assert_eq!(requirement(&regional_unit, 1, &placement), Err(SpecError::Invalid));
		// Four units of 3 GHz cores need 3 GHz cores, not 12 GHz ones.
		let fast = set(&[(Capacity::CpuMillicores, 1_000), (Capacity::ClockMhz, 3_000)], &[]);
		assert_eq!(
			requirement(&fast, 4, &placement),
			Ok(set(
				&[(Capacity::CpuMillicores, 4_000), (Capacity::ClockMhz, 3_000)],
				&[(Property::Region, "eu-west")]
			))
		);
	}

	#[test]
	fn an_offer_provides_its_units_with_the_providers_properties() {
		let unit = set(&[(Capacity::Gpus, 1)], &[(Property::GpuModel, "a100")]);
		let provider = set(&[(Capacity::Gpus, 64)], &[(Property::Region, "eu-west")]);
		assert_eq!(
			offered_by_offer(&unit, 3, &provider),
			Some(set(
				&[(Capacity::Gpus, 3)],
				&[(Property::GpuModel, "a100"), (Property::Region, "eu-west")]
			))
		);
	}

	#[test]
	fn an_offer_fits_only_what_its_provider_registered() {
		let provider = set(&[(Capacity::CpuMillicores, 8_000)], &[(Property::Region, "eu-west")]);
		let core = set(&[(Capacity::CpuMillicores, 1_000)], &[]);
		assert!(offer_fits_registration(&core, 8, &provider));
		assert!(!offer_fits_registration(&core, 9, &provider), "more cores than registered");
		let gpu = set(&[(Capacity::Gpus, 1)], &[(Property::GpuModel, "h100")]);
		assert!(!offer_fits_registration(&gpu, 1, &provider), "a GPU it does not have");
		let elsewhere = set(&[(Capacity::CpuMillicores, 1_000)], &[(Property::Region, "us")]);
		assert!(!offer_fits_registration(&elsewhere, 1, &provider), "another region");
		let here = set(&[(Capacity::CpuMillicores, 1_000)], &[(Property::Region, "eu-west")]);
		assert!(offer_fits_registration(&here, 1, &provider));
	}

	fn facts(offered: &ResourceSet) -> ProviderFacts<'_> {
		ProviderFacts {
			offered: Some(offered),
			can_bid: true,
			has_capacity: true,
			reputation: Perbill::from_percent(50),
		}
	}

	#[test]
	fn eligibility_checks_each_condition_in_turn() {
		let need = set(&[(Capacity::CpuMillicores, 1_000)], &[(Property::Region, "eu-west")]);
		let has = set(&[(Capacity::CpuMillicores, 8_000)], &[(Property::Region, "eu-west")]);
		let check = |facts: &ProviderFacts, auditors: &[u8], rule, attested: &[u8]| {
			check_eligibility(&need, auditors, rule, Perbill::from_percent(40), facts, |a| {
				attested.contains(a)
			})
		};
		assert_eq!(check(&facts(&has), &[], AuditorRule::AllOf, &[]), Ok(()));
		let unregistered = ProviderFacts { offered: None, ..facts(&has) };
		assert_eq!(
			check(&unregistered, &[], AuditorRule::AnyOf, &[]),
			Err(Ineligibility::NotRegistered)
		);
		let unstaked = ProviderFacts { can_bid: false, ..facts(&has) };
		assert_eq!(
			check(&unstaked, &[], AuditorRule::AnyOf, &[]),
			Err(Ineligibility::InsufficientStake)
		);
		let full = ProviderFacts { has_capacity: false, ..facts(&has) };
		assert_eq!(check(&full, &[], AuditorRule::AnyOf, &[]), Err(Ineligibility::AtCapacity));
		let elsewhere = set(&[(Capacity::CpuMillicores, 8_000)], &[(Property::Region, "us")]);
		assert_eq!(
			check(&facts(&elsewhere), &[], AuditorRule::AnyOf, &[]),
			Err(Ineligibility::RequirementNotMet)
		);
		assert_eq!(check(&facts(&has), &[1, 2], AuditorRule::AnyOf, &[2]), Ok(()));
		assert_eq!(
			check(&facts(&has), &[1, 2], AuditorRule::AllOf, &[2]),
			Err(Ineligibility::MissingAttestation)
		);
		let distrusted = ProviderFacts { reputation: Perbill::from_percent(39), ..facts(&has) };
		assert_eq!(
			check(&distrusted, &[], AuditorRule::AnyOf, &[]),
			Err(Ineligibility::ReputationTooLow)
		);
	}

	fn candidates(prices: &[(u64, u64)]) -> Vec<Candidate<u64>> {
		prices.iter().map(|&(price, sequence)| Candidate { price, sequence }).collect()
	}

	#[test]
	fn lowest_price_wins_ties_to_the_earliest() {
		let bids = candidates(&[(30, 1), (20, 5), (20, 3), (25, 2)]);
		assert_eq!(clear(&bids, ClearingRule::PayBid, 40), Some(Clearing { winner: 2, price: 20 }));
		// The second price is the other 20: a tie clears at the tied price.
		assert_eq!(
			clear(&bids, ClearingRule::SecondPrice, 40),
			Some(Clearing { winner: 2, price: 20 })
		);
		assert_eq!(clear::<u64>(&[], ClearingRule::PayBid, 40), None);
	}

	#[test]
	fn second_price_is_the_runner_up_capped_by_the_maximum() {
		let bids = candidates(&[(10, 1), (25, 2)]);
		assert_eq!(clear(&bids, ClearingRule::SecondPrice, 40).map(|c| c.price), Some(25));
		assert_eq!(clear(&bids, ClearingRule::SecondPrice, 20).map(|c| c.price), Some(20));
		let alone = candidates(&[(10, 1)]);
		assert_eq!(clear(&alone, ClearingRule::SecondPrice, 40).map(|c| c.price), Some(40));
	}

	#[test]
	fn reputation_counts_only_value_paid_and_failures_the_provider_chose() {
		use CloseReason::*;
		for reason in [ProviderUnstable, ProviderDecommission] {
			assert_eq!(reputation_effect(reason, 0u64, 7), Some((LeaseOutcome::Failure, 7)));
			assert_eq!(reputation_effect(reason, 70u64, 7), Some((LeaseOutcome::Failure, 70)));
		}
		for reason in [Tenant, InsufficientFunds, Expired] {
			assert_eq!(reputation_effect(reason, 70u64, 7), Some((LeaseOutcome::Success, 70)));
			assert_eq!(reputation_effect(reason, 0u64, 7), None, "{reason:?} before any payment");
		}
		assert_eq!(reputation_effect(ManifestTimeout, 0u64, 7), None);
		assert!(Tenant.is_tenants() && !Tenant.is_providers());
		assert!(ProviderUnstable.is_providers() && ProviderDecommission.is_providers());
		assert!(!ManifestTimeout.is_providers() && !ManifestTimeout.is_tenants());
	}

	proptest! {
		#[test]
		fn the_winner_does_not_depend_on_the_order_of_candidates(
			prices in proptest::collection::vec(1u64..50, 1..12),
			rotation in 0usize..12,
			second in any::<bool>(),
		) {
			let rule = if second { ClearingRule::SecondPrice } else { ClearingRule::PayBid };
			// Distinct sequence numbers, as the chain hands out.
			let bids: Vec<_> = prices.iter().enumerate()
				.map(|(i, &price)| Candidate { price, sequence: i as u64 }).collect();
			let mut shuffled = bids.clone();
			shuffled.rotate_left(rotation % bids.len());
			shuffled.reverse();
			let a = clear(&bids, rule, 40).expect("candidates");
			let b = clear(&shuffled, rule, 40).expect("candidates");
			prop_assert_eq!(bids[a.winner], shuffled[b.winner]);
			prop_assert_eq!(a.price, b.price);
		}

		#[test]
		fn the_winner_is_cheapest_and_is_paid_between_its_price_and_the_maximum(
			prices in proptest::collection::vec(1u64..50, 1..12),
			max_price in 1u64..60,
		) {
			let bids: Vec<_> = prices.iter().enumerate()
				.map(|(i, &price)| Candidate { price, sequence: i as u64 }).collect();
			let eligible: Vec<_> = bids.iter().copied().filter(|c| c.price <= max_price).collect();
			prop_assume!(!eligible.is_empty());
			let pay_bid = clear(&eligible, ClearingRule::PayBid, max_price).expect("candidates");
			prop_assert!(eligible.iter().all(|c| c.price >= pay_bid.price));
			let vickrey = clear(&eligible, ClearingRule::SecondPrice, max_price).expect("candidates");
			prop_assert_eq!(vickrey.winner, pay_bid.winner);
			prop_assert!(vickrey.price <= max_price);
			prop_assert!(vickrey.price >= pay_bid.price);
		}
	}
}
