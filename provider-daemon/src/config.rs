//! The daemon's configuration: one TOML file (`ccre-provider init` writes one). Relative
//! paths in it are relative to the file's directory.
//!
//! ```toml
//! node = "ws://127.0.0.1:9944"          # the node's RPC
//! data_dir = "data"                      # state, workloads' files and logs
//! key_file = "provider.key"              # the account's secret URI (mode 0600); the
//!                                        # CCRE_PROVIDER_SEED environment variable overrides it
//!
//! [offer]                                # registered on chain; what the daemon bids with
//! attributes = { cpu_millicores = 2000, memory_mib = 4096, region = "local" }
//! contact = "ops@example.com"
//!
//! [gateway]
//! listen = "127.0.0.1:8443"
//! public_uri = "https://127.0.0.1:8443"  # registered as the provider's host URI
//! certificate = "gateway.crt"            # published on chain; served and presented for relays
//! key = "gateway.key"
//!
//! [metrics]
//! listen = "127.0.0.1:9616"              # Prometheus text format at /metrics
//!
//! [pricing]
//! strategy = "scale"                     # or "market" (with `undercut`) or "script"
//! prices = { cpu_millicores = 1, memory_mib = 1 }
//!
//! [workloads]
//! backend = "process"
//! host = "127.0.0.1"                     # where tenants reach the services
//! ports = [20000, 20999]                 # host ports given to services
//! settle_every = 100                     # blocks between withdrawals of earnings
//! ```

use crate::pricing::Pricing;
use ccre_primitives::{Capacity, ResourceSet};
use serde::Deserialize;
use std::{
	net::SocketAddr,
	path::{Path, PathBuf},
};

/// The environment variable that, when set, holds the provider account's secret URI instead
/// of `key_file`.
pub const SEED_VARIABLE: &str = "CCRE_PROVIDER_SEED";

/// The whole configuration.
#[derive(Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct Config {
	/// The node's RPC endpoint (`ws://` or `wss://`).
	pub node: String,
	/// Where the daemon keeps its state, workloads and logs.
	pub data_dir: PathBuf,
	/// A file holding the account's secret URI; unused when `CCRE_PROVIDER_SEED` is set.
	#[serde(default)]
	pub key_file: Option<PathBuf>,
	/// What the provider offers.
	pub offer: Offer,
	/// The manifest gateway.
	pub gateway: Gateway,
	/// The Prometheus endpoint.
	#[serde(default)]
	pub metrics: Option<Metrics>,
	/// How orders are priced.
	pub pricing: Pricing,
	/// How workloads run.
	pub workloads: Workloads,
}

/// What the provider offers: registered on chain, and the inventory bids draw on.
#[derive(Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct Offer {
	/// Capacities and properties (a region at least), as in an order.
	pub attributes: ResourceSet,
	/// How to reach the provider's operators.
	#[serde(default)]
	pub contact: String,
	/// Offer more than this host has (for test networks sharing one machine).
	#[serde(default)]
	pub overcommit: bool,
}

/// The manifest gateway's settings.
#[derive(Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct Gateway {
	/// The address it listens on.
	pub listen: SocketAddr,
	/// Its URI as tenants reach it, registered on chain.
	pub public_uri: String,
	/// Its certificate (PEM), published on chain.
	pub certificate: PathBuf,
	/// The certificate's key (PEM).
	pub key: PathBuf,
}

/// The Prometheus endpoint's settings.
#[derive(Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct Metrics {
	/// The address it listens on.
	pub listen: SocketAddr,
}

/// How workloads run.
#[derive(Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct Workloads {
	/// The backend: `process` (the only one so far).
	pub backend: Backend,
	/// The host tenants reach services on.
	pub host: String,
	/// The first and last host port given to services.
	pub ports: [u16; 2],
	/// Blocks between withdrawals of earnings from the leases' escrow accounts.
	#[serde(default = "default_settle_every")]
	pub settle_every: u32,
}

/// A workload backend.
#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub enum Backend {
	/// Services as processes on the host.
	Process,
}

fn default_settle_every() -> u32 {
	100
}

impl Config {
	/// Reads and checks the configuration at `path`, resolving its relative paths.
	pub fn load(path: &Path) -> Result<Self, String> {
		let text = std::fs::read_to_string(path)
			.map_err(|error| format!("cannot read {}: {error}", path.display()))?;
		let mut config: Config =
			toml::from_str(&text).map_err(|error| format!("{}: {error}", path.display()))?;
		let base = path.parent().unwrap_or(Path::new("."));
		let resolve = |relative: &mut PathBuf| {
			if relative.is_relative() {
				*relative = base.join(&*relative);
			}
		};
		resolve(&mut config.data_dir);
		resolve(&mut config.gateway.certificate);
		resolve(&mut config.gateway.key);
		if let Some(key_file) = config.key_file.as_mut() {
			resolve(key_file);
		}
		config.check().map_err(|reason| format!("{}: {reason}", path.display()))?;
		Ok(config)
	}

	fn check(&self) -> Result<(), String> {
		let [first, last] = self.workloads.ports;
		if first == 0 || first > last {
			return Err(format!("workloads.ports [{first}, {last}] is not a range of ports"));
		}
		if self.offer.attributes.capacities().next().is_none() {
			return Err("offer.attributes names no capacity".into());
		}
		if !self.gateway.public_uri.starts_with("https://") {
			return Err("gateway.public_uri must be an https:// URI".into());
		}
		if !self.offer.overcommit {
			check_against_host(&self.offer.attributes, &HostCapacity::read())?;
		}
		Ok(())
	}
}

/// What this machine has.
#[derive(Clone, Copy, Debug)]
pub struct HostCapacity {
	/// Its processors, in millicores.
	pub cpu_millicores: u64,
	/// Its memory, in MiB.
	pub memory_mib: u64,
}

impl HostCapacity {
	/// Reads this machine's processors and memory.
	pub fn read() -> Self {
		let cpus = std::thread::available_parallelism().map(|n| n.get() as u64).unwrap_or(1);
		let memory_kib = std::fs::read_to_string("/proc/meminfo")
			.ok()
			.and_then(|info| {
				info.lines().find(|line| line.starts_with("MemTotal:")).and_then(|line| {
					line.split_whitespace().nth(1).and_then(|kib| kib.parse::<u64>().ok())
				})
			})
			.unwrap_or(0);
		HostCapacity { cpu_millicores: cpus * 1000, memory_mib: memory_kib / 1024 }
	}
}

/// Refuses an offer of more processors or memory than the host has.
pub fn check_against_host(offer: &ResourceSet, host: &HostCapacity) -> Result<(), String> {
	let checks = [
		(Capacity::CpuMillicores, host.cpu_millicores, "cpu_millicores"),
		(Capacity::MemoryMib, host.memory_mib, "memory_mib"),
	];
	for (capacity, available, name) in checks {
		if let Some(offered) = offer.capacity(capacity) {
			if offered > available {
				return Err(format!(
					"offer.attributes.{name} = {offered} but this host has {available} \
					 (set offer.overcommit = true to offer it anyway)"
				));
			}
		}
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	const EXAMPLE: &str = r#"
node = "ws://127.0.0.1:9944"
data_dir = "data"
key_file = "provider.key"
[offer]
attributes = { cpu_millicores = 1000, memory_mib = 512, region = "local" }
[gateway]
listen = "127.0.0.1:8443"
public_uri = "https://127.0.0.1:8443"
certificate = "gateway.crt"
key = "/etc/ccre/gateway.key"
[pricing]
strategy = "market"
prices = { cpu_millicores = 2 }
undercut = 1
[workloads]
backend = "process"
host = "127.0.0.1"
ports = [20000, 20100]
"#;

	#[test]
	fn a_config_file_reads_with_paths_relative_to_it() {
		let dir = tempfile::tempdir().expect("temp dir");
		let path = dir.path().join("provider.toml");
		std::fs::write(&path, EXAMPLE).expect("written");
		let config = Config::load(&path).expect("loads");
		assert_eq!(config.data_dir, dir.path().join("data"));
		assert_eq!(config.key_file, Some(dir.path().join("provider.key")));
		assert_eq!(config.gateway.key, PathBuf::from("/etc/ccre/gateway.key"));
		assert_eq!(config.offer.attributes.capacity(Capacity::MemoryMib), Some(512));
		assert_eq!(config.workloads.settle_every, 100);
		assert!(matches!(config.pricing, Pricing::Market { undercut: 1, .. }));
	}

	#[test]
	fn bad_configs_are_refused_with_their_reason() {
		let dir = tempfile::tempdir().expect("temp dir");
		let path = dir.path().join("provider.toml");
		for (from, to, reason) in [
			("ports = [20000, 20100]", "ports = [20100, 20000]", "not a range of ports"),
			("backend = \"process\"", "backend = \"docker\"", "unknown variant"),
			("public_uri = \"https://", "public_uri = \"http://", "https:// URI"),
			("region = \"local\"", "region = \"local\", qubits = 1", "qubits"),
			("memory_mib = 512", "memory_mib = 512000000", "this host has"),
		] {
			std::fs::write(&path, EXAMPLE.replace(from, to)).expect("written");
			let error = Config::load(&path).expect_err(reason);
			assert!(error.contains(reason), "{error}");
		}
		let error = Config::load(&dir.path().join("missing.toml")).expect_err("missing");
		assert!(error.contains("cannot read"), "{error}");
	}

	#[test]
	fn the_host_check_counts_processors_and_memory() {
		let host = HostCapacity { cpu_millicores: 2000, memory_mib: 1024 };
		let offer = |cpu, memory| {
			ResourceSet::new([(Capacity::CpuMillicores, cpu), (Capacity::MemoryMib, memory)], [])
				.expect("valid")
		};
		assert!(check_against_host(&offer(2000, 1024), &host).is_ok());
		assert!(check_against_host(&offer(2001, 1024), &host).is_err());
		assert!(check_against_host(&offer(1000, 2048), &host).is_err());
	}
}
