//! The exchange's shared rules: the price a class prints for an interval, its moving averages,
//! the circuit breaker's band, and the single-price call auction a halted class reopens with.
//! The runtime prints and enforces them; the CLI and the daemon read and price by them.
//!
//! Prices are per lot per block, in the chain's smallest unit; volumes are in lots.

use crate::{AuditorRule, ManifestHash, OrderId, ResourceSet, SlaTerms};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::cmp::Reverse;
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_runtime::{
	traits::{Bounded, One, Saturating, Zero},
	DispatchError, FixedPointNumber, FixedU128, PerThing, Perbill,
};

/// A price per lot per block, in the chain's smallest unit.
pub type Price = u128;
/// An amount of a class, in lots.
pub type Lots = u64;

/// Which side of a class's book an order is on.
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
	PartialOrd,
	Ord,
	Debug,
)]
#[serde(rename_all = "snake_case")]
pub enum Side {
	/// A tenant buying lots to run on.
	Buy,
	/// A provider selling lots of its capacity.
	Sell,
}

impl Side {
	/// The side this one trades against.
	pub fn opposite(self) -> Self {
		match self {
			Side::Buy => Side::Sell,
			Side::Sell => Side::Buy,
		}
	}

	/// Whether an order on this side at `limit` trades against a resting order at `resting`.
	pub fn crosses(self, limit: Price, resting: Price) -> bool {
		match self {
			Side::Buy => limit >= resting,
			Side::Sell => limit <= resting,
		}
	}
}

/// How long an order may rest on the book, and whether it may rest at all.
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
pub enum TimeInForce<BlockNumber> {
	/// Fills what it can; the rest rests until filled or cancelled.
	GoodTillCancel,
	/// Fills what it can; the rest rests until this block, then expires.
	GoodTillBlock(BlockNumber),
	/// Fills what it can at once; the rest is cancelled.
	ImmediateOrCancel,
	/// Fills whole at once, or not at all.
	FillOrKill,
	/// Rests whole, as a maker, or is refused if it would trade at once.
	PostOnly,
}

impl<BlockNumber> TimeInForce<BlockNumber> {
	/// Whether what is left after the order's first matching rests on the book.
	pub fn rests(&self) -> bool {
		matches!(
			self,
			TimeInForce::GoodTillCancel | TimeInForce::GoodTillBlock(_) | TimeInForce::PostOnly
		)
	}
}

/// How an interval's print was arrived at.
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
pub enum PrintSource {
	/// The volume-weighted average of the interval's eligible trades.
	Trades,
	/// No eligible trade: the mid of the best bid and ask, whose spread was narrow enough.
	Mid,
	/// Neither: the last print carried forward.
	Stale,
}

/// The trades of an interval that count towards its print, accumulated as they happen.
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
	Default,
	PartialEq,
	Eq,
	Debug,
)]
pub struct TradeTally {
	/// The sum of price × lots.
	pub notional: u128,
	/// The sum of lots.
	pub lots: u128,
}

impl TradeTally {
	/// Adds a trade; a tally that would overflow keeps what it had (a trade that large is
	/// refused by the book's bounds long before).
	pub fn add(&mut self, price: Price, lots: Lots) {
		let added = price.checked_mul(u128::from(lots)).and_then(|notional| {
			Some((self.notional.checked_add(notional)?, self.lots.checked_add(u128::from(lots))?))
		});
		if let Some((notional, lots)) = added {
			self.notional = notional;
			self.lots = lots;
		}
	}

	/// The volume-weighted average price, rounded down; `None` with no trades.
	pub fn vwap(&self) -> Option<Price> {
		self.notional.checked_div(self.lots)
	}
}

/// The price an interval prints: its trades' VWAP; failing that the mid of `best_bid` and
/// `best_ask` if the spread is at most `max_spread` of the mid; failing that `last` carried
/// forward, stale. `None` if there is nothing to print yet (no trade, no narrow quote, no
/// earlier print).
pub fn interval_print(
	trades: &TradeTally,
	best_bid: Option<Price>,
	best_ask: Option<Price>,
	max_spread: Perbill,
	last: Option<Price>,
) -> Option<(Price, PrintSource)> {
	if let Some(vwap) = trades.vwap() {
		return Some((vwap, PrintSource::Trades));
	}
	if let (Some(bid), Some(ask)) = (best_bid, best_ask) {
		// A crossed or locked book cannot rest (it trades), so ask >= bid here.
		if ask >= bid {
			let mid = bid + (ask - bid) / 2;
			if ask - bid <= max_spread.mul_floor(mid) {
				return Some((mid, PrintSource::Mid));
			}
		}
	}
	last.map(|price| (price, PrintSource::Stale))
}

/// The per-interval factor that decays a weight to `target` over `intervals` intervals: the
/// smallest `x` with `x^intervals >= target`. A 1-hour half-life at 30 s intervals is
/// `per_interval_decay(50%, 120)`; RiskMetrics' daily λ = 0.94 is
/// `per_interval_decay(94%, 2 880)`.
pub fn per_interval_decay(target: Perbill, intervals: u32) -> Perbill {
	if intervals <= 1 {
		return target;
	}
	// x^n grows with x, and 1^n >= target: the answer is in low..=high.
	let (mut low, mut high) = (target.deconstruct(), Perbill::ACCURACY);
	while low < high {
		let middle = low + (high - low) / 2;
		if power(Perbill::from_parts(middle), intervals) >= target {
			high = middle;
		} else {
			low = middle + 1;
		}
	}
	Perbill::from_parts(low)
}

/// `base^exponent` by squaring. (`Perbill::saturating_pow` raises its parts in a `u64`,
/// which overflows for exponents this large.)
fn power(mut base: Perbill, mut exponent: u32) -> Perbill {
	let mut result = Perbill::one();
	while exponent > 0 {
		if exponent & 1 == 1 {
			result = result * base;
		}
		base = base * base;
		exponent >>= 1;
	}
	result
}

/// A class's exponentially weighted moving average price and variance of interval returns.
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
	Default,
	PartialEq,
	Eq,
	Debug,
)]
pub struct Ewma {
	/// The average price, per lot per block.
	pub price: FixedU128,
	/// The average squared relative change from one print to the next.
	pub variance: FixedU128,
}

impl Ewma {
	/// Starts the averages at a class's first print.
	pub fn first(price: Price) -> Self {
		Ewma { price: FixedU128::saturating_from_integer(price), variance: FixedU128::zero() }
	}

	/// Folds in `price`, printed after `previous`: each average keeps its decay's share and
	/// takes the rest from the new value.
	pub fn update(
		&mut self,
		previous: Price,
		price: Price,
		price_decay: Perbill,
		variance_decay: Perbill,
	) {
		self.price = blend(self.price, FixedU128::saturating_from_integer(price), price_decay);
		if previous > 0 {
			let change = FixedU128::checked_from_rational(price.abs_diff(previous), previous)
				.unwrap_or(FixedU128::max_value());
			self.variance = blend(self.variance, change.saturating_mul(change), variance_decay);
		}
	}
}

/// `keep × old + (1 − keep) × new`.
fn blend(old: FixedU128, new: FixedU128, keep: Perbill) -> FixedU128 {
	let kept = FixedU128::from_perbill(keep);
	old.saturating_mul(kept)
		.saturating_add(new.saturating_mul(FixedU128::one().saturating_sub(kept)))
}

/// The mean of `prints`, the reference the breaker's band is centred on; `None` if empty.
pub fn reference_price(prints: impl IntoIterator<Item = Price>) -> Option<Price> {
	let (sum, count) = prints
		.into_iter()
		.fold((0u128, 0u128), |(sum, count), price| (sum.saturating_add(price), count + 1));
	sum.checked_div(count)
}

/// The prices within `width` of `reference` either way, inclusive.
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
pub struct Band {
	/// The lowest price inside the band.
	pub low: Price,
	/// The highest price inside the band.
	pub high: Price,
}

impl Band {
	/// The band around `reference`: the low edge rounds up and the high edge down, so a price
	/// exactly `width` away is inside and nothing further is.
	pub fn around(reference: Price, width: Perbill) -> Self {
		let low = reference.saturating_sub(width.mul_floor(reference));
		let high = reference.saturating_add(width.mul_floor(reference));
		Band { low, high }
	}

	/// Whether `price` is inside the band.
	pub fn contains(&self, price: Price) -> bool {
		(self.low..=self.high).contains(&price)
	}

	/// The band's prices that are whole multiples of `tick`; `None` if it holds none.
	pub fn on_ticks(&self, tick: Price) -> Option<Self> {
		let tick = tick.max(1);
		let low = self.low.checked_add(tick - 1)? / tick * tick;
		let high = self.high / tick * tick;
		(low <= high).then_some(Band { low, high })
	}

	/// The same band widened by `more` of `reference` either way.
	pub fn widened(&self, reference: Price, more: Perbill) -> Self {
		let more = more.mul_floor(reference);
		Band { low: self.low.saturating_sub(more), high: self.high.saturating_add(more) }
	}
}

/// The result of a call auction: one price, and the lots that trade at it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Uncrossing {
	/// The price every trade of the auction is at.
	pub price: Price,
	/// The lots that trade: the lesser of demand and supply at the price.
	pub lots: Lots,
}

/// A single-price call auction over resting `bids` and `asks` (price, lots), within `collar`:
/// the price that trades the most lots; among those, the one leaving the smallest imbalance
/// between demand and supply, then the one nearest `reference`, then the lowest. `None` if
/// nothing trades at any price in the collar. O(n log n) in the orders: a book 1 024 levels
/// deep on each side reopens in one block.
pub fn uncross(
	bids: &[(Price, Lots)],
	asks: &[(Price, Lots)],
	collar: Band,
	reference: Price,
) -> Option<Uncrossing> {
	let mut bids = bids.to_vec();
	let mut asks = asks.to_vec();
	bids.sort_unstable();
	asks.sort_unstable();
	// Demand at p is what bids at p or above want; supply at p what asks at p or below offer:
	// running totals, read at the first order past p.
	let mut demand_from: Vec<u128> = bids
		.iter()
		.rev()
		.scan(0u128, |total, (_, lots)| {
			*total = total.saturating_add(u128::from(*lots));
			Some(*total)
		})
		.collect();
	demand_from.reverse();
	let supply_to: Vec<u128> = asks
		.iter()
		.scan(0u128, |total, (_, lots)| {
			*total = total.saturating_add(u128::from(*lots));
			Some(*total)
		})
		.collect();
	let demand_at = |price: Price| -> u128 {
		let first = bids.partition_point(|(bid, _)| *bid < price);
		demand_from.get(first).copied().unwrap_or(0)
	};
	let supply_at = |price: Price| -> u128 {
		let past = asks.partition_point(|(ask, _)| *ask <= price);
		past.checked_sub(1).and_then(|last| supply_to.get(last).copied()).unwrap_or(0)
	};
	// Demand and supply are constant between order prices: each stretch starts at an ask or
	// just above a bid and ends at a bid or just below an ask. Those prices, the collar's
	// edges and the reference (where the nearest price of a stretch may be) are every price
	// that can win.
	let candidates = bids
		.iter()
		.flat_map(|(bid, _)| [*bid, bid.saturating_add(1)])
		.chain(asks.iter().flat_map(|(ask, _)| [*ask, ask.saturating_sub(1)]))
		.chain([collar.low, collar.high, reference])
		.filter(|price| collar.contains(*price));
	candidates
		.filter_map(|price| auction_rank(price, demand_at(price), supply_at(price), reference))
		.max()
		.map(auction_outcome)
}

/// How good an auction price is, compared as a whole: larger volume, then smaller imbalance
/// between demand and supply, distance to the reference and price are better.
type AuctionRank = (u128, Reverse<u128>, Reverse<u128>, Reverse<Price>);

/// The rank of `price` with `demand` and `supply` at it; `None` if nothing trades there.
fn auction_rank(price: Price, demand: u128, supply: u128, reference: Price) -> Option<AuctionRank> {
	let volume = demand.min(supply);
	(volume > 0).then_some((
		volume,
		Reverse(demand.abs_diff(supply)),
		Reverse(price.abs_diff(reference)),
		Reverse(price),
	))
}

/// The auction a rank stands for.
fn auction_outcome((volume, _, _, Reverse(price)): AuctionRank) -> Uncrossing {
	Uncrossing { price, lots: Lots::try_from(volume).unwrap_or(Lots::MAX) }
}

/// A fill as the market of deployments opens it: `lots` lots of a class that `tenant` bought
/// from `provider` at `lot_price` per lot per block, for `duration` blocks.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SpotFill<AccountId, Balance, BlockNumber> {
	/// The buyer, who pays and deploys.
	pub tenant: AccountId,
	/// The seller, who serves.
	pub provider: AccountId,
	/// The resources of one lot.
	pub resources: ResourceSet,
	/// The class's placement: attributes the provider itself must have.
	pub placement: ResourceSet,
	/// Auditors who must have signed the provider's attributes.
	pub auditors: Vec<AccountId>,
	/// How `auditors` is read.
	pub auditor_rule: AuditorRule,
	/// How many lots.
	pub lots: u32,
	/// The trade price, per lot per block.
	pub lot_price: Balance,
	/// How long the lease runs once started.
	pub duration: BlockNumber,
	/// The hash of the manifest the provider will be given.
	pub manifest_hash: ManifestHash,
	/// The service level the class promises.
	pub sla: SlaTerms,
}

/// Turning a fill into a deployment, served like any other: what the exchange calls on the
/// market of deployment orders.
pub trait SpotDeployments<AccountId, Balance, BlockNumber> {
	/// Opens the deployment `fill` buys: its order record (the tenant's deposit held), its
	/// escrow account with `funding` from the tenant's free balance, and its lease at
	/// `lot_price × lots` per block. Returns its id, the lease's. Changes nothing on error.
	fn open_filled(
		fill: SpotFill<AccountId, Balance, BlockNumber>,
		funding: Balance,
	) -> Result<OrderId, DispatchError>;
}

/// Identifies a resource class.
pub type ClassId = u32;

/// Identifies an order on a class's book.
pub type BookOrderId = u64;

/// What only a buy order has: what it deploys and the funds held for it.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, Serialize, Deserialize, Clone, PartialEq, Eq, Debug,
)]
pub struct Purchase<Balance, BlockNumber> {
	/// The manifest each lease it opens deploys.
	pub manifest_hash: ManifestHash,
	/// How long each lease runs once started.
	pub duration: BlockNumber,
	/// Funds held for its unfilled lots at its limit price: limit × lots × duration.
	pub held: Balance,
}

/// An order on a class's book, or waiting for the next matching.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, Serialize, Deserialize, Clone, PartialEq, Eq, Debug,
)]
pub struct BookOrder<AccountId, Balance, BlockNumber> {
	/// The class it trades.
	pub class: ClassId,
	/// Who placed it: a tenant buying or a provider selling.
	pub owner: AccountId,
	/// Buy or sell.
	pub side: Side,
	/// Its limit price, per lot per block.
	pub price: Price,
	/// The lots it has left to trade.
	pub lots: Lots,
	/// How long it may rest.
	pub time_in_force: TimeInForce<BlockNumber>,
	/// When it was placed.
	pub placed_at: BlockNumber,
	/// Whether it rests on the book (it has been matched once).
	pub resting: bool,
	/// A buy order's manifest and funds.
	pub purchase: Option<Purchase<Balance, BlockNumber>>,
	/// The deposit held for it.
	pub deposit: Balance,
}

/// One interval's print of a class's price.
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
pub struct Print<BlockNumber> {
	/// The block the interval ended at.
	pub at: BlockNumber,
	/// The price, per lot per block.
	pub price: Price,
	/// How it was arrived at.
	pub source: PrintSource,
	/// The lots traded in the interval.
	pub lots: u128,
}

/// A halted class: nothing matches until `until`, when a call auction within `collar`
/// reopens it.
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
pub struct Halt<BlockNumber> {
	/// The block the reopening auction runs at.
	pub until: BlockNumber,
	/// How many times the auction could not clear and was put off.
	pub extensions: u8,
	/// The prices the auction may clear at.
	pub collar: Band,
}

/// A class's terms without auditors, as a genesis config defines the first classes.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct GenesisClass {
	/// Its name, such as `cpu.std`.
	pub name: alloc::string::String,
	/// The resources of one lot.
	pub resources: ResourceSet,
	/// Attributes a seller itself must have, such as its region.
	pub placement: ResourceSet,
	/// Prices are whole multiples of this, per lot per block.
	pub tick: Price,
	/// The most lots one order trades.
	pub max_lots: Lots,
	/// The service level every lease of the class promises.
	pub sla: SlaTerms,
}

/// A class as the runtime API reports it: its terms and where its market stands.
#[derive(Encode, Decode, TypeInfo, Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct ClassView<AccountId, BlockNumber> {
	/// Its id.
	pub id: ClassId,
	/// Its name, such as `cpu.std` (UTF-8).
	pub name: Vec<u8>,
	/// The resources of one lot.
	pub resources: ResourceSet,
	/// Attributes a seller itself must have, such as its region.
	pub placement: ResourceSet,
	/// Auditors who must have signed a seller's attributes.
	pub auditors: Vec<AccountId>,
	/// How `auditors` is read.
	pub auditor_rule: AuditorRule,
	/// Prices are whole multiples of this, per lot per block.
	pub tick: Price,
	/// The most lots one order trades.
	pub max_lots: Lots,
	/// The service level every lease of the class promises.
	pub sla: SlaTerms,
	/// Whether governance retired it (its orders can only be cancelled).
	pub retired: bool,
	/// Its halt, if it is halted.
	pub halt: Option<Halt<BlockNumber>>,
	/// The prices it trades within now; `None` before its first print.
	pub band: Option<Band>,
	/// Its latest print.
	pub last_print: Option<Print<BlockNumber>>,
	/// Its moving averages.
	pub averages: Option<Ewma>,
}

/// The lots resting at one price.
#[derive(Encode, Decode, TypeInfo, Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
pub struct Level {
	/// The price, per lot per block.
	pub price: Price,
	/// The lots resting at it.
	pub lots: Lots,
}

/// The top of a class's book: each side's levels, best first.
#[derive(Encode, Decode, TypeInfo, Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct BookView {
	/// The class.
	pub class: ClassId,
	/// Buy levels, highest price first.
	pub bids: Vec<Level>,
	/// Sell levels, lowest price first.
	pub asks: Vec<Level>,
}

/// A print with its interval number: what the index reports.
#[derive(Encode, Decode, TypeInfo, Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
pub struct IndexEntry<BlockNumber> {
	/// The interval's number: the block it ended at over the interval's length.
	pub interval: u32,
	/// Its print.
	pub print: Print<BlockNumber>,
}

#[cfg(test)]
mod tests {
	use super::*;
	use proptest::prelude::*;

	#[test]
	fn an_interval_prints_its_vwap_first() {
		let mut trades = TradeTally::default();
		trades.add(100, 1);
		trades.add(130, 2);
		// (100 + 260) / 3 = 120, whatever the quotes say.
		assert_eq!(
			interval_print(&trades, Some(10), Some(11), Perbill::from_percent(10), Some(90)),
			Some((120, PrintSource::Trades))
		);
	}

	#[test]
	fn without_trades_a_narrow_spread_prints_its_mid() {
		let none = TradeTally::default();
		let ten = Perbill::from_percent(10);
		// Mid 105, spread 10 <= 10.5.
		assert_eq!(
			interval_print(&none, Some(100), Some(110), ten, None),
			Some((105, PrintSource::Mid))
		);
		// Mid 105, spread 11 > 10.5: the last print, stale.
		assert_eq!(
			interval_print(&none, Some(100), Some(111), ten, Some(90)),
			Some((90, PrintSource::Stale))
		);
		// One side only: stale; nothing before: nothing.
		assert_eq!(
			interval_print(&none, Some(100), None, ten, Some(90)),
			Some((90, PrintSource::Stale))
		);
		assert_eq!(interval_print(&none, None, Some(100), ten, None), None);
	}

	#[test]
	fn decays_reach_their_targets() {
		let half_hour = per_interval_decay(Perbill::from_percent(50), 120);
		// 2^(-1/120) = 0.994240...
		assert!((994_230_000..=994_250_000).contains(&half_hour.deconstruct()), "{half_hour:?}");
		assert!(power(half_hour, 120) >= Perbill::from_percent(50));
		let daily = per_interval_decay(Perbill::from_percent(94), 2_880);
		// 0.94^(1/2880) = 0.99997851...
		assert!((999_970_000..=999_990_000).contains(&daily.deconstruct()), "{daily:?}");
		assert_eq!(per_interval_decay(Perbill::from_percent(50), 1), Perbill::from_percent(50));
	}

	#[test]
	fn the_ewma_moves_towards_each_print_by_its_weight() {
		let mut ewma = Ewma::first(100);
		ewma.update(100, 200, Perbill::from_percent(90), Perbill::from_percent(50));
		// 0.9 × 100 + 0.1 × 200 = 110; the change was 100%: 0.5 × 0 + 0.5 × 1 = 0.5.
		assert_eq!(ewma.price, FixedU128::saturating_from_integer(110));
		assert_eq!(ewma.variance, FixedU128::from_rational(1, 2));
	}

	#[test]
	fn the_band_includes_its_edges_exactly() {
		let band = Band::around(1_000, Perbill::from_percent(15));
		assert_eq!(band, Band { low: 850, high: 1_150 });
		assert!(band.contains(850) && band.contains(1_150));
		assert!(!band.contains(849) && !band.contains(1_151));
		assert_eq!(band.widened(1_000, Perbill::from_percent(5)), Band { low: 800, high: 1_200 });
		assert_eq!(Band { low: 85, high: 115 }.on_ticks(2), Some(Band { low: 86, high: 114 }));
		assert_eq!(Band { low: 85, high: 115 }.on_ticks(1), Some(Band { low: 85, high: 115 }));
		assert_eq!(Band { low: 101, high: 103 }.on_ticks(4), None);
		assert_eq!(reference_price([100, 110, 120]), Some(110));
		assert_eq!(reference_price([]), None);
	}

	#[test]
	fn the_call_auction_clears_where_most_lots_trade() {
		let collar = Band { low: 0, high: 1_000 };
		// Demand: 5 lots at >= 100, 3 more at >= 90. Supply: 4 at <= 80, 4 more at <= 95.
		let bids = [(100, 5), (90, 3)];
		let asks = [(80, 4), (95, 4)];
		// At 90: demand 8, supply 4 -> 4. From 95 to 100: demand 5, supply 8 -> 5, the same
		// imbalance; 95 is nearest the reference 90.
		assert_eq!(uncross(&bids, &asks, collar, 90), Some(Uncrossing { price: 95, lots: 5 }));
		// A reference inside that range is the price itself.
		assert_eq!(uncross(&bids, &asks, collar, 97), Some(Uncrossing { price: 97, lots: 5 }));
		// With the collar from 96, its low edge is the nearest.
		let narrow = Band { low: 96, high: 1_000 };
		assert_eq!(uncross(&bids, &asks, narrow, 90), Some(Uncrossing { price: 96, lots: 5 }));
		// Nothing crosses inside 101..=1000: no price.
		assert_eq!(uncross(&bids, &asks, Band { low: 101, high: 1_000 }, 120), None);
	}

	#[test]
	fn the_call_auction_trades_between_orders_outside_the_collar() {
		// A bid at 120 and an ask at 80 cross everywhere in 90..=110: the reference wins.
		let collar = Band { low: 90, high: 110 };
		assert_eq!(
			uncross(&[(120, 2)], &[(80, 2)], collar, 100),
			Some(Uncrossing { price: 100, lots: 2 })
		);
	}

	proptest! {
		#[test]
		fn the_auction_price_is_the_best_of_every_price_in_the_collar(
			bids in prop::collection::vec((1u128..200, 1u64..10), 0..12),
			asks in prop::collection::vec((1u128..200, 1u64..10), 0..12),
			low in 1u128..150,
			width in 0u128..100,
			reference in 1u128..250,
		) {
			// Every price in the collar tried, with demand and supply summed afresh at each:
			// the candidates the auction tries must include the best of them.
			let collar = Band { low, high: low + width };
			let best = (collar.low..=collar.high)
				.filter_map(|price| {
					let demand: u128 = bids.iter().filter(|(p, _)| *p >= price).map(|(_, l)| u128::from(*l)).sum();
					let supply: u128 = asks.iter().filter(|(p, _)| *p <= price).map(|(_, l)| u128::from(*l)).sum();
					auction_rank(price, demand, supply, reference)
				})
				.max()
				.map(auction_outcome);
			prop_assert_eq!(uncross(&bids, &asks, collar, reference), best);
		}

		#[test]
		fn the_vwap_lies_within_its_trades(trades in prop::collection::vec((1u128..1_000_000, 1u64..1_000), 1..20)) {
			let mut tally = TradeTally::default();
			for (price, lots) in &trades {
				tally.add(*price, *lots);
			}
			let vwap = tally.vwap().unwrap();
			prop_assert!(trades.iter().any(|(price, _)| *price <= vwap));
			prop_assert!(trades.iter().any(|(price, _)| *price >= vwap));
		}
	}
}
