//! The pallet's logic, one file per feature; `lib.rs` only declares.

mod arbitration;
mod claims;
mod heartbeats;
mod interfaces;
mod payouts;
mod pool;
// std too: the runtime tests check these invariants.
#[cfg(any(feature = "try-runtime", feature = "std", test))]
mod try_state;
mod views;
