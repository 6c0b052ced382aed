//! Storage types of the orders pallet.

use crate::Config;
use ccre_primitives::{OfferId, OrderState, OrderTerms, ResourceSet};
use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, traits::fungible};
use frame_system::pallet_prelude::BlockNumberFor;

pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// Order terms as a call takes them and as they are stored. The auditors are bounded at
/// decode: a call naming more than `MaxRequiredAuditors` is refused before any work is done on
/// it.
pub type TermsOf<T> = OrderTerms<
	BalanceOf<T>,
	BlockNumberFor<T>,
	BoundedVec<<T as frame_system::Config>::AccountId, <T as Config>::MaxRequiredAuditors>,
>;

/// A placed order.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Order<AccountId, Balance, BlockNumber, Terms> {
	/// Who placed it and pays for it.
	pub tenant: AccountId,
	/// What it asks for.
	pub terms: Terms,
	/// What one provider must offer to serve it: the units' resources and the placement,
	/// computed once when it is placed.
	pub requirement: ResourceSet,
	/// When it was placed.
	pub created_at: BlockNumber,
	/// The block its bid window ends and it is matched.
	pub closes_at: BlockNumber,
	/// The deposit held for it.
	pub deposit: Balance,
	/// Open or leased.
	pub state: OrderState<AccountId>,
	/// The cheapest eligible standing offer when it was placed, considered alongside the bids.
	pub standing_offer: Option<OfferId>,
}

pub type OrderOf<T> =
	Order<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>, TermsOf<T>>;

/// A provider's bid on an order.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Bid<AccountId, Balance, BlockNumber> {
	/// The bidding provider.
	pub provider: AccountId,
	/// Its price per unit and block.
	pub price: Balance,
	/// When it was placed.
	pub placed_at: BlockNumber,
	/// Its market-wide sequence number, for ties.
	pub sequence: u64,
}

pub type BidOf<T> = Bid<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

/// A provider's standing offer of capacity.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Offer<AccountId, Balance, BlockNumber> {
	/// The offering provider.
	pub provider: AccountId,
	/// What one unit is.
	pub unit: ResourceSet,
	/// How many units are left.
	pub units: u32,
	/// Its price per unit and block.
	pub price: Balance,
	/// The first block it can be matched in.
	pub available_from: BlockNumber,
	/// The last block it can be matched in.
	pub available_until: BlockNumber,
	/// Its market-wide sequence number, for ties.
	pub sequence: u64,
	/// The deposit held for it.
	pub deposit: Balance,
}

pub type OfferOf<T> =
	Offer<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
