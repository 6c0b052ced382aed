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
//! [market]                             # optional: asks on the exchange's classes
//! prices = { cpu_millicores = 1, memory_mib = 1 }   # a lot's cost per block
//! markup_percent = 10                    # asked over that cost, rounded up to the tick
//! lots = 2                               # the most lots resting per class
//! classes = ["cpu.std"]                  # the classes to quote; every eligible one if empty
//!
//! [workloads]
//! backend = "container"                  # or "process": unsafe, a developer's machine only
//! host = "127.0.0.1"                     # where tenants reach the services
//! ports = [20000, 20999]                 # host ports given to services
//! settle_every = 100                     # blocks between withdrawals of earnings
//!
//! [workloads.container]                  # every key optional; these are the defaults
//! engine = ["podman"]                    # the engine's command line
//! firewall = ["iptables"]                # keeps each lease's network off the host
//! publish_address = "0.0.0.0"            # where declared ports are published
//! local_images_only = false              # true: run only images already on the host
//! pids_limit = 256                       # processes and threads per instance
//! open_files = 1024                      # open files per instance
//! log_bytes = 8388608                    # an instance's log is rotated past this size
//! # IPv4 networks leases may not open connections to (name servers, port 53, excepted):
//! # the private ranges of the provider's own network, and link-local (cloud metadata)
//! blocked_networks = ["10.0.0.0/8", "100.64.0.0/10", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"]
//! ```

use crate::{
	pricing::Pricing,
	workload::{
		container::{scope_for, ContainerSettings},
		engine::Engine,
	},
};
use ccre_primitives::{Capacity, ResourceSet};
use serde::Deserialize;
use std::{
	net::{IpAddr, Ipv4Addr, SocketAddr},
	path::{Path, PathBuf},
	time::Duration,
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
	/// Asks on the exchange's classes; none without this section.
	#[serde(default)]
	pub market: Option<MarketMaking>,
}

/// How the daemon makes a market: for each class it is eligible for (or those named), it
/// keeps one ask resting, for as many lots as its inventory holds up to `lots`, at the cost
/// of a lot at `prices` plus `markup_percent`, rounded up to the class's tick. Capacity an ask
/// holds is reserved like a bid's, so the daemon never sells what it has bid away.
#[derive(Deserialize, Clone, PartialEq, Eq, Debug)]
#[serde(deny_unknown_fields)]
pub struct MarketMaking {
	/// The price per unit of each capacity and block a lot is costed at.
	pub prices: crate::pricing::ScalePrices,
	/// The margin over that cost, in percent.
	#[serde(default)]
	pub markup_percent: u32,
	/// The most lots resting on each class.
	#[serde(default = "default_lots")]
	pub lots: u64,
	/// The classes to quote, by name; every eligible one when empty.
	#[serde(default)]
	pub classes: Vec<String>,
}

fn default_lots() -> u64 {
	1
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
	/// The backend.
	pub backend: Backend,
	/// The host tenants reach services on.
	pub host: String,
	/// The first and last host port given to services.
	pub ports: [u16; 2],
	/// Blocks between withdrawals of earnings from the leases' escrow accounts.
	#[serde(default = "default_settle_every")]
	pub settle_every: u32,
	/// The container backend's settings.
	#[serde(default)]
	pub container: Containers,
}

/// A workload backend.
#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub enum Backend {
	/// Services as containers of an engine (Podman): isolated and limited.
	Container,
	/// Services as processes on the host, as the provider's user: a tenant's code can read
	/// the provider's keys. For a developer's own machine only.
	Process,
}

/// The container backend's settings.
#[derive(Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields, default)]
pub struct Containers {
	/// The engine's command line.
	pub engine: Vec<String>,
	/// The firewall's command line.
	pub firewall: Vec<String>,
	/// The address declared ports are published on.
	pub publish_address: IpAddr,
	/// Whether only images already on the host run (none is pulled).
	pub local_images_only: bool,
	/// The most processes and threads an instance may have.
	pub pids_limit: u32,
	/// The most files an instance may have open.
	pub open_files: u64,
	/// The size past which an instance's log is rotated, in bytes.
	pub log_bytes: u64,
	/// The IPv4 networks leases may not open connections to, save name servers (port 53).
	pub blocked_networks: Vec<String>,
}

impl Default for Containers {
	fn default() -> Self {
		Self {
			engine: vec!["podman".into()],
			firewall: vec!["iptables".into()],
			publish_address: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
			local_images_only: false,
			pids_limit: 256,
			open_files: 1024,
			log_bytes: 8 * 1024 * 1024,
			blocked_networks: [
				"10.0.0.0/8",
				"100.64.0.0/10",
				"169.254.0.0/16",
				"172.16.0.0/12",
				"192.168.0.0/16",
			]
			.map(String::from)
			.to_vec(),
		}
	}
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
		let containers = &self.workloads.container;
		if containers.engine.is_empty() || containers.firewall.is_empty() {
			return Err("workloads.container.engine and .firewall must name a program".into());
		}
		if containers.pids_limit == 0 || containers.open_files == 0 || containers.log_bytes == 0 {
			return Err("workloads.container limits must be above zero".into());
		}
		if let Some(network) =
			containers.blocked_networks.iter().find(|network| !is_ipv4_network(network))
		{
			return Err(format!(
				"workloads.container.blocked_networks: {network:?} is not an IPv4 network (10.0.0.0/8)"
			));
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

impl Config {
	/// The container backend's settings, its scope named after the data directory so that
	/// two daemons on one host never touch each other's containers.
	pub fn container_settings(&self) -> ContainerSettings {
		let [first, last] = self.workloads.ports;
		let containers = &self.workloads.container;
		ContainerSettings {
			engine: Engine {
				command: containers.engine.clone(),
				timeout: ENGINE_TIMEOUT,
				workdir: self.data_dir.join("engine"),
			},
			firewall: containers.firewall.clone(),
			scope: scope_for(&self.data_dir),
			advertised_host: self.workloads.host.clone(),
			publish_address: containers.publish_address,
			ports: first..=last,
			local_images_only: containers.local_images_only,
			pids_limit: containers.pids_limit,
			open_files: containers.open_files,
			log_bytes: containers.log_bytes,
			blocked_networks: containers.blocked_networks.clone(),
		}
	}
}

/// Whether `text` is an IPv4 network in CIDR form, as the firewall takes it.
fn is_ipv4_network(text: &str) -> bool {
	text.split_once('/').is_some_and(|(address, length)| {
		address.parse::<Ipv4Addr>().is_ok()
			&& length.parse::<u8>().is_ok_and(|length| length <= 32)
			&& !length.starts_with('+')
	})
}

/// How long one action of the container engine may take (pulling an image is the longest).
const ENGINE_TIMEOUT: Duration = Duration::from_secs(600);

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
backend = "container"
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
		assert_eq!(config.workloads.backend, Backend::Container);
		assert_eq!(config.workloads.container.engine, ["podman"]);
		assert_eq!(config.workloads.container.pids_limit, 256);
		assert!(matches!(config.pricing, Pricing::Market { undercut: 1, .. }));
	}

	#[test]
	fn bad_configs_are_refused_with_their_reason() {
		let dir = tempfile::tempdir().expect("temp dir");
		let path = dir.path().join("provider.toml");
		for (from, to, reason) in [
			("ports = [20000, 20100]", "ports = [20100, 20000]", "not a range of ports"),
			("backend = \"container\"", "backend = \"docker\"", "unknown variant"),
			(
				"ports = [20000, 20100]",
				"ports = [20000, 20100]\n[workloads.container]\npids_limit = 0",
				"above zero",
			),
			(
				"ports = [20000, 20100]",
				"ports = [20000, 20100]\n[workloads.container]\nengine = []",
				"name a program",
			),
			(
				"ports = [20000, 20100]",
				"ports = [20000, 20100]\n[workloads.container]\nblocked_networks = [\"10.0.0.0\"]",
				"not an IPv4 network",
			),
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
	fn blocked_networks_are_ipv4_networks_in_cidr_form() {
		for network in ["10.0.0.0/8", "0.0.0.0/0", "169.254.169.254/32"] {
			assert!(is_ipv4_network(network), "{network}");
		}
		for network in ["10.0.0.0", "10.0.0.0/33", "10.0.0/8", "fe80::/10", "10.0.0.0/+8", ""] {
			assert!(!is_ipv4_network(network), "{network}");
		}
		assert!(Containers::default().blocked_networks.iter().all(|n| is_ipv4_network(n)));
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
