//! Workloads: how the daemon runs the services of a lease's manifest.
//!
//! A [`WorkloadBackend`] starts a deployment's instances, reports their state and endpoints,
//! restarts those that exit and stops them when the lease closes. One backend exists so far:
//! - [`process`]: every instance a plain process on the host, in its own process group.

pub mod process;

use ccre_client::gateway::{Endpoint, InstanceStatus};
use ccre_primitives::{manifest::Manifest, OrderId};
use std::{fmt, path::PathBuf};

/// What can go wrong running a deployment.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum WorkloadError {
	/// A file or directory of the workload directory could not be read or written.
	Io {
		/// The file or directory.
		path: PathBuf,
		/// What the system said.
		reason: String,
	},
	/// Every host port of the backend's range is taken.
	NoFreePort,
	/// A service's command names a variable its environment does not have.
	UnknownVariable {
		/// The service.
		service: String,
		/// The variable, as written between `${` and `}`.
		name: String,
	},
	/// An instance's process could not be started.
	Spawn {
		/// The service.
		service: String,
		/// Why.
		reason: String,
	},
	/// The lease has nothing here.
	UnknownLease(OrderId),
}

impl fmt::Display for WorkloadError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::Io { path, reason } => write!(f, "{}: {reason}", path.display()),
			Self::NoFreePort => write!(f, "no free host port is left in the provider's range"),
			Self::UnknownVariable { service, name } => {
				write!(f, "service {service}: its command names ${{{name}}}, which is not set")
			},
			Self::Spawn { service, reason } => {
				write!(f, "service {service} did not start: {reason}")
			},
			Self::UnknownLease(lease) => write!(f, "lease {lease} has no deployment here"),
		}
	}
}

impl std::error::Error for WorkloadError {}

/// A way of running a lease's services.
///
/// Synchronous and object-safe: the daemon holds an `Arc<dyn WorkloadBackend>` and calls the
/// slow methods (deploy, ready, teardown, logs) from `tokio::task::spawn_blocking`.
pub trait WorkloadBackend: Send + Sync {
	/// Starts every instance of every service of `manifest` for `lease`. Idempotent: a lease
	/// already deployed is left as it is.
	fn deploy(&self, lease: OrderId, manifest: &Manifest) -> Result<(), WorkloadError>;

	/// The lease's instances and endpoints; `None` if it is not deployed.
	fn status(&self, lease: OrderId) -> Option<(Vec<InstanceStatus>, Vec<Endpoint>)>;

	/// Whether every instance runs and every TCP port answers a connection on its host port.
	fn ready(&self, lease: OrderId) -> bool;

	/// Restarts instances that exited (with back-off); returns how many it restarted. Called
	/// about once a second.
	fn supervise(&self) -> u32;

	/// Stops every instance (SIGTERM to its process group, SIGKILL after a grace period of
	/// 5 s) and forgets the deployment; its logs are kept. An unknown lease is no error, so
	/// that teardown can be retried.
	fn teardown(&self, lease: OrderId) -> Result<(), WorkloadError>;

	/// The last `lines` lines of each instance's output, each block headed by
	/// `==> service-N <==`.
	fn logs(&self, lease: OrderId, lines: usize) -> Result<String, WorkloadError>;

	/// The leases deployed now.
	fn deployed(&self) -> Vec<OrderId>;
}
