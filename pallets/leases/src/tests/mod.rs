//! Unit tests, one file per feature. Every test runs through `mock::run_test`, which checks
//! the pallet's invariants afterwards.

mod closing;
mod deadlines;
mod opening;
mod reaping;
mod starting;
