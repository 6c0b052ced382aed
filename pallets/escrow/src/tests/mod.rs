//! Unit tests, one file per feature. Every test runs through `mock::run_test`, which checks
//! the pallet's invariants afterwards.

mod conservation;
mod deposits;
mod exhaustion;
mod settlement;
mod sweep;
mod vesting;
