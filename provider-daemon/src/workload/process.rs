//! The process backend: every instance of a manifest's services a plain process on the host.
//!
//! Under the daemon's workload directory, lease `L` keeps:
//! - `leases/L/deployment.json`: the manifest, the host ports and each instance's process,
//!   rewritten (atomically) after every change, so that a restarted daemon adopts the
//!   instances still running instead of starting them twice;
//! - `leases/L/<service>-<N>/`: instance `N`'s working directory and `HOME`;
//! - `leases/L/<service>-<N>.log`: its stdout and stderr, kept after teardown.
//!
//! Each instance leads its own process group, so signals sent to the daemon do not reach it,
//! it outlives the daemon, and teardown stops whatever it started. Its environment holds
//! only what the manifest and this backend give it (never the daemon's own, which may hold
//! secrets such as the daemon's signing seed). Memory is limited through `RLIMIT_DATA`; CPU
//! is not limited, which needs cgroups (a container backend may follow).

use super::{
	expand, free_port, instance_environment, LogFormat, LogSource, WorkloadBackend, WorkloadError,
};
use ccre_client::gateway::{Endpoint, InstanceStatus};
use ccre_primitives::{
	manifest::{Manifest, Protocol},
	Capacity, OrderId,
};
use serde::{Deserialize, Serialize};
use std::{
	collections::{BTreeMap, BTreeSet},
	ffi::OsStr,
	fmt::Display,
	fs::{self, File, OpenOptions},
	io::{self, Write},
	net::{SocketAddr, TcpStream},
	ops::RangeInclusive,
	os::unix::process::{CommandExt, ExitStatusExt},
	path::{Path, PathBuf},
	process::{Child, Command, ExitStatus, Stdio},
	sync::{Mutex, MutexGuard},
	thread,
	time::{Duration, Instant},
};

/// The file a deployment is persisted in, in its lease's directory.
const DEPLOYMENT_FILE: &str = "deployment.json";

/// Where a deployment is written before it replaces [`DEPLOYMENT_FILE`].
const TEMPORARY_FILE: &str = "deployment.json.tmp";

/// The `PATH` instances get when the daemon has none.
const DEFAULT_PATH: &str = "/usr/local/bin:/usr/bin:/bin";

/// How long teardown lets an instance end on SIGTERM before it sends SIGKILL.
const GRACE_PERIOD: Duration = Duration::from_secs(5);

/// How long teardown waits for instances to end after SIGKILL.
const KILL_WAIT: Duration = Duration::from_secs(1);

/// How often teardown looks whether instances have ended.
const EXIT_POLL: Duration = Duration::from_millis(50);

/// The longest back-off between an instance's exit and its restart.
const MAX_BACK_OFF: Duration = Duration::from_secs(30);

/// How long `ready` waits for a TCP port to accept a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_millis(200);

/// How an adopted instance's exit is described: its exit status went to its former parent.
const GONE: &str = "gone";

/// The manifest's services as plain processes on the host (see the module documentation).
pub struct ProcessBackend {
	/// The daemon's workload directory (absolute, as working directories and `HOME` derive
	/// from it).
	dir: PathBuf,
	/// The host tenants connect to, reported in every endpoint.
	advertised_host: String,
	/// The host ports instances' ports are mapped to.
	ports: RangeInclusive<u16>,
	/// The deployments, by lease.
	deployments: Mutex<BTreeMap<OrderId, Deployment>>,
}

/// A deployment as [`DEPLOYMENT_FILE`] holds it.
#[derive(Serialize, Deserialize)]
struct DeploymentRecord {
	/// The manifest deployed.
	manifest: Manifest,
	/// Its instances, service by service.
	instances: Vec<InstanceRecord>,
}

/// An instance as [`DEPLOYMENT_FILE`] holds it.
#[derive(Serialize, Deserialize)]
struct InstanceRecord {
	/// Its service.
	service: String,
	/// Which instance of the service (0-based).
	instance: u32,
	/// Its ports and the host ports they are mapped to.
	ports: Vec<PortBinding>,
	/// Its process, while it runs.
	pid: Option<u32>,
	/// The process's start time (clock ticks after boot), which tells it from a later
	/// process given the same pid.
	start_time: Option<u64>,
	/// How many times it was restarted.
	restarts: u32,
	/// How it last exited.
	last_exit: Option<String>,
}

/// A declared port and the host port it is mapped to for the deployment's life.
#[derive(Serialize, Deserialize, Clone, Copy, Debug)]
struct PortBinding {
	/// The port as the manifest declares it.
	port: u16,
	/// Its protocol.
	protocol: Protocol,
	/// The host port.
	host_port: u16,
}

/// A deployment in memory.
struct Deployment {
	/// The manifest deployed.
	manifest: Manifest,
	/// Its instances, service by service.
	instances: Vec<Instance>,
	/// Whether it changed since it was last persisted.
	dirty: bool,
	/// Whether it is being torn down: nothing of it is restarted any more.
	stopping: bool,
}

/// One instance of a service.
struct Instance {
	/// Its service.
	service: String,
	/// Which instance of the service (0-based).
	index: u32,
	/// Its ports and the host ports they are mapped to.
	ports: Vec<PortBinding>,
	/// Its process, while it runs (as far as was last looked).
	process: Option<Process>,
	/// How many times it was restarted (or a restart was tried).
	restarts: u32,
	/// How it last exited.
	last_exit: Option<String>,
	/// When its exit was noticed; `None` when unknown (found dead on opening), which lets
	/// it restart at once.
	exited_at: Option<Instant>,
}

/// An instance's running process.
enum Process {
	/// Spawned by this backend, which reaps it.
	Child {
		/// The child.
		child: Child,
		/// Its start time, if `/proc` told it.
		start_time: Option<u64>,
	},
	/// Found running when the backend opened: watched through `/proc`, since another
	/// process (the daemon before this one) was its parent.
	Adopted {
		/// Its pid.
		pid: u32,
		/// Its start time, which tells it from a later process given the same pid.
		start_time: u64,
	},
}

/// How to start one instance: its command expanded and its environment built.
struct Launch {
	/// The instance's service.
	service: String,
	/// The program.
	program: String,
	/// Its arguments.
	args: Vec<String>,
	/// Its whole environment.
	env: BTreeMap<String, String>,
	/// Its working directory.
	workdir: PathBuf,
	/// The file its output is appended to.
	log: PathBuf,
	/// Its `RLIMIT_DATA`, in bytes, if the service names its memory.
	data_limit: Option<u64>,
}

impl ProcessBackend {
	/// Opens the backend on the workload directory `dir`, adopting the instances of every
	/// persisted deployment whose process still runs; those that do not are restarted at the
	/// next [`WorkloadBackend::supervise`]. Instances' ports are mapped to host ports of
	/// `ports`, and endpoints name `advertised_host`.
	pub fn open(
		dir: PathBuf,
		advertised_host: String,
		ports: RangeInclusive<u16>,
	) -> Result<Self, WorkloadError> {
		let dir = std::path::absolute(&dir).map_err(io_error(&dir))?;
		let leases = dir.join("leases");
		fs::create_dir_all(&leases).map_err(io_error(&leases))?;
		let mut deployments = BTreeMap::new();
		for entry in fs::read_dir(&leases).map_err(io_error(&leases))? {
			let entry = entry.map_err(io_error(&leases))?;
			let Some(lease) =
				entry.file_name().to_str().and_then(|name| name.parse::<OrderId>().ok())
			else {
				continue;
			};
			let path = entry.path().join(DEPLOYMENT_FILE);
			let bytes = match fs::read(&path) {
				Ok(bytes) => bytes,
				// Torn down: only its logs are left.
				Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
				Err(error) => return Err(io_error(&path)(error)),
			};
			// A deployment that cannot be read is an error rather than skipped: forgetting it
			// would leave its processes running unwatched, holding their ports.
			let record: DeploymentRecord =
				serde_json::from_slice(&bytes).map_err(io_error(&path))?;
			deployments.insert(lease, Deployment::adopt(record));
		}
		Ok(Self { dir, advertised_host, ports, deployments: Mutex::new(deployments) })
	}

	fn lock(&self) -> MutexGuard<'_, BTreeMap<OrderId, Deployment>> {
		// A panic while the lock was held leaves every deployment whole (each change is a
		// field assignment), so the state stays usable.
		crate::lock(&self.deployments)
	}

	fn lease_dir(&self, lease: OrderId) -> PathBuf {
		self.dir.join("leases").join(lease.to_string())
	}

	/// How to start `instance` of `lease`, whose manifest is `manifest`.
	fn launch(
		&self,
		lease: OrderId,
		manifest: &Manifest,
		instance: &Instance,
	) -> Result<Launch, WorkloadError> {
		let name = &instance.service;
		let service = manifest.services.get(name).ok_or_else(|| WorkloadError::Spawn {
			service: name.clone(),
			reason: "the manifest has no such service".into(),
		})?;
		let lease_dir = self.lease_dir(lease);
		let workdir = lease_dir.join(instance.label());
		let mut env = BTreeMap::new();
		env.insert(
			"PATH".to_string(),
			std::env::var("PATH").unwrap_or_else(|_| DEFAULT_PATH.to_string()),
		);
		// Lossy only for a non-UTF-8 workload directory, which an operator has no reason to
		// choose.
		env.insert("HOME".to_string(), workdir.to_string_lossy().into_owned());
		// A process listens on its host port itself.
		let listening = instance.ports.iter().map(|binding| (binding.port, binding.host_port));
		env.extend(instance_environment(lease, name, instance.index, service, listening));
		let (program, args) =
			service.command.split_first().ok_or_else(|| WorkloadError::Spawn {
				service: name.clone(),
				reason: "the process backend runs a command, and the service names none".into(),
			})?;
		Ok(Launch {
			service: name.clone(),
			program: expand(program, &env, name)?,
			args: args.iter().map(|arg| expand(arg, &env, name)).collect::<Result<_, _>>()?,
			workdir,
			log: lease_dir.join(format!("{}.log", instance.label())),
			data_limit: service
				.resources
				.capacity(Capacity::MemoryMib)
				.map(|mib| mib.saturating_mul(1024 * 1024)),
			env,
		})
	}

	/// Writes `deployment` to its [`DEPLOYMENT_FILE`], atomically: a reader (the next daemon)
	/// finds the old version or the new one, never a mix.
	fn persist(&self, lease: OrderId, deployment: &Deployment) -> Result<(), WorkloadError> {
		let lease_dir = self.lease_dir(lease);
		fs::create_dir_all(&lease_dir).map_err(io_error(&lease_dir))?;
		let record = DeploymentRecord {
			manifest: deployment.manifest.clone(),
			instances: deployment.instances.iter().map(Instance::record).collect(),
		};
		let temporary = lease_dir.join(TEMPORARY_FILE);
		let bytes = serde_json::to_vec_pretty(&record).map_err(io_error(&temporary))?;
		let mut file = File::create(&temporary).map_err(io_error(&temporary))?;
		file.write_all(&bytes).and_then(|()| file.sync_all()).map_err(io_error(&temporary))?;
		let path = lease_dir.join(DEPLOYMENT_FILE);
		fs::rename(&temporary, &path).map_err(io_error(&path))
	}
}

impl WorkloadBackend for ProcessBackend {
	fn deploy(&self, lease: OrderId, manifest: &Manifest) -> Result<(), WorkloadError> {
		// Held throughout, so that two deployments cannot pick the same host ports.
		let mut deployments = self.lock();
		if deployments.contains_key(&lease) {
			return Ok(());
		}
		let mut taken: BTreeSet<u16> = deployments
			.values()
			.flat_map(|deployment| &deployment.instances)
			.flat_map(|instance| instance.ports.iter().map(|binding| binding.host_port))
			.collect();
		let mut instances = Vec::new();
		for (name, service) in &manifest.services {
			for index in 0..service.count {
				let mut ports = Vec::with_capacity(service.ports.len());
				for declared in &service.ports {
					let host_port = free_port(&self.ports, declared.protocol, &taken)
						.ok_or(WorkloadError::NoFreePort)?;
					taken.insert(host_port);
					ports.push(PortBinding {
						port: declared.port,
						protocol: declared.protocol,
						host_port,
					});
				}
				instances.push(Instance::new(name.clone(), index, ports));
			}
		}
		// Every command is expanded before any instance starts, so that a mistake in one
		// leaves nothing running.
		let launches = instances
			.iter()
			.map(|instance| self.launch(lease, manifest, instance))
			.collect::<Result<Vec<_>, _>>()?;
		let mut deployment =
			Deployment { manifest: manifest.clone(), instances, dirty: false, stopping: false };
		let started =
			deployment.instances.iter_mut().zip(&launches).try_for_each(|(instance, launch)| {
				instance.process = Some(launch.spawn()?);
				Ok::<(), WorkloadError>(())
			});
		// Running but not persisted would be unknown to the next daemon: all or nothing.
		let outcome = started.and_then(|()| self.persist(lease, &deployment));
		if let Err(error) = outcome {
			stop(deployment.take_processes(), Duration::ZERO);
			return Err(error);
		}
		deployments.insert(lease, deployment);
		Ok(())
	}

	fn status(&self, lease: OrderId) -> Option<(Vec<InstanceStatus>, Vec<Endpoint>)> {
		let mut deployments = self.lock();
		let deployment = deployments.get_mut(&lease)?;
		deployment.refresh();
		let instances = deployment.instances.iter().map(Instance::status).collect();
		let endpoints = deployment
			.instances
			.iter()
			.flat_map(|instance| {
				instance.ports.iter().map(|binding| Endpoint {
					service: instance.service.clone(),
					instance: instance.index,
					port: binding.port,
					protocol: binding.protocol,
					host: self.advertised_host.clone(),
					host_port: binding.host_port,
				})
			})
			.collect();
		Some((instances, endpoints))
	}

	fn ready(&self, lease: OrderId) -> bool {
		let tcp_ports: Vec<u16> = {
			let mut deployments = self.lock();
			let Some(deployment) = deployments.get_mut(&lease) else {
				return false;
			};
			deployment.refresh();
			if deployment.stopping
				|| deployment.instances.iter().any(|instance| instance.process.is_none())
			{
				return false;
			}
			deployment
				.instances
				.iter()
				.flat_map(|instance| &instance.ports)
				.filter(|binding| binding.protocol == Protocol::Tcp)
				.map(|binding| binding.host_port)
				.collect()
		};
		// Without the lock: connection attempts must not stall the other leases.
		tcp_ports.into_iter().all(|port| {
			TcpStream::connect_timeout(&SocketAddr::from(([127, 0, 0, 1], port)), CONNECT_TIMEOUT)
				.is_ok()
		})
	}

	fn supervise(&self) -> u32 {
		let now = Instant::now();
		let mut deployments = self.lock();
		let mut restarted = 0;
		for (&lease, deployment) in deployments.iter_mut() {
			if deployment.stopping {
				continue;
			}
			deployment.refresh();
			for instance in &mut deployment.instances {
				if instance.process.is_some() || !instance.back_off_passed(now) {
					continue;
				}
				instance.restarts = instance.restarts.saturating_add(1);
				match self
					.launch(lease, &deployment.manifest, instance)
					.and_then(|launch| launch.spawn())
				{
					Ok(process) => {
						instance.process = Some(process);
						restarted += 1;
					},
					// Counted as a restart all the same, so that the back-off grows.
					Err(error) => {
						instance.last_exit = Some(format!("restart failed: {error}"));
						instance.exited_at = Some(now);
					},
				}
				deployment.dirty = true;
			}
			// A failed write stays dirty and is tried again at the next call.
			if deployment.dirty && self.persist(lease, deployment).is_ok() {
				deployment.dirty = false;
			}
		}
		restarted
	}

	fn teardown(&self, lease: OrderId) -> Result<(), WorkloadError> {
		let processes = {
			let mut deployments = self.lock();
			let Some(deployment) = deployments.get_mut(&lease) else {
				return Ok(());
			};
			deployment.stopping = true;
			deployment.take_processes()
		};
		// Without the lock: the grace period must not stall the other leases.
		stop(processes, GRACE_PERIOD);
		let path = self.lease_dir(lease).join(DEPLOYMENT_FILE);
		match fs::remove_file(&path) {
			Ok(()) => {},
			Err(error) if error.kind() == io::ErrorKind::NotFound => {},
			// The deployment stays listed, stopped, so that teardown can be tried again.
			Err(error) => return Err(io_error(&path)(error)),
		}
		self.lock().remove(&lease);
		Ok(())
	}

	fn log_sources(&self, lease: OrderId) -> Result<Vec<LogSource>, WorkloadError> {
		// Read from the directory rather than the deployment, so that logs outlive teardown.
		let lease_dir = self.lease_dir(lease);
		let entries = match fs::read_dir(&lease_dir) {
			Ok(entries) => entries,
			Err(error) if error.kind() == io::ErrorKind::NotFound => {
				return Err(WorkloadError::UnknownLease(lease))
			},
			Err(error) => return Err(io_error(&lease_dir)(error)),
		};
		let mut logs = Vec::new();
		for entry in entries {
			let path = entry.map_err(io_error(&lease_dir))?.path();
			if let Some(instance) = instance_of_log(&path) {
				logs.push((instance, path));
			}
		}
		logs.sort();
		Ok(logs
			.into_iter()
			.map(|((service, index), path)| LogSource {
				label: format!("{service}-{index}"),
				path,
				format: LogFormat::Plain,
			})
			.collect())
	}

	fn deployed(&self) -> Vec<OrderId> {
		self.lock().keys().copied().collect()
	}
}

impl Deployment {
	/// The deployment `record` describes, adopting the instances whose process still runs.
	fn adopt(record: DeploymentRecord) -> Self {
		let mut dirty = false;
		let instances = record
			.instances
			.into_iter()
			.map(|instance| {
				let process = match (instance.pid, instance.start_time) {
					(Some(pid), Some(start_time))
						if pid > 1 && live_start_time(pid) == Some(start_time) =>
					{
						Some(Process::Adopted { pid, start_time })
					},
					_ => None,
				};
				let last_exit = if instance.pid.is_some() && process.is_none() {
					dirty = true;
					Some(GONE.to_string())
				} else {
					instance.last_exit
				};
				Instance {
					service: instance.service,
					index: instance.instance,
					ports: instance.ports,
					process,
					restarts: instance.restarts,
					last_exit,
					exited_at: None,
				}
			})
			.collect();
		Self { manifest: record.manifest, instances, dirty, stopping: false }
	}

	/// Notes the instances whose process has exited since it was last looked at.
	fn refresh(&mut self) {
		let now = Instant::now();
		for instance in &mut self.instances {
			let Some(process) = &mut instance.process else {
				continue;
			};
			if let Some(exit) = process.exit() {
				instance.process = None;
				instance.last_exit = Some(exit);
				instance.exited_at = Some(now);
				self.dirty = true;
			}
		}
	}

	/// Takes the instances' processes, to stop them.
	fn take_processes(&mut self) -> Vec<Process> {
		self.instances.iter_mut().filter_map(|instance| instance.process.take()).collect()
	}
}

impl Instance {
	/// Instance `index` of `service`, not started yet.
	fn new(service: String, index: u32, ports: Vec<PortBinding>) -> Self {
		Self { service, index, ports, process: None, restarts: 0, last_exit: None, exited_at: None }
	}

	/// `<service>-<index>`: its working directory's and log's name.
	fn label(&self) -> String {
		format!("{}-{}", self.service, self.index)
	}

	/// Whether its back-off, `min(2^restarts, 30)` seconds after its exit, has passed.
	fn back_off_passed(&self, now: Instant) -> bool {
		let back_off = Duration::from_secs(1 << self.restarts.min(5)).min(MAX_BACK_OFF);
		self.exited_at.is_none_or(|exited| now.saturating_duration_since(exited) >= back_off)
	}

	fn record(&self) -> InstanceRecord {
		InstanceRecord {
			service: self.service.clone(),
			instance: self.index,
			ports: self.ports.clone(),
			pid: self.process.as_ref().map(Process::pid),
			start_time: self.process.as_ref().and_then(Process::start_time),
			restarts: self.restarts,
			last_exit: self.last_exit.clone(),
		}
	}

	fn status(&self) -> InstanceStatus {
		InstanceStatus {
			service: self.service.clone(),
			instance: self.index,
			pid: self.process.as_ref().map(Process::pid),
			running: self.process.is_some(),
			restarts: self.restarts,
			last_exit: self.last_exit.clone(),
		}
	}
}

impl Process {
	fn pid(&self) -> u32 {
		match self {
			Self::Child { child, .. } => child.id(),
			Self::Adopted { pid, .. } => *pid,
		}
	}

	fn start_time(&self) -> Option<u64> {
		match self {
			Self::Child { start_time, .. } => *start_time,
			Self::Adopted { start_time, .. } => Some(*start_time),
		}
	}

	/// How it ended (`exit status 1`, `signal 9`, `gone`), or `None` while it runs.
	fn exit(&mut self) -> Option<String> {
		let start_time = self.start_time();
		match self {
			Self::Child { child, .. } => match child.try_wait() {
				Ok(Some(status)) => Some(describe_exit(status)),
				Ok(None) => None,
				// Not ours to wait for any more (it cannot happen to a child that was not
				// waited for); `/proc` still tells whether it lives.
				Err(_) => gone(child.id(), start_time),
			},
			Self::Adopted { pid, .. } => gone(*pid, start_time),
		}
	}

	/// Sends `signal` to its process group (whose id is its pid: it was spawned leading its
	/// own group), reaching whatever it started too.
	fn signal_group(&self, signal: libc::c_int) {
		let Ok(group) = libc::pid_t::try_from(self.pid()) else {
			return;
		};
		// Never 0 (the daemon's own group) nor 1 (-1 means every process).
		if group > 1 {
			// SAFETY: kill(2) takes no pointers and has no memory-safety preconditions.
			unsafe {
				libc::kill(-group, signal);
			}
		}
	}
}

impl Launch {
	/// Starts the instance in its own process group, with output appended to its log.
	fn spawn(&self) -> Result<Process, WorkloadError> {
		fs::create_dir_all(&self.workdir).map_err(io_error(&self.workdir))?;
		let log = OpenOptions::new()
			.create(true)
			.append(true)
			.open(&self.log)
			.map_err(io_error(&self.log))?;
		let log_for_stderr = log.try_clone().map_err(io_error(&self.log))?;
		let mut command = Command::new(&self.program);
		command
			.args(&self.args)
			.env_clear()
			.envs(&self.env)
			.current_dir(&self.workdir)
			.stdin(Stdio::null())
			.stdout(log)
			.stderr(log_for_stderr)
			.process_group(0);
		if let Some(bytes) = self.data_limit {
			// rlim_t is 64 bits on the Linux targets the daemon runs on.
			let bytes = bytes as libc::rlim_t;
			// SAFETY: the closure runs in the child between fork and exec, where only
			// async-signal-safe functions may be called; it calls only getrlimit and
			// setrlimit (plain system calls), allocates nothing and takes no lock.
			unsafe {
				command.pre_exec(move || {
					limit_data_segment(bytes);
					Ok(())
				});
			}
		}
		let child = command.spawn().map_err(|error| WorkloadError::Spawn {
			service: self.service.clone(),
			reason: format!("{}: {error}", self.program),
		})?;
		let start_time = proc_stat(child.id()).map(|(_, start_time)| start_time);
		Ok(Process::Child { child, start_time })
	}
}

/// Lowers this process's `RLIMIT_DATA` (soft and hard, so that the tenant cannot raise it
/// back) to `bytes`, or to the hard limit the host already sets if that is lower. Best
/// effort: a host refusing it leaves the instance unlimited rather than not started.
fn limit_data_segment(bytes: libc::rlim_t) {
	let mut current = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
	// SAFETY: `current` is a valid, writable rlimit.
	if unsafe { libc::getrlimit(libc::RLIMIT_DATA, &mut current) } != 0 {
		return;
	}
	let limit = bytes.min(current.rlim_max);
	let wanted = libc::rlimit { rlim_cur: limit, rlim_max: limit };
	// SAFETY: `wanted` is a valid rlimit.
	unsafe {
		libc::setrlimit(libc::RLIMIT_DATA, &wanted);
	}
}

/// Stops `processes`: SIGTERM to their groups, then SIGKILL to what is left once they all
/// ended or `grace` passed, then waits a little for them to be gone (reaping children).
fn stop(mut processes: Vec<Process>, grace: Duration) {
	for process in &processes {
		process.signal_group(libc::SIGTERM);
	}
	wait_for_exits(&mut processes, Instant::now() + grace);
	// To the groups even of leaders that ended: what they started may still run, or ignore
	// SIGTERM.
	for process in &processes {
		process.signal_group(libc::SIGKILL);
	}
	wait_for_exits(&mut processes, Instant::now() + KILL_WAIT);
}

/// Waits until every process has ended or `deadline` passes.
fn wait_for_exits(processes: &mut [Process], deadline: Instant) {
	while !processes.iter_mut().all(|process| process.exit().is_some()) && Instant::now() < deadline
	{
		thread::sleep(EXIT_POLL);
	}
}

/// [`GONE`] unless process `pid` is alive and started at `start_time`.
fn gone(pid: u32, start_time: Option<u64>) -> Option<String> {
	let alive = start_time.is_some() && live_start_time(pid) == start_time;
	(!alive).then(|| GONE.to_string())
}

/// `exit status N` or `signal N`.
fn describe_exit(status: ExitStatus) -> String {
	match (status.code(), status.signal()) {
		(Some(code), _) => format!("exit status {code}"),
		(None, Some(signal)) => format!("signal {signal}"),
		(None, None) => status.to_string(),
	}
}

/// Process `pid`'s state letter and start time (clock ticks after boot), from
/// `/proc/<pid>/stat`.
fn proc_stat(pid: u32) -> Option<(char, u64)> {
	let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
	// The command name (field 2) is in parentheses and may hold spaces and parentheses
	// itself, so fields are counted from the last `)`.
	let (_, after_name) = stat.rsplit_once(')')?;
	let mut fields = after_name.split_whitespace();
	let state = fields.next()?.chars().next()?;
	// The state is field 3; the start time is field 22.
	let start_time = fields.nth(18)?.parse().ok()?;
	Some((state, start_time))
}

/// Process `pid`'s start time if it is alive: it exists and is not a zombie (whose exit
/// nobody has collected yet) nor dead.
fn live_start_time(pid: u32) -> Option<u64> {
	proc_stat(pid)
		.filter(|(state, _)| !matches!(state, 'Z' | 'X' | 'x'))
		.map(|(_, start_time)| start_time)
}

/// The service and instance whose output the file at `path` holds, if it is an instance's
/// log (`<service>-<instance>.log`).
fn instance_of_log(path: &Path) -> Option<(String, u32)> {
	if path.extension().and_then(OsStr::to_str) != Some("log") {
		return None;
	}
	let (service, index) = path.file_stem()?.to_str()?.rsplit_once('-')?;
	Some((service.to_string(), index.parse().ok()?))
}

/// Maps an error about `path` to [`WorkloadError::Io`].
fn io_error<E: Display>(path: &Path) -> impl FnOnce(E) -> WorkloadError + '_ {
	move |error| WorkloadError::Io { path: path.to_path_buf(), reason: error.to_string() }
}

#[cfg(test)]
mod tests {
	use super::{super::eventually, *};
	use std::io::Read;
	use std::net::Shutdown;

	const HOST: &str = "provider.example";

	fn open(dir: &Path, ports: RangeInclusive<u16>) -> ProcessBackend {
		ProcessBackend::open(dir.to_path_buf(), HOST.into(), ports).expect("opens")
	}

	fn manifest(yaml: &str) -> Manifest {
		Manifest::parse(yaml.as_bytes()).expect("a valid manifest")
	}

	fn pids(backend: &ProcessBackend, lease: OrderId) -> Vec<u32> {
		let (instances, _) = backend.status(lease).expect("deployed");
		instances.iter().filter_map(|instance| instance.pid).collect()
	}

	#[test]
	fn instances_get_their_own_ports_and_only_their_own_environment() {
		std::env::set_var("CCRE_TEST_SECRET", "hunter2");
		let dir = tempfile::tempdir().expect("a temporary directory");
		let backend = open(dir.path(), 31000..=31099);
		let manifest = manifest(
			r#"
version: 1
services:
  echo:
    image: localhost/ccre/busybox:latest
    command: [sh, -c, 'echo port=$PORT named=$PORT_8080 lease=$CCRE_LEASE service=$CCRE_SERVICE instance=$CCRE_INSTANCE home=$HOME greeting=$GREETING secret=$CCRE_TEST_SECRET; exec sleep 60']
    env: { GREETING: hello }
    ports: [{ port: 8080 }]
    resources: { cpu_millicores: 100, memory_mib: 64 }
    count: 2
"#,
		);
		backend.deploy(7, &manifest).expect("deploys");
		assert_eq!(backend.deploy(7, &manifest), Ok(()), "deploying again changes nothing");
		assert_eq!(backend.deployed(), vec![7]);

		let (instances, endpoints) = backend.status(7).expect("deployed");
		assert_eq!(instances.len(), 2);
		assert!(instances.iter().all(|instance| instance.running && instance.pid.is_some()));
		assert_eq!(endpoints.len(), 2);
		assert_ne!(endpoints[0].host_port, endpoints[1].host_port);
		for endpoint in &endpoints {
			assert!((31000..=31099).contains(&endpoint.host_port));
			assert_eq!((endpoint.host.as_str(), endpoint.port), (HOST, 8080));
			let home = dir.path().join("leases/7").join(format!("echo-{}", endpoint.instance));
			let expected = format!(
				"port={port} named={port} lease=7 service=echo instance={instance} home={home} greeting=hello secret=\n",
				port = endpoint.host_port,
				instance = endpoint.instance,
				home = home.display(),
			);
			assert!(
				eventually(Duration::from_secs(5), || backend
					.logs(7, 10)
					.is_ok_and(|logs| logs.contains(&expected))),
				"{expected:?} in {:?}",
				backend.logs(7, 10)
			);
		}
		let logs = backend.logs(7, 10).expect("logs");
		assert!(logs.starts_with("==> echo-0 <==\n"), "{logs}");
		assert!(logs.contains("\n\n==> echo-1 <==\n"), "{logs}");
		assert!(!logs.contains("hunter2"), "{logs}");

		backend.teardown(7).expect("tears down");
		assert_eq!(backend.status(7), None);
	}

	#[test]
	fn an_http_server_becomes_ready_and_answers() {
		let dir = tempfile::tempdir().expect("a temporary directory");
		let backend = open(dir.path(), 31100..=31199);
		let manifest = manifest(
			r#"
version: 1
services:
  web:
    image: localhost/ccre/busybox:latest
    command: [python3, -m, http.server, "${PORT}", --bind, 127.0.0.1]
    ports: [{ port: 8000 }]
    resources: { memory_mib: 256, cpu_millicores: 500 }
"#,
		);
		backend.deploy(2, &manifest).expect("deploys");
		assert!(
			eventually(Duration::from_secs(10), || backend.ready(2)),
			"not ready: {:?}",
			backend.logs(2, 20)
		);
		let (_, endpoints) = backend.status(2).expect("deployed");
		let mut stream =
			TcpStream::connect(("127.0.0.1", endpoints[0].host_port)).expect("connects");
		stream.write_all(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n").expect("sends");
		stream.shutdown(Shutdown::Write).expect("shuts down");
		let mut response = String::new();
		stream.read_to_string(&mut response).expect("reads");
		assert!(response.starts_with("HTTP/1.0 200"), "{response}");

		backend.teardown(2).expect("tears down");
		assert!(!backend.ready(2));
	}

	#[test]
	fn a_killed_instance_is_restarted_after_its_back_off() {
		let dir = tempfile::tempdir().expect("a temporary directory");
		let backend = open(dir.path(), 31200..=31299);
		let manifest = manifest(
			r#"
version: 1
services:
  worker:
    image: localhost/ccre/busybox:latest
    command: [sleep, "60"]
    resources: { cpu_millicores: 100, memory_mib: 64 }
"#,
		);
		backend.deploy(3, &manifest).expect("deploys");
		let first = pids(&backend, 3);
		assert_eq!(first.len(), 1);
		assert_eq!(backend.supervise(), 0, "nothing exited");
		let pid = libc::pid_t::try_from(first[0]).expect("a pid");
		// SAFETY: kill(2) has no memory-safety preconditions.
		assert_eq!(unsafe { libc::kill(pid, libc::SIGKILL) }, 0);

		let mut restarted = 0;
		assert!(eventually(Duration::from_secs(5), || {
			restarted += backend.supervise();
			pids(&backend, 3).first().is_some_and(|pid| *pid != first[0])
		}));
		assert_eq!(restarted, 1);
		let (instances, _) = backend.status(3).expect("deployed");
		assert!(instances[0].running);
		assert_eq!(instances[0].restarts, 1);
		assert_eq!(instances[0].last_exit.as_deref(), Some("signal 9"));

		backend.teardown(3).expect("tears down");
	}

	#[test]
	fn a_reopened_backend_adopts_running_instances_and_can_tear_them_down() {
		let dir = tempfile::tempdir().expect("a temporary directory");
		let ports = 31300..=31399;
		let backend = open(dir.path(), ports.clone());
		let manifest = manifest(
			r#"
version: 1
services:
  worker:
    image: localhost/ccre/busybox:latest
    command: [sleep, "60"]
    ports: [{ port: 9000, protocol: udp }]
    resources: { cpu_millicores: 100, memory_mib: 64 }
"#,
		);
		backend.deploy(4, &manifest).expect("deploys");
		let before = backend.status(4).expect("deployed");
		drop(backend);

		let backend = open(dir.path(), ports.clone());
		assert_eq!(backend.deployed(), vec![4]);
		assert_eq!(backend.status(4), Some(before.clone()), "same process, same ports");
		assert_eq!(backend.supervise(), 0, "the adopted instance runs");
		let pid = before.0[0].pid.expect("a pid");
		assert!(live_start_time(pid).is_some());

		backend.teardown(4).expect("tears down");
		assert_eq!(live_start_time(pid), None, "the process is gone");
		assert!(backend.deployed().is_empty());
		assert_eq!(backend.teardown(4), Ok(()), "teardown is idempotent");
		assert!(backend.logs(4, 10).is_ok(), "logs are kept");
		assert!(open(dir.path(), ports).deployed().is_empty());
	}

	#[test]
	fn an_unknown_variable_starts_nothing() {
		let dir = tempfile::tempdir().expect("a temporary directory");
		let backend = open(dir.path(), 31400..=31499);
		let manifest = manifest(
			r#"
version: 1
services:
  a:
    image: localhost/ccre/busybox:latest
    command: [sleep, "60"]
    resources: { cpu_millicores: 100, memory_mib: 64 }
  b:
    image: localhost/ccre/busybox:latest
    command: [echo, "${NOPE}"]
    resources: { cpu_millicores: 100, memory_mib: 64 }
"#,
		);
		assert_eq!(
			backend.deploy(5, &manifest),
			Err(WorkloadError::UnknownVariable { service: "b".into(), name: "NOPE".into() })
		);
		assert!(backend.deployed().is_empty());
		assert_eq!(backend.status(5), None);
		assert!(!dir.path().join("leases/5/a-0.log").exists(), "a never started");
		assert_eq!(backend.logs(5, 10), Err(WorkloadError::UnknownLease(5)));
	}

	#[test]
	fn teardown_kills_what_ignores_sigterm_after_the_grace_period() {
		let dir = tempfile::tempdir().expect("a temporary directory");
		let backend = open(dir.path(), 31500..=31599);
		let manifest = manifest(
			r#"
version: 1
services:
  stubborn:
    image: localhost/ccre/busybox:latest
    command: [sh, -c, 'trap "" TERM; echo trapped; exec sleep 60']
    resources: { cpu_millicores: 100, memory_mib: 64 }
"#,
		);
		backend.deploy(6, &manifest).expect("deploys");
		// SIGTERM before the trap is set would end it at once.
		assert!(eventually(Duration::from_secs(5), || backend
			.logs(6, 10)
			.is_ok_and(|logs| logs.contains("trapped"))));
		let pid = pids(&backend, 6)[0];

		let started = Instant::now();
		backend.teardown(6).expect("tears down");
		let took = started.elapsed();
		assert!(took >= GRACE_PERIOD - Duration::from_millis(100), "{took:?}");
		assert!(took < GRACE_PERIOD + Duration::from_secs(2), "{took:?}");
		assert_eq!(live_start_time(pid), None, "the process is gone");
	}

	#[test]
	fn logs_are_named_by_service_and_instance() {
		let dir = Path::new("/data/leases/7");
		assert_eq!(instance_of_log(&dir.join("web-0.log")), Some(("web".into(), 0)));
		assert_eq!(instance_of_log(&dir.join("my-web-12.log")), Some(("my-web".into(), 12)));
		assert_eq!(instance_of_log(&dir.join(DEPLOYMENT_FILE)), None);
	}
}
