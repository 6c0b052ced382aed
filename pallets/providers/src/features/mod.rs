//! The pallet's logic, one file per feature; `lib.rs` only declares.

mod auditors;
mod interfaces;
mod registry;
mod stake;
#[cfg(any(feature = "try-runtime", test))]
mod try_state;
mod views;

pub use views::{ProviderViewOf, MAX_PROVIDERS_PAGE};
