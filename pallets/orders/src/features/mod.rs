//! The pallet's logic, one file per feature; `lib.rs` only declares.

mod bidding;
mod eligibility;
mod interfaces;
pub(crate) mod matching;
mod offers;
mod ordering;
// std too: the market's other pallets and the runtime tests check these invariants.
#[cfg(any(feature = "try-runtime", feature = "std", test))]
mod try_state;
mod views;
mod weighing;

pub use views::{OrderViewOf, MAX_ORDERS_PAGE};
