//! Unit tests, one file per feature. Every test runs through `mock::run_test`, which checks
//! the pallet's invariants afterwards.

mod auditors;
mod registry;
mod reputation;
mod stake;
mod views;
