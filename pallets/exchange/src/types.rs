//! Storage types of the exchange.

use crate::Config;
pub use ccre_primitives::exchange::{BookOrder, BookOrderId, ClassId, Halt, Print, Purchase};
use ccre_primitives::{
	exchange::{Lots, Price},
	AuditorRule, ResourceSet, SlaTerms,
};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, traits::fungible};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::Perbill;

pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// The longest class name, such as `cpu.std` or `gpu.h100`.
pub const MAX_CLASS_NAME_LEN: u32 = 32;

/// A class's name.
pub type ClassName = BoundedVec<u8, ConstU32<MAX_CLASS_NAME_LEN>>;

/// Whether a class's book matches.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum Trading {
	/// Orders are placed, cancelled and matched.
	Open,
	/// Governance retired the class: orders can only be cancelled.
	Retired,
}

/// A standard instrument: what one lot is, where and by whom it is served, and how it is
/// priced.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct ResourceClass<Auditors> {
	/// Its name, such as `cpu.std`.
	pub name: ClassName,
	/// The resources of one lot, such as 1 000 millicores and 4 096 MiB.
	pub resources: ResourceSet,
	/// Attributes a seller itself must have, such as its region.
	pub placement: ResourceSet,
	/// Auditors who must have signed a seller's attributes; empty for none.
	pub auditors: Auditors,
	/// How `auditors` is read.
	pub auditor_rule: AuditorRule,
	/// Prices are whole multiples of this, per lot per block.
	pub tick: Price,
	/// The most lots one order trades.
	pub max_lots: Lots,
	/// The service level every lease of the class promises.
	pub sla: SlaTerms,
	/// Whether it trades.
	pub trading: Trading,
}

pub type ClassOf<T> = ResourceClass<
	BoundedVec<<T as frame_system::Config>::AccountId, <T as Config>::MaxClassAuditors>,
>;

pub type BookOrderOf<T> =
	BookOrder<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

/// Why an order left the book without trading all its lots.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum Removal {
	/// Its owner cancelled it.
	Cancelled,
	/// A good-till-block order reached its block.
	Expired,
	/// Immediate-or-cancel: what did not fill at once.
	Unfilled,
	/// Fill-or-kill: it could not fill whole at once.
	Killed,
	/// Post-only: it would have traded at once.
	WouldTake,
	/// It would have traded with its own owner.
	SelfTrade,
	/// Its side of the book has no room for another price level, or its level for another
	/// order.
	BookFull,
	/// Its seller can no longer serve the class (attributes, stake, attestations or lease
	/// limit).
	SellerIneligible,
	/// Its buyer could not pay for the deployment a fill opens (the order deposit).
	BuyerCannotPay,
	/// Its class was retired.
	ClassRetired,
}

/// Why a class halted.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum HaltCause {
	/// A trade would have printed outside the band.
	TradeOutsideBand,
	/// The best bid or ask sat at the band's edge for `StuckBlocks` blocks.
	QuoteAtBand,
}

/// The index's and the circuit breaker's parameters, set by governance within bounds that
/// keep every safety on.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct MarketRules {
	/// An interval's length, in milliseconds (30 s).
	pub interval_ms: u64,
	/// The widest spread, as a share of the mid, that still prints the mid (10%).
	pub max_mid_spread: Perbill,
	/// How many intervals the EWMA price takes to halve an old print's weight (120: 1 h).
	pub price_half_life: u32,
	/// The variance's decay per day (RiskMetrics' 94%).
	pub daily_variance_decay: Perbill,
	/// How many of the latest prints the band's reference averages (10: 5 minutes).
	pub reference_prints: u32,
	/// The band's half-width around the reference (15%).
	pub band: Perbill,
	/// How many blocks the best quote may sit at the band's edge before the class halts (3).
	pub stuck_blocks: u32,
	/// How long a halt lasts before the reopening auction, in milliseconds (300 s).
	pub halt_ms: u64,
	/// The reopening auction's collar around the reference (15%).
	pub collar: Perbill,
	/// How much wider the collar gets each time the auction cannot clear (5%).
	pub collar_step: Perbill,
	/// How long each extension is, in milliseconds (60 s).
	pub extension_ms: u64,
	/// The most extensions before the class reopens without an auction (3).
	pub max_extensions: u8,
}

impl Default for MarketRules {
	fn default() -> Self {
		MarketRules {
			interval_ms: 30_000,
			max_mid_spread: Perbill::from_percent(10),
			price_half_life: 120,
			daily_variance_decay: Perbill::from_percent(94),
			reference_prints: 10,
			band: Perbill::from_percent(15),
			stuck_blocks: 3,
			halt_ms: 300_000,
			collar: Perbill::from_percent(15),
			collar_step: Perbill::from_percent(5),
			extension_ms: 60_000,
			max_extensions: 3,
		}
	}
}

impl MarketRules {
	/// Whether every rule is within the bounds that keep the index meaningful and the breaker
	/// on: intervals from 6 s to 10 min, a mid spread up to 50%, a half-life of 1 to 10 000
	/// intervals, a daily variance decay from 50% to 99.99%, a reference over 1 to
	/// `max_prints` prints, a band and collar from 1% to 50%, 1 to 100 blocks at the band,
	/// halts and extensions from 30 s to 1 h, a collar step up to 25% and up to 10
	/// extensions.
	pub fn within_bounds(&self, max_prints: u32) -> bool {
		let percent = Perbill::from_percent;
		(6_000..=600_000).contains(&self.interval_ms)
			&& self.max_mid_spread <= percent(50)
			&& (1..=10_000).contains(&self.price_half_life)
			&& (percent(50)..=Perbill::from_parts(999_900_000)).contains(&self.daily_variance_decay)
			&& (1..=max_prints).contains(&self.reference_prints)
			&& (percent(1)..=percent(50)).contains(&self.band)
			&& (1..=100).contains(&self.stuck_blocks)
			&& (30_000..=3_600_000).contains(&self.halt_ms)
			&& (percent(1)..=percent(50)).contains(&self.collar)
			&& self.collar_step <= percent(25)
			&& (30_000..=3_600_000).contains(&self.extension_ms)
			&& self.max_extensions <= 10
	}
}
