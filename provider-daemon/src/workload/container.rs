//! The container backend: every instance of a manifest's services a container of an existing
//! engine (Podman, driven through its command line), which is the truth about what runs.
//!
//! Lease `L` of the daemon whose scope is `S` gets:
//! - a network `S-L` of its own (a bridge, isolated from every other isolated network), with
//!   firewall rules that drop every connection its containers open to the host itself, so
//!   that the node's RPC, the metrics, the gateway and anything else listening on the host
//!   stay out of reach, and every connection they open to the blocked networks (by default
//!   the private ranges of the provider's own network and link-local, where clouds serve
//!   instance metadata), except to name servers (port 53) and within the lease's network:
//!   a chain `S-L` (lease in hexadecimal) the network's traffic jumps to; only the declared
//!   ports are published, on the provider's address;
//! - a container `S-L-<service>-<N>` per instance, labelled with the scope, lease, service,
//!   instance and its port bindings, limited in CPU (`cpu_millicores`), memory
//!   (`memory_mib`, plus `storage_mib` for its `/data` tmpfs, which memory backs), processes
//!   and open files, run as `nobody` with every capability dropped, no new privileges and a
//!   read-only root; its output goes to a size-capped log the engine rotates.
//!
//! The daemon supervises: an exited instance is started again after a back-off. Teardown
//! removes the containers (with their logs) and the network, its rules and its chain. Nothing is kept
//! in files of the daemon's: a restarted daemon reads the engine's containers back.

use super::{
	engine::Engine, expand, free_port, instance_environment, LogFormat, LogSource, WorkloadBackend,
	WorkloadError,
};
use crate::lock;
use ccre_client::gateway::{Endpoint, InstanceStatus};
use ccre_primitives::{
	manifest::{Manifest, Protocol, Service},
	Capacity, OrderId,
};
use serde::Deserialize;
use std::{
	collections::{BTreeMap, BTreeSet},
	io::Write,
	net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream},
	ops::RangeInclusive,
	path::{Path, PathBuf},
	sync::Mutex,
	time::{Duration, Instant},
};
use tempfile::NamedTempFile;

/// The label naming the daemon a container or network belongs to.
const SCOPE_LABEL: &str = "ccre.scope";
/// The label naming the lease.
const LEASE_LABEL: &str = "ccre.lease";
/// The label naming the service.
const SERVICE_LABEL: &str = "ccre.service";
/// The label naming the instance's index.
const INSTANCE_LABEL: &str = "ccre.instance";
/// The label holding the instance's port bindings (`8080/tcp=20000,53/udp=20001`).
const PORTS_LABEL: &str = "ccre.ports";
/// The label holding the GPU devices given to the instance (`0,1`).
const GPUS_LABEL: &str = "ccre.gpus";

/// The user instances run as unless the image is made for another: `nobody`.
const UNPRIVILEGED_USER: &str = "65534:65534";

/// The longest chain name iptables takes.
const CHAIN_NAME_LIMIT: usize = 28;

/// Where an instance's `storage_mib` is mounted, writable.
const DATA_DIR: &str = "/data";

/// How long teardown lets an instance end on SIGTERM before the engine kills it.
const STOP_GRACE_SECONDS: u32 = 5;

/// The longest back-off between an instance's exit and its restart.
const MAX_BACK_OFF: Duration = Duration::from_secs(30);

/// How long `ready` waits for a TCP port to accept a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_millis(200);

/// What an operator sets about the container backend.
#[derive(Clone, Debug)]
pub struct ContainerSettings {
	/// The engine's command line.
	pub engine: Engine,
	/// The firewall's command line (`iptables`), for the rules that keep a lease's
	/// containers off the host and the provider's network.
	pub firewall: Vec<String>,
	/// The IPv4 networks (`10.0.0.0/8`) a lease's containers may not open connections to,
	/// save name servers (port 53) and their own network.
	pub blocked_networks: Vec<String>,
	/// Names this daemon's containers and networks apart from anyone else's on the host.
	pub scope: String,
	/// The host tenants connect to, reported in every endpoint.
	pub advertised_host: String,
	/// The address declared ports are published on.
	pub publish_address: IpAddr,
	/// The host ports declared ports are published on.
	pub ports: RangeInclusive<u16>,
	/// Whether images must already be on the host (never pulled).
	pub local_images_only: bool,
	/// The most processes (and threads) an instance may have.
	pub pids_limit: u32,
	/// The most files an instance may have open.
	pub open_files: u64,
	/// The largest an instance's log grows before the engine rotates it, in bytes.
	pub log_bytes: u64,
}

/// The manifest's services as containers (see the module documentation).
pub struct ContainerBackend {
	settings: ContainerSettings,
	/// The host's hard limit on processes per user, which the engine must be told.
	process_limit: u64,
	/// What the engine last said runs, by lease.
	containers: Mutex<BTreeMap<OrderId, Vec<Container>>>,
	/// The leases that have a network (deployed, or left by a failed deployment).
	networks: Mutex<BTreeSet<OrderId>>,
	/// Restarts and exits the daemon saw, by container name.
	supervision: Mutex<BTreeMap<String, Supervision>>,
	/// Leases being torn down: nothing of them is restarted.
	stopping: Mutex<BTreeSet<OrderId>>,
	/// Held by a deployment from its first port to its last container, so that two cannot
	/// pick the same host ports or GPUs.
	deploying: Mutex<()>,
}

/// An instance's container as the engine lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Container {
	name: String,
	service: String,
	index: u32,
	ports: Vec<Binding>,
	gpus: Vec<u32>,
	running: bool,
	pid: Option<u32>,
	exit_code: Option<i32>,
}

/// A declared port and the host port it is published on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Binding {
	port: u16,
	protocol: Protocol,
	host_port: u16,
}

/// What the daemon saw of a container's exits.
#[derive(Default)]
struct Supervision {
	restarts: u32,
	last_exit: Option<String>,
	exited_at: Option<Instant>,
}

/// A container as `ps --format json` lists it (the fields read here).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Listed {
	names: Vec<String>,
	#[serde(default)]
	labels: Option<BTreeMap<String, String>>,
	state: String,
	#[serde(default)]
	pid: Option<u32>,
	#[serde(default)]
	exit_code: Option<i32>,
}

/// A network as `network inspect` shows it (the fields read here).
#[derive(Deserialize)]
struct NetworkInfo {
	#[serde(default)]
	subnets: Vec<SubnetInfo>,
}

#[derive(Deserialize)]
struct SubnetInfo {
	subnet: String,
}

impl ContainerBackend {
	/// Opens the backend, reading back the containers and networks of `settings.scope`.
	pub fn open(settings: ContainerSettings) -> Result<Self, WorkloadError> {
		let backend = Self {
			process_limit: process_limit(),
			settings,
			containers: Mutex::new(BTreeMap::new()),
			networks: Mutex::new(BTreeSet::new()),
			supervision: Mutex::new(BTreeMap::new()),
			stopping: Mutex::new(BTreeSet::new()),
			deploying: Mutex::new(()),
		};
		backend.refresh()?;
		Ok(backend)
	}

	fn engine<S: AsRef<str>>(&self, args: &[S]) -> Result<String, WorkloadError> {
		self.settings.engine.run(args)
	}

	fn network_name(&self, lease: OrderId) -> String {
		format!("{}-{lease}", self.settings.scope)
	}

	/// The firewall chain of lease `lease`'s network (the lease in hexadecimal: iptables
	/// takes names of at most 28 characters).
	fn chain_name(&self, lease: OrderId) -> Result<String, WorkloadError> {
		let name = format!("{}-{lease:x}", self.settings.scope);
		if name.len() > CHAIN_NAME_LIMIT {
			return Err(WorkloadError::Engine {
				action: "firewall".into(),
				reason: format!("the chain name {name} is longer than {CHAIN_NAME_LIMIT}"),
			});
		}
		Ok(name)
	}

	fn container_name(&self, lease: OrderId, service: &str, index: u32) -> String {
		format!("{}-{lease}-{service}-{index}", self.settings.scope)
	}

	fn scope_filter(&self) -> String {
		format!("label={SCOPE_LABEL}={}", self.settings.scope)
	}

	/// Reads what the engine runs and which networks exist now.
	fn refresh(&self) -> Result<(), WorkloadError> {
		let listed =
			self.engine(&["ps", "--all", "--filter", &self.scope_filter(), "--format", "json"])?;
		let listed: Vec<Listed> = parse_json("ps", &listed)?;
		let mut containers: BTreeMap<OrderId, Vec<Container>> = BTreeMap::new();
		for listed in listed {
			if let Some((lease, container)) = Container::from_listed(listed) {
				containers.entry(lease).or_default().push(container);
			}
		}
		for instances in containers.values_mut() {
			instances.sort_by(|one, two| (&one.service, one.index).cmp(&(&two.service, two.index)));
		}
		let networks = self.engine(&[
			"network",
			"ls",
			"--filter",
			&self.scope_filter(),
			"--format",
			"{{.Name}}",
		])?;
		let prefix = format!("{}-", self.settings.scope);
		let networks =
			networks.lines().filter_map(|name| name.strip_prefix(&prefix)?.parse().ok()).collect();
		*lock(&self.containers) = containers;
		*lock(&self.networks) = networks;
		Ok(())
	}

	/// Makes sure `service`'s image is on the host, pulling it (with the service's registry
	/// login, through a private file removed afterwards) unless only local images are allowed.
	fn ensure_image(&self, name: &str, service: &Service) -> Result<(), WorkloadError> {
		if self.engine(&["image", "exists", &service.image]).is_ok() {
			return Ok(());
		}
		let unavailable = |reason: String| WorkloadError::ImageUnavailable {
			service: name.to_string(),
			image: service.image.clone(),
			reason,
		};
		if self.settings.local_images_only {
			return Err(unavailable("not on this host, and this provider pulls no images".into()));
		}
		let mut args = vec!["pull".to_string(), "--quiet".to_string()];
		let auth = match &service.credentials {
			Some(credentials) => {
				let file = auth_file(&service.image, &credentials.username, &credentials.password)
					.map_err(|error| unavailable(error.to_string()))?;
				args.extend(["--authfile".to_string(), file.path().display().to_string()]);
				Some(file)
			},
			None => None,
		};
		args.push(service.image.clone());
		let pulled = self.engine(&args);
		drop(auth);
		pulled.map(|_| ()).map_err(|error| unavailable(error.to_string()))
	}

	/// Creates lease `lease`'s network and the rules that keep it off the host and the
	/// blocked networks.
	fn create_network(&self, lease: OrderId) -> Result<(), WorkloadError> {
		let name = self.network_name(lease);
		if self.engine(&["network", "exists", &name]).is_err() {
			self.engine(&[
				"network",
				"create",
				"--disable-dns",
				"--opt",
				"isolate=true",
				"--label",
				&format!("{SCOPE_LABEL}={}", self.settings.scope),
				"--label",
				&format!("{LEASE_LABEL}={lease}"),
				&name,
			])?;
		}
		lock(&self.networks).insert(lease);
		let chain = self.chain_name(lease)?;
		let subnets = self.subnets(&name)?;
		// A chain already there (a deployment retried, a daemon restarted) gets what it lacks,
		// never flushed: a flushed chain would let connections through until it is refilled.
		let _ = self.firewall(&strings(&["-N", &chain]));
		for rule in self.chain_rules(&chain, &subnets) {
			if self.firewall(&prepend("-C", &rule)).is_err() {
				self.firewall(&prepend("-A", &rule))?;
			}
		}
		for subnet in &subnets {
			for rule in self.network_rules(&name, subnet, &chain) {
				if self.firewall(&prepend("-C", &rule)).is_err() {
					self.firewall(&prepend("-I", &rule))?;
				}
			}
		}
		Ok(())
	}

	/// Removes lease `lease`'s network and its rules.
	fn remove_network(&self, lease: OrderId) -> Result<(), WorkloadError> {
		let name = self.network_name(lease);
		let chain = self.chain_name(lease)?;
		if self.engine(&["network", "exists", &name]).is_ok() {
			for subnet in self.subnets(&name)? {
				for rule in self.network_rules(&name, &subnet, &chain) {
					while self.firewall(&prepend("-C", &rule)).is_ok() {
						self.firewall(&prepend("-D", &rule))?;
					}
				}
			}
			self.engine(&["network", "rm", "--force", &name])?;
		}
		// Flushed and deleted once nothing jumps to it; absent if the deployment failed early.
		if self.firewall(&strings(&["-F", &chain])).is_ok() {
			self.firewall(&strings(&["-X", &chain]))?;
		}
		lock(&self.networks).remove(&lease);
		Ok(())
	}

	fn subnets(&self, network: &str) -> Result<Vec<String>, WorkloadError> {
		let inspected = self.engine(&["network", "inspect", network])?;
		let networks: Vec<NetworkInfo> = parse_json("network inspect", &inspected)?;
		Ok(networks.into_iter().flat_map(|network| network.subnets).map(|s| s.subnet).collect())
	}

	/// The firewall rules (each after its `-I`/`-C`/`-D`) of a lease's network on `subnet`:
	/// new connections from it to the host itself are dropped (replies to connections the
	/// host opened, as to published ports, still pass), and what it forwards goes through
	/// the lease's `chain`.
	fn network_rules(&self, network: &str, subnet: &str, chain: &str) -> [Vec<String>; 2] {
		let comment = format!("CCRE tenant network {network}");
		let rule = |parts: &[&str], target: &str| -> Vec<String> {
			let tail = ["-m", "comment", "--comment", &comment, "-j", target];
			parts.iter().chain(tail.iter()).map(|part| part.to_string()).collect()
		};
		[
			rule(&["INPUT", "-s", subnet, "-m", "conntrack", "--ctstate", "NEW"], "DROP"),
			rule(&["FORWARD", "-s", subnet], chain),
		]
	}

	/// The rules of a lease's `chain` (each after its `-A`), for what its network on
	/// `subnets` forwards: within the network and to name servers it goes on to the rules
	/// after the jump; a new connection to a blocked network is dropped. Replies to
	/// connections opened from outside, as to a published port from the provider's LAN, are
	/// not new and pass.
	fn chain_rules(&self, chain: &str, subnets: &[String]) -> Vec<Vec<String>> {
		let mut rules: Vec<Vec<String>> =
			subnets.iter().map(|subnet| strings(&[chain, "-d", subnet, "-j", "RETURN"])).collect();
		for protocol in ["udp", "tcp"] {
			rules.push(strings(&[chain, "-p", protocol, "--dport", "53", "-j", "RETURN"]));
		}
		for blocked in &self.settings.blocked_networks {
			let new = ["-m", "conntrack", "--ctstate", "NEW", "-j", "DROP"];
			rules.push(strings(&[&[chain, "-d", blocked][..], &new[..]].concat()));
		}
		rules
	}

	fn firewall(&self, args: &[String]) -> Result<String, WorkloadError> {
		Engine { command: self.settings.firewall.clone(), ..self.settings.engine.clone() }.run(args)
	}

	/// The engine's `create` arguments for one instance.
	fn create_args(
		&self,
		lease: OrderId,
		name: &str,
		service: &Service,
		index: u32,
		ports: &[Binding],
		gpus: &[u32],
	) -> Result<Vec<String>, WorkloadError> {
		let mut args: Vec<String> = Vec::new();
		let mut push = |parts: &[&str]| args.extend(parts.iter().map(|part| part.to_string()));
		let container = self.container_name(lease, name, index);
		push(&["create", "--name", &container, "--hostname", &format!("{name}-{index}")]);
		push(&["--network", &self.network_name(lease), "--pull", "never", "--restart", "no"]);
		for (label, value) in [
			(SCOPE_LABEL, self.settings.scope.clone()),
			(LEASE_LABEL, lease.to_string()),
			(SERVICE_LABEL, name.to_string()),
			(INSTANCE_LABEL, index.to_string()),
			(PORTS_LABEL, format_bindings(ports)),
			(GPUS_LABEL, format_list(gpus)),
		] {
			push(&["--label", &format!("{label}={value}")]);
		}
		for binding in ports {
			let protocol = protocol_name(binding.protocol);
			push(&[
				"--publish",
				&format!(
					"{}:{}:{}/{protocol}",
					self.settings.publish_address, binding.host_port, binding.port
				),
			]);
		}
		let resources = &service.resources;
		let millicores = resources.capacity(Capacity::CpuMillicores).unwrap_or(0);
		let storage_mib = resources.capacity(Capacity::StorageMib).unwrap_or(0);
		// The tmpfs at /data is memory the instance may fill: the limit covers both.
		let memory_mib =
			resources.capacity(Capacity::MemoryMib).unwrap_or(0).saturating_add(storage_mib);
		let cpus = format!("{}.{:03}", millicores / 1000, millicores % 1000);
		let memory = format!("{memory_mib}m");
		push(&["--cpus", &cpus, "--memory", &memory, "--memory-swap", &memory]);
		let pids = self.settings.pids_limit.to_string();
		let open_files = self.settings.open_files.min(hard_limit(libc::RLIMIT_NOFILE));
		push(&["--pids-limit", &pids]);
		push(&["--ulimit", &format!("nofile={open_files}:{open_files}")]);
		push(&["--ulimit", &format!("nproc={0}:{0}", self.process_limit)]);
		push(&["--user", UNPRIVILEGED_USER, "--read-only", "--cap-drop", "all"]);
		push(&["--security-opt", "no-new-privileges"]);
		// Without capabilities, any port of its own namespace may be bound all the same.
		push(&["--sysctl", "net.ipv4.ip_unprivileged_port_start=0"]);
		push(&["--log-driver", "k8s-file"]);
		push(&["--log-opt", &format!("max-size={}", self.settings.log_bytes)]);
		if storage_mib > 0 {
			push(&["--tmpfs", &format!("{DATA_DIR}:rw,size={storage_mib}m,mode=1777")]);
		}
		for gpu in gpus {
			push(&["--device", &format!("/dev/nvidia{gpu}")]);
		}
		if !gpus.is_empty() {
			for device in ["/dev/nvidiactl", "/dev/nvidia-uvm"] {
				if Path::new(device).exists() {
					push(&["--device", device]);
				}
			}
		}
		// Inside its own namespace an instance listens on the declared port itself.
		let listening = ports.iter().map(|binding| (binding.port, binding.port));
		let env = instance_environment(lease, name, index, service, listening);
		for (variable, value) in &env {
			push(&["--env", &format!("{variable}={value}")]);
		}
		push(&[&service.image]);
		for part in &service.command {
			args.push(expand(part, &env, name)?);
		}
		Ok(args)
	}

	/// Everything `deploy` does, leaving what it made for the caller to remove on failure.
	fn create_deployment(&self, lease: OrderId, manifest: &Manifest) -> Result<(), WorkloadError> {
		for (name, service) in &manifest.services {
			self.ensure_image(name, service)?;
		}
		let (mut taken_ports, mut taken_gpus) = {
			let containers = lock(&self.containers);
			let all = containers.values().flatten();
			let ports: BTreeSet<u16> =
				all.clone().flat_map(|c| c.ports.iter().map(|b| b.host_port)).collect();
			let gpus: BTreeSet<u32> = all.flat_map(|c| c.gpus.iter().copied()).collect();
			(ports, gpus)
		};
		let host_gpus = host_gpus();
		let mut creations = Vec::new();
		for (name, service) in &manifest.services {
			let wanted = service.resources.capacity(Capacity::Gpus).unwrap_or(0);
			for index in 0..service.count {
				let mut ports = Vec::with_capacity(service.ports.len());
				for declared in &service.ports {
					let host_port =
						free_port(&self.settings.ports, declared.protocol, &taken_ports)
							.ok_or(WorkloadError::NoFreePort)?;
					taken_ports.insert(host_port);
					ports.push(Binding {
						port: declared.port,
						protocol: declared.protocol,
						host_port,
					});
				}
				let free: Vec<u32> =
					host_gpus.iter().copied().filter(|gpu| !taken_gpus.contains(gpu)).collect();
				let gpus: Vec<u32> = free.iter().copied().take(wanted as usize).collect();
				if (gpus.len() as u64) < wanted {
					return Err(WorkloadError::NoGpus {
						service: name.clone(),
						wanted,
						free: free.len() as u64,
					});
				}
				taken_gpus.extend(&gpus);
				creations.push(self.create_args(lease, name, service, index, &ports, &gpus)?);
			}
		}
		self.create_network(lease)?;
		for args in &creations {
			self.engine(args)?;
		}
		for args in &creations {
			// The name follows `--name` in every creation.
			if let Some(container) = args.get(2) {
				self.engine(&["start", container])?;
			}
		}
		Ok(())
	}

	/// Removes every container of `lease` the engine has, listed afresh.
	fn remove_containers(&self, lease: OrderId) -> Result<(), WorkloadError> {
		let names = self.engine(&[
			"ps",
			"--all",
			"--filter",
			&self.scope_filter(),
			"--filter",
			&format!("label={LEASE_LABEL}={lease}"),
			"--format",
			"{{.Names}}",
		])?;
		let names: Vec<&str> = names.split_whitespace().collect();
		if names.is_empty() {
			return Ok(());
		}
		let grace = STOP_GRACE_SECONDS.to_string();
		let mut args = vec!["rm", "--force", "--ignore", "--time", &grace];
		args.extend(names.iter().copied());
		self.engine(&args)?;
		let mut supervision = lock(&self.supervision);
		for name in names {
			supervision.remove(name);
		}
		Ok(())
	}

	/// The log file of container `name`.
	fn log_path(&self, name: &str) -> Result<PathBuf, WorkloadError> {
		let path = self.engine(&["inspect", "--format", "{{.HostConfig.LogConfig.Path}}", name])?;
		Ok(PathBuf::from(path.trim()))
	}
}

impl WorkloadBackend for ContainerBackend {
	fn deploy(&self, lease: OrderId, manifest: &Manifest) -> Result<(), WorkloadError> {
		let _deploying = lock(&self.deploying);
		if lock(&self.containers).contains_key(&lease) {
			return Ok(());
		}
		if let Err(error) = self.create_deployment(lease, manifest) {
			// All or nothing: a half-made deployment would hold ports and never be served.
			let _ = self.remove_containers(lease).and_then(|()| self.remove_network(lease));
			let _ = self.refresh();
			return Err(error);
		}
		self.refresh()
	}

	fn status(&self, lease: OrderId) -> Option<(Vec<InstanceStatus>, Vec<Endpoint>)> {
		let containers = lock(&self.containers).get(&lease)?.clone();
		let supervision = lock(&self.supervision);
		let instances = containers
			.iter()
			.map(|container| {
				let seen = supervision.get(&container.name);
				InstanceStatus {
					service: container.service.clone(),
					instance: container.index,
					pid: container.pid.filter(|_| container.running),
					running: container.running,
					restarts: seen.map_or(0, |seen| seen.restarts),
					last_exit: seen.and_then(|seen| seen.last_exit.clone()).or_else(|| {
						container.exit_code.filter(|_| !container.running).map(describe_exit)
					}),
				}
			})
			.collect();
		let endpoints = containers
			.iter()
			.flat_map(|container| {
				container.ports.iter().map(|binding| Endpoint {
					service: container.service.clone(),
					instance: container.index,
					port: binding.port,
					protocol: binding.protocol,
					host: self.settings.advertised_host.clone(),
					host_port: binding.host_port,
				})
			})
			.collect();
		Some((instances, endpoints))
	}

	fn ready(&self, lease: OrderId) -> bool {
		let Some(containers) = lock(&self.containers).get(&lease).cloned() else {
			return false;
		};
		if containers.iter().any(|container| !container.running) {
			return false;
		}
		let address = match self.settings.publish_address {
			unspecified if unspecified.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
			address => address,
		};
		containers
			.iter()
			.flat_map(|container| &container.ports)
			.filter(|binding| binding.protocol == Protocol::Tcp)
			.all(|binding| {
				TcpStream::connect_timeout(
					&SocketAddr::new(address, binding.host_port),
					CONNECT_TIMEOUT,
				)
				.is_ok()
			})
	}

	fn supervise(&self) -> u32 {
		if self.refresh().is_err() {
			return 0;
		}
		let now = Instant::now();
		let stopping = lock(&self.stopping).clone();
		let exited: Vec<(String, Option<i32>)> = lock(&self.containers)
			.iter()
			.filter(|(lease, _)| !stopping.contains(lease))
			.flat_map(|(_, containers)| containers)
			.filter(|container| !container.running)
			.map(|container| (container.name.clone(), container.exit_code))
			.collect();
		let mut restarted = 0;
		for (name, exit_code) in exited {
			let due = {
				let mut supervision = lock(&self.supervision);
				let seen = supervision.entry(name.clone()).or_default();
				let exited_at = *seen.exited_at.get_or_insert(now);
				seen.last_exit = exit_code.map(describe_exit);
				let back_off = Duration::from_secs(1 << seen.restarts.min(5)).min(MAX_BACK_OFF);
				now.saturating_duration_since(exited_at) >= back_off
			};
			if !due {
				continue;
			}
			let started = self.engine(&["start", &name]);
			let mut supervision = lock(&self.supervision);
			let seen = supervision.entry(name).or_default();
			// Counted either way, so that the back-off grows.
			seen.restarts = seen.restarts.saturating_add(1);
			match started {
				Ok(_) => {
					seen.exited_at = None;
					restarted += 1;
				},
				Err(error) => {
					seen.last_exit = Some(format!("restart failed: {error}"));
					seen.exited_at = Some(now);
				},
			}
		}
		restarted
	}

	fn teardown(&self, lease: OrderId) -> Result<(), WorkloadError> {
		lock(&self.stopping).insert(lease);
		let outcome = self
			.remove_containers(lease)
			.and_then(|()| self.remove_network(lease))
			.and_then(|()| self.refresh());
		lock(&self.stopping).remove(&lease);
		outcome
	}

	fn log_sources(&self, lease: OrderId) -> Result<Vec<LogSource>, WorkloadError> {
		let containers = lock(&self.containers)
			.get(&lease)
			.cloned()
			.ok_or(WorkloadError::UnknownLease(lease))?;
		containers
			.iter()
			.map(|container| {
				Ok(LogSource {
					label: format!("{}-{}", container.service, container.index),
					path: self.log_path(&container.name)?,
					format: LogFormat::K8sFile,
				})
			})
			.collect()
	}

	fn deployed(&self) -> Vec<OrderId> {
		let mut leases: BTreeSet<OrderId> = lock(&self.containers).keys().copied().collect();
		leases.extend(lock(&self.networks).iter().copied());
		leases.into_iter().collect()
	}
}

impl Container {
	/// The lease and container `listed` describes, if it carries this backend's labels.
	fn from_listed(listed: Listed) -> Option<(OrderId, Self)> {
		let labels = listed.labels.unwrap_or_default();
		let lease = labels.get(LEASE_LABEL)?.parse().ok()?;
		let container = Self {
			name: listed.names.into_iter().next()?,
			service: labels.get(SERVICE_LABEL)?.clone(),
			index: labels.get(INSTANCE_LABEL)?.parse().ok()?,
			ports: parse_bindings(labels.get(PORTS_LABEL).map_or("", String::as_str))?,
			gpus: parse_list(labels.get(GPUS_LABEL).map_or("", String::as_str))?,
			running: listed.state == "running",
			pid: listed.pid.filter(|pid| *pid > 0),
			exit_code: listed.exit_code,
		};
		Some((lease, container))
	}
}

/// The scope of the daemon whose data directory is `data_dir`: `ccre-` and 8 hexadecimal
/// digits of a hash of its absolute path, short enough for the engine's names.
pub fn scope_for(data_dir: &Path) -> String {
	let path = std::path::absolute(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
	// FNV-1a: stable across builds and platforms, unlike the standard library's hasher.
	let hash =
		path.as_os_str().as_encoded_bytes().iter().fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| {
			(hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
		});
	format!("ccre-{:08x}", hash >> 32)
}

fn parse_json<T: for<'de> Deserialize<'de>>(action: &str, text: &str) -> Result<T, WorkloadError> {
	let text = if text.trim().is_empty() { "[]" } else { text };
	serde_json::from_str(text).map_err(|error| WorkloadError::Engine {
		action: action.to_string(),
		reason: format!("unreadable output: {error}"),
	})
}

fn strings(parts: &[&str]) -> Vec<String> {
	parts.iter().map(|part| part.to_string()).collect()
}

fn prepend(first: &str, rest: &[String]) -> Vec<String> {
	std::iter::once(first.to_string()).chain(rest.iter().cloned()).collect()
}

fn protocol_name(protocol: Protocol) -> &'static str {
	match protocol {
		Protocol::Tcp => "tcp",
		Protocol::Udp => "udp",
	}
}

/// `8080/tcp=20000,53/udp=20001`.
fn format_bindings(bindings: &[Binding]) -> String {
	let parts: Vec<String> = bindings
		.iter()
		.map(|b| format!("{}/{}={}", b.port, protocol_name(b.protocol), b.host_port))
		.collect();
	parts.join(",")
}

fn parse_bindings(text: &str) -> Option<Vec<Binding>> {
	text.split(',')
		.filter(|part| !part.is_empty())
		.map(|part| {
			let (declared, host_port) = part.split_once('=')?;
			let (port, protocol) = declared.split_once('/')?;
			let protocol = match protocol {
				"tcp" => Protocol::Tcp,
				"udp" => Protocol::Udp,
				_ => return None,
			};
			Some(Binding { port: port.parse().ok()?, protocol, host_port: host_port.parse().ok()? })
		})
		.collect()
}

fn format_list(items: &[u32]) -> String {
	let parts: Vec<String> = items.iter().map(u32::to_string).collect();
	parts.join(",")
}

fn parse_list(text: &str) -> Option<Vec<u32>> {
	text.split(',').filter(|part| !part.is_empty()).map(|part| part.parse().ok()).collect()
}

/// `exit status N`, as the process backend says it.
fn describe_exit(code: i32) -> String {
	format!("exit status {code}")
}

/// The host's GPUs (`/dev/nvidiaN`), by number.
fn host_gpus() -> Vec<u32> {
	let mut gpus: Vec<u32> = std::fs::read_dir("/dev")
		.into_iter()
		.flatten()
		.filter_map(|entry| entry.ok()?.file_name().to_str()?.strip_prefix("nvidia")?.parse().ok())
		.collect();
	gpus.sort_unstable();
	gpus
}

/// The per-user process limit instances get: the host's hard limit, or the number of pids
/// if that is lower (the engine refuses more). Not what limits an instance, since every
/// instance runs as `nobody` and the limit counts them together: the pids limit of each
/// instance's cgroup does that.
fn process_limit() -> u64 {
	let pid_max = std::fs::read_to_string("/proc/sys/kernel/pid_max")
		.ok()
		.and_then(|text| text.trim().parse().ok())
		.unwrap_or(32_768);
	hard_limit(libc::RLIMIT_NPROC).min(pid_max)
}

/// The hard limit of `resource` for this process (what the engine may set at most).
fn hard_limit(resource: libc::__rlimit_resource_t) -> u64 {
	let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
	// SAFETY: `limit` is a valid, writable rlimit.
	if unsafe { libc::getrlimit(resource, &mut limit) } != 0 {
		return 1024;
	}
	limit.rlim_max
}

/// A private file (mode 0600, removed when dropped) holding a registry login for `image`'s
/// registry, in the engine's auth file format.
fn auth_file(image: &str, username: &str, password: &str) -> std::io::Result<NamedTempFile> {
	use base64::Engine as _;
	// A first part with a dot, a colon or `localhost` names the registry; otherwise Docker Hub.
	let registry = image
		.split('/')
		.next()
		.filter(|first| {
			image.contains('/') && (first.contains(['.', ':']) || *first == "localhost")
		})
		.unwrap_or("docker.io");
	let token = base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"));
	let body = serde_json::json!({ "auths": { registry: { "auth": token } } });
	let mut file = tempfile::Builder::new().prefix("ccre-registry-auth").tempfile()?;
	file.write_all(body.to_string().as_bytes())?;
	file.flush()?;
	Ok(file)
}

#[cfg(test)]
mod tests {
	use super::{super::eventually, *};
	use std::{
		io::Read,
		net::TcpListener,
		sync::atomic::{AtomicU32, Ordering},
	};

	const IMAGE: &str = "localhost/ccre/busybox:latest";

	/// A backend of its own scope, on `ports`, as root here runs it (see scripts/setup.sh,
	/// which installs Podman and builds the image).
	fn open(ports: RangeInclusive<u16>) -> Scoped {
		static NEXT: AtomicU32 = AtomicU32::new(0);
		let scope =
			format!("ccre-test-{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
		Scoped(ContainerBackend::open(settings(scope, ports)).expect("the engine answers"))
	}

	/// A backend that tears down what it deployed when dropped, a failed test included.
	struct Scoped(ContainerBackend);

	impl std::ops::Deref for Scoped {
		type Target = ContainerBackend;
		fn deref(&self) -> &ContainerBackend {
			&self.0
		}
	}

	impl Drop for Scoped {
		fn drop(&mut self) {
			for lease in self.0.deployed() {
				let _ = self.0.teardown(lease);
			}
		}
	}

	fn settings(scope: String, ports: RangeInclusive<u16>) -> ContainerSettings {
		ContainerSettings {
			engine: Engine {
				command: vec!["podman".into()],
				timeout: Duration::from_secs(120),
				workdir: std::env::temp_dir().join("ccre-container-tests"),
			},
			firewall: vec!["iptables".into()],
			blocked_networks: crate::config::Containers::default().blocked_networks,
			scope,
			advertised_host: "provider.example".into(),
			publish_address: IpAddr::V4(Ipv4Addr::LOCALHOST),
			ports,
			local_images_only: true,
			pids_limit: 32,
			open_files: 256,
			log_bytes: 64 * 1024,
		}
	}

	fn manifest(yaml: &str) -> Manifest {
		Manifest::parse(yaml.replace("IMAGE", IMAGE).as_bytes()).expect("a valid manifest")
	}

	/// Deploys `manifest` as lease `lease` and waits for its probes to print `probed`: the
	/// lease's logs then.
	fn probed(backend: &ContainerBackend, lease: OrderId, manifest: &Manifest) -> String {
		backend.deploy(lease, manifest).expect("deploys");
		assert!(
			eventually(Duration::from_secs(30), || backend
				.logs(lease, 100)
				.is_ok_and(|logs| logs.contains("probed"))),
			"{:?}",
			backend.logs(lease, 100)
		);
		backend.logs(lease, 100).expect("logs")
	}

	/// What the engine and the firewall hold of `backend`'s scope.
	fn leftovers(backend: &ContainerBackend) -> (String, String, bool) {
		let filter = backend.scope_filter();
		let containers = backend
			.engine(&["ps", "--all", "--filter", &filter, "--format", "{{.Names}}"])
			.expect("ps");
		let networks = backend
			.engine(&["network", "ls", "--filter", &filter, "--format", "{{.Name}}"])
			.expect("network ls");
		let rules = backend.firewall(&["-S".into()]).expect("iptables -S");
		(containers, networks, rules.contains(&backend.settings.scope))
	}

	fn http_get(port: u16) -> String {
		let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connects");
		stream.write_all(b"GET / HTTP/1.0\r\n\r\n").expect("sends");
		let mut response = String::new();
		let _ = stream.read_to_string(&mut response);
		response
	}

	#[test]
	fn a_hostile_workload_is_contained_and_teardown_leaves_nothing() {
		// Something of the provider's listening on every address of the host, as a node's
		// RPC, metrics or gateway may.
		let host_service = TcpListener::bind("0.0.0.0:0").expect("binds");
		host_service.set_nonblocking(true).expect("non-blocking");
		let host_port = host_service.local_addr().expect("address").port();
		std::env::set_var("CCRE_TEST_PROVIDER_SECRET", "hunter2");
		let backend = open(32100..=32199);
		let probes = r#"
version: 1
services:
  web:
    image: IMAGE
    command: [httpd, -f, -p, "${PORT}", -h, /www]
    ports: [{ port: 80 }]
    resources: { cpu_millicores: 250, memory_mib: 32 }
  probe:
    image: IMAGE
    env: { HOST_PORT: "HOSTPORT" }
    command:
      - sh
      - -c
      - |
        echo "user $(id -u)"
        grep -l hunter2 /proc/*/environ 2>/dev/null | wc -l | sed 's/^/secrets /'
        gateway=$(ip route | awk '/default/ { print $3 }')
        if nc -w 2 "$gateway" "$HOST_PORT" </dev/null; then echo "host reached"; else echo "host refused"; fi
        touch /bin/planted 2>/dev/null && echo "root writable" || echo "root read-only"
        dd if=/dev/zero of=/data/fill bs=1M count=64 2>/dev/null; echo "data $(du -m /data/fill | cut -f1) MiB"
        setsid sh -c 'exec sleep 7731' &
        # A fork bomb, in a subshell: the shell gives up at the first fork refused.
        ( for i in $(seq 100); do sleep 7731 & done ) 2>/dev/null
        # Builtins only from here: the bomb took every process the instance may have.
        set -- /proc/[0-9]*; echo "processes $#"
        echo probed
        exec sleep 600
    resources: { cpu_millicores: 250, memory_mib: 32, storage_mib: 16 }
  hog:
    image: IMAGE
    command: [sh, -c, 'echo allocating; dd if=/dev/zero of=/dev/null bs=200M count=1 && echo allocated; sleep 600']
    resources: { cpu_millicores: 100, memory_mib: 16 }
"#
		.replace("HOSTPORT", &host_port.to_string());
		let manifest = manifest(&probes);
		let logs = probed(&backend, 1, &manifest);
		assert_eq!(backend.deploy(1, &manifest), Ok(()), "deploying again changes nothing");
		let rules = backend.firewall(&["-S".into()]).expect("iptables -S");
		let chain = backend.chain_name(1).expect("a short name");
		let ours: Vec<&str> =
			rules.lines().filter(|rule| rule.contains(&backend.settings.scope)).collect();
		assert!(ours.iter().any(|rule| rule.starts_with("-A INPUT") && rule.contains("NEW")));
		assert!(ours.iter().any(|rule| rule.starts_with("-A FORWARD") && rule.ends_with(&chain)));
		let metadata = format!("-A {chain} -d 169.254.0.0/16 -m conntrack --ctstate NEW -j DROP");
		assert!(ours.contains(&metadata.as_str()), "{rules}");
		for expected in ["user 65534", "secrets 0", "host refused", "root read-only", "data 16 MiB"]
		{
			assert!(logs.contains(expected), "{expected:?} in {logs}");
		}
		let processes: u32 = logs
			.lines()
			.find_map(|line| line.strip_prefix("processes ")?.trim().parse().ok())
			.expect("a process count");
		assert!(processes <= 32, "{processes} processes past the limit of 32: {logs}");
		assert!(host_service.accept().is_err(), "nothing reached the host's service");
		// The memory hog's allocation is killed by the engine's limit; the others serve on.
		assert!(eventually(Duration::from_secs(20), || backend
			.logs(1, 100)
			.is_ok_and(|logs| logs.contains("allocating\nKilled"))));
		assert!(!backend.logs(1, 100).expect("logs").contains("allocated"));
		assert!(eventually(Duration::from_secs(10), || backend.ready(1)));
		let (_, endpoints) = backend.status(1).expect("deployed");
		let web = endpoints.iter().find(|e| e.service == "web").expect("web's endpoint");
		assert_eq!((web.host.as_str(), web.port), ("provider.example", 80));
		assert!(http_get(web.host_port).contains("Served from a CCRE lease"));

		backend.teardown(1).expect("tears down");
		assert_eq!(backend.status(1), None);
		assert_eq!(backend.deployed(), Vec::<OrderId>::new());
		assert_eq!(leftovers(&backend), (String::new(), String::new(), false));
		let ps = std::process::Command::new("ps").args(["-eo", "args"]).output().expect("ps");
		assert!(
			!String::from_utf8_lossy(&ps.stdout).contains("sleep 7731"),
			"a daemonized process outlived its lease"
		);
	}

	#[test]
	fn a_reopened_backend_finds_its_containers_and_restarts_the_exited() {
		let ports = 32200..=32299;
		let backend = open(ports.clone());
		let manifest = manifest(
			r#"
version: 1
services:
  web:
    image: IMAGE
    ports: [{ port: 8080 }, { port: 53, protocol: udp }]
    resources: { cpu_millicores: 100, memory_mib: 16 }
  blip:
    image: IMAGE
    command: [sh, -c, 'echo "up $CCRE_SERVICE-$CCRE_INSTANCE port=$PORT"; sleep 1; exit 3']
    resources: { cpu_millicores: 100, memory_mib: 16 }
    count: 2
"#,
		);
		let started = Instant::now();
		backend.deploy(2, &manifest).expect("deploys");
		eprintln!(
			"figure: a lease of 3 containers deployed (network, rule, create, start) in {:?}",
			started.elapsed()
		);
		let before = backend.status(2).expect("deployed");
		assert_eq!(before.0.len(), 3);
		assert_eq!(before.1.len(), 2, "web's two ports");
		let scope = backend.settings.scope.clone();
		// Forgotten, not dropped: its containers stay for the next backend to find.
		std::mem::forget(backend);

		let backend = Scoped(ContainerBackend::open(settings(scope, ports)).expect("reopens"));
		assert_eq!(backend.deployed(), vec![2]);
		assert_eq!(backend.status(2).map(|(_, endpoints)| endpoints), Some(before.1));
		assert!(eventually(Duration::from_secs(30), || {
			backend.supervise();
			backend.status(2).is_some_and(|(instances, _)| {
				instances.iter().filter(|i| i.service == "blip" && i.restarts >= 1).count() == 2
			})
		}));
		let (instances, _) = backend.status(2).expect("deployed");
		let blip = instances.iter().find(|i| i.service == "blip").expect("blip");
		assert_eq!(blip.last_exit.as_deref(), Some("exit status 3"));
		assert!(instances.iter().any(|i| i.service == "web" && i.running && i.restarts == 0));
		let logs = backend.logs(2, 10).expect("logs");
		assert!(logs.contains("==> blip-1 <==\nup blip-1 port="), "{logs}");
		backend.teardown(2).expect("tears down");
		assert_eq!(backend.teardown(2), Ok(()), "teardown is idempotent");
		assert_eq!(leftovers(&backend), (String::new(), String::new(), false));
	}

	#[test]
	fn a_deployment_that_cannot_run_leaves_nothing() {
		let backend = open(32300..=32399);
		let missing = manifest(
			r#"
version: 1
services:
  web:
    image: IMAGE
    resources: { cpu_millicores: 100, memory_mib: 16 }
  app:
    image: registry.example/team/app:1
    resources: { cpu_millicores: 100, memory_mib: 16 }
"#,
		);
		assert!(matches!(
			backend.deploy(3, &missing),
			Err(WorkloadError::ImageUnavailable { service, .. }) if service == "app"
		));
		let gpus = manifest(
			r#"
version: 1
services:
  train:
    image: IMAGE
    resources: { cpu_millicores: 100, memory_mib: 16, gpus: 64 }
"#,
		);
		assert!(matches!(backend.deploy(3, &gpus), Err(WorkloadError::NoGpus { wanted: 64, .. })));
		assert!(backend.deployed().is_empty());
		assert_eq!(leftovers(&backend), (String::new(), String::new(), false));
	}

	/// A host of the provider's private network: a network namespace behind a veth pair,
	/// reached through the host's routing as a machine of its LAN would be, serving HTTP on
	/// `ports`. Removed when dropped.
	struct LanHost {
		servers: Vec<std::process::Child>,
		_www: tempfile::TempDir,
	}

	impl LanHost {
		const NAMESPACE: &str = "ccre-test-lan";
		const LINK: &str = "ccre-tlan0";
		const ADDRESS: &str = "192.168.231.2";

		fn start(ports: &[u16]) -> LanHost {
			Self::remove();
			let ns = |args: &str| format!("ip netns exec {} {args}", Self::NAMESPACE);
			for step in [
				format!("ip netns add {}", Self::NAMESPACE),
				format!("ip link add {} type veth peer name ccre-tlan1", Self::LINK),
				format!("ip link set ccre-tlan1 netns {}", Self::NAMESPACE),
				format!("ip addr add 192.168.231.1/24 dev {}", Self::LINK),
				format!("ip link set {} up", Self::LINK),
				ns(&format!("ip addr add {}/24 dev ccre-tlan1", Self::ADDRESS)),
				ns("ip link set ccre-tlan1 up"),
				ns("ip route add default via 192.168.231.1"),
			] {
				let status = std::process::Command::new("sh").args(["-c", &step]).status();
				assert!(status.is_ok_and(|status| status.success()), "{step}");
			}
			let www = tempfile::tempdir().expect("a temporary directory");
			std::fs::write(www.path().join("index.html"), "lan host\n").expect("written");
			let servers = ports
				.iter()
				.map(|port| {
					std::process::Command::new("ip")
						.args(["netns", "exec", Self::NAMESPACE, "busybox", "httpd", "-f"])
						.args(["-p", &port.to_string(), "-h"])
						.arg(www.path())
						.spawn()
						.expect("busybox httpd starts")
				})
				.collect();
			LanHost { servers, _www: www }
		}

		/// Removes what an earlier run may have left, quietly: usually there is nothing.
		fn remove() {
			for args in [["link", "del", Self::LINK], ["netns", "del", Self::NAMESPACE]] {
				let _ = std::process::Command::new("ip")
					.args(args)
					.stderr(std::process::Stdio::null())
					.status();
			}
		}
	}

	impl Drop for LanHost {
		fn drop(&mut self) {
			for server in &mut self.servers {
				let _ = server.kill();
				let _ = server.wait();
			}
			Self::remove();
		}
	}

	#[test]
	fn a_lease_reaches_no_private_network_but_name_servers() {
		let lan = LanHost::start(&[7777, 53]);
		let backend = open(32400..=32499);
		let manifest = manifest(
			&r#"
version: 1
services:
  probe:
    image: IMAGE
    command:
      - sh
      - -c
      - |
        if nc -w 3 LAN 7777 </dev/null; then echo "lan reached"; else echo "lan refused"; fi
        if nc -w 3 LAN 53 </dev/null; then echo "name server reached"; else echo "name server refused"; fi
        echo probed
        exec sleep 600
    resources: { cpu_millicores: 100, memory_mib: 16 }
"#
			.replace("LAN", LanHost::ADDRESS),
		);
		let logs = probed(&backend, 4, &manifest);
		assert!(logs.contains("lan refused"), "{logs}");
		assert!(logs.contains("name server reached"), "{logs}");
		backend.teardown(4).expect("tears down");
		assert_eq!(leftovers(&backend), (String::new(), String::new(), false));
		drop(lan);
	}

	#[test]
	fn a_lease_can_neither_reach_nor_displace_another() {
		let backend = open(32500..=32599);
		let web = manifest(
			r#"
version: 1
services:
  web:
    image: IMAGE
    command: [httpd, -f, -p, "${PORT}", -h, /www]
    ports: [{ port: 80 }]
    resources: { cpu_millicores: 100, memory_mib: 16 }
"#,
		);
		backend.deploy(5, &web).expect("deploys");
		assert!(eventually(Duration::from_secs(10), || backend.ready(5)));
		let (_, endpoints) = backend.status(5).expect("deployed");
		let host_port = endpoints[0].host_port;
		let format = "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}";
		let neighbour = backend
			.engine(&["inspect", "--format", format, &backend.container_name(5, "web", 0)])
			.expect("inspect");
		let intruder = manifest(
			&r#"
version: 1
services:
  intruder:
    image: IMAGE
    command:
      - sh
      - -c
      - |
        if nc -w 3 NEIGHBOUR 80 </dev/null; then echo "neighbour reached"; else echo "neighbour refused"; fi
        # The neighbour's host port, taken in its own network: the host's is another.
        nc -l -p HOSTPORT </dev/null & sleep 1
        echo probed
        exec sleep 600
    resources: { cpu_millicores: 100, memory_mib: 16 }
"#
			.replace("NEIGHBOUR", neighbour.trim())
			.replace("HOSTPORT", &host_port.to_string()),
		);
		let logs = probed(&backend, 6, &intruder);
		assert!(logs.contains("neighbour refused"), "{logs}");
		assert!(
			http_get(host_port).contains("Served from a CCRE lease"),
			"the neighbour serves on"
		);
		for lease in [5, 6] {
			backend.teardown(lease).expect("tears down");
		}
		assert_eq!(leftovers(&backend), (String::new(), String::new(), false));
	}

	#[test]
	fn labels_read_back_as_written() {
		let bindings = [
			Binding { port: 8080, protocol: Protocol::Tcp, host_port: 20000 },
			Binding { port: 53, protocol: Protocol::Udp, host_port: 20001 },
		];
		assert_eq!(format_bindings(&bindings), "8080/tcp=20000,53/udp=20001");
		assert_eq!(parse_bindings(&format_bindings(&bindings)), Some(bindings.to_vec()));
		assert_eq!(parse_bindings(""), Some(vec![]));
		assert_eq!(parse_bindings("8080/sctp=1"), None);
		assert_eq!(parse_list(&format_list(&[0, 3])), Some(vec![0, 3]));
		assert_eq!(
			LogFormat::K8sFile.messages(
				"2026-12-01T00:00:00Z stdout F one\n2026-12-01T00:00:00Z stderr P tw\n2026-12-01T00:00:00Z stderr F o"
			),
			"one\ntwo"
		);
		assert_eq!(scope_for(Path::new("/var/lib/ccre")), scope_for(Path::new("/var/lib/ccre")));
		assert_ne!(scope_for(Path::new("/var/lib/ccre")), scope_for(Path::new("/var/lib/ccre2")));
		assert_eq!(scope_for(Path::new("/x")).len(), "ccre-".len() + 8);
	}
}
