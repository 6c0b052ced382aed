//! The pallet's logic, one file per feature; `lib.rs` only declares.

mod closing;
mod deadlines;
mod opening;
mod reaping;
mod starting;
// std too: the market's other pallets and the runtime tests check these invariants.
#[cfg(any(feature = "try-runtime", feature = "std", test))]
mod try_state;
mod views;
