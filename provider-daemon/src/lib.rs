//! `ccre-provider`, the CCRE provider daemon, as a library its binary and tests use.
//!
//! - [`config`]: the TOML configuration.
//! - [`daemon`]: follows the chain; bids, tends leases, heartbeats, withdraws earnings.
//! - [`inventory`] and [`state`]: what it offers and what it remembers across restarts.
//! - [`pricing`]: what it bids on an order, by one of three strategies.
//! - [`gateway`]: the manifest gateway (HTTPS, mutual TLS, checked against the chain).
//! - [`workload`]: runs the leases' services (the process backend).
//! - [`metrics`]: Prometheus metrics.
//! - [`init`]: `ccre-provider init`, from nothing to a registered, staked provider.

pub mod config;
pub mod daemon;
pub mod gateway;
pub mod init;
pub mod inventory;
pub mod metrics;
pub mod pricing;
pub mod state;
pub mod workload;

use std::sync::{Mutex, MutexGuard, PoisonError};

/// Locks `mutex`, poisoned or not: the daemon's locks guard values changed whole (one
/// assignment, insertion or removal), so a panic elsewhere never leaves one half-changed.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
	mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
