//! Storage types of the exchange.

use crate::Config;
use ccre_primitives::{
	exchange::{Lots, Price, Side, TimeInForce},
	AuditorRule, ManifestHash, ResourceSet, SlaTerms,
};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, traits::fungible};
use frame_system::pallet_prelude::BlockNumberFor;

pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// Identifies a resource class.
pub type ClassId = u32;

/// Identifies an order on a class's book.
pub type BookOrderId = u64;

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

/// What only a buy order has: what it deploys and the funds held for it.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Purchase<Balance, BlockNumber> {
	/// The manifest each lease it opens deploys.
	pub manifest_hash: ManifestHash,
	/// How long each lease runs once started.
	pub duration: BlockNumber,
	/// Funds held for its unfilled lots at its limit price: limit × lots × duration.
	pub held: Balance,
}

/// An order on a class's book, or waiting for the next matching.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
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
