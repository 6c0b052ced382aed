//! The exchange's events as the CLI and the daemon read them from a call's or a block's events.

use crate::chain::Events;
use ccre_primitives::{
	exchange::{BookOrderId, ClassId, Lots, Price},
	OrderId,
};
use codec::Decode;
use subxt::utils::AccountId32;

/// An `Exchange.Traded` event: its fields in the runtime's order.
#[derive(Decode, Clone, PartialEq, Eq, Debug)]
pub struct Traded {
	pub class: ClassId,
	pub taker: BookOrderId,
	pub maker: BookOrderId,
	pub buyer: AccountId32,
	pub seller: AccountId32,
	pub price: Price,
	pub lots: Lots,
	/// The deployment (and lease) the fill opened.
	pub deployment: OrderId,
}

impl Traded {
	/// The trades among `events`.
	pub fn all_in(events: &Events) -> impl Iterator<Item = Traded> + '_ {
		events
			.iter()
			.filter(|(pallet, event, _)| pallet == "Exchange" && event == "Traded")
			.filter_map(|(_, _, fields)| Traded::decode(&mut &fields[..]).ok())
	}
}

/// The order id in the first `Exchange.OrderPlaced` event among `events`.
pub fn placed_order(events: &Events) -> Option<BookOrderId> {
	events
		.iter()
		.find(|(pallet, event, _)| pallet == "Exchange" && event == "OrderPlaced")
		.and_then(|(_, _, fields)| BookOrderId::decode(&mut &fields[..]).ok())
}

/// The order id in each `Exchange.OrderRemoved` event among `events`.
pub fn removed_orders(events: &Events) -> impl Iterator<Item = BookOrderId> + '_ {
	events
		.iter()
		.filter(|(pallet, event, _)| pallet == "Exchange" && event == "OrderRemoved")
		.filter_map(|(_, _, fields)| BookOrderId::decode(&mut &fields[..]).ok())
}
