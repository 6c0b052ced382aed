//! The pallet's logic, one file per feature; `lib.rs` only declares.

mod deposits;
mod interfaces;
mod settlement;
mod sweep;
mod vesting;
// std too: the market's other pallets and the runtime tests check these invariants.
#[cfg(any(feature = "try-runtime", feature = "std", test))]
mod try_state;
mod views;

pub use views::EscrowViewOf;
