//! The pallet's logic, one file per feature; `lib.rs` only declares.

mod auditors;
mod interfaces;
mod registry;
mod stake;
// std too: the market's other pallets and the runtime tests check these invariants.
#[cfg(any(feature = "try-runtime", feature = "std", test))]
mod try_state;
mod views;

pub use views::{ProviderViewOf, MAX_PROVIDERS_PAGE};
