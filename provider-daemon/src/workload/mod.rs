//! Workloads: how the daemon runs the services of a lease's manifest.
//!
//! A [`WorkloadBackend`] starts a deployment's instances, reports their state and endpoints,
//! restarts those that exit and stops them when the lease closes. Two backends exist:
//! - [`container`]: every instance a container of an existing engine (Podman), isolated and
//!   limited; what providers run.
//! - [`process`]: every instance a plain process on the host, as the provider's user. Unsafe
//!   with strangers' code: for a developer's own machine only.

pub mod container;
pub mod engine;
pub mod process;

use ccre_client::gateway::{Endpoint, InstanceStatus};
use ccre_primitives::{
	manifest::{Manifest, Protocol, Service},
	OrderId,
};
use std::{
	collections::{BTreeMap, BTreeSet},
	fmt,
	fs::File,
	io::{self, Read, Seek, SeekFrom},
	net::{SocketAddr, TcpListener, UdpSocket},
	ops::RangeInclusive,
	path::{Path, PathBuf},
};

/// The most lines a log tail returns, however many are asked for.
pub const MAX_TAIL_LINES: usize = 10_000;

/// The most bytes a log tail reads from the end of a log.
pub const MAX_TAIL_BYTES: u64 = 1024 * 1024;

/// Where one instance's output is written.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct LogSource {
	/// `service-N`.
	pub label: String,
	/// The file.
	pub path: PathBuf,
	/// How its lines are written.
	pub format: LogFormat,
}

/// How a log file's lines are written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LogFormat {
	/// The instance's output as it wrote it.
	Plain,
	/// The engine's k8s-file format: `<time> <stream> <F|P> <message>`, a partial line (`P`)
	/// continued by the next.
	K8sFile,
}

impl LogFormat {
	/// The instance's own output in `text`, whole lines of the file.
	pub fn messages(self, text: &str) -> String {
		match self {
			Self::Plain => text.to_string(),
			Self::K8sFile => {
				let mut out = String::with_capacity(text.len());
				for line in text.lines() {
					let mut fields = line.splitn(4, ' ');
					let (_time, _stream, tag) = (fields.next(), fields.next(), fields.next());
					out.push_str(fields.next().unwrap_or(""));
					if tag != Some("P") {
						out.push('\n');
					}
				}
				if out.ends_with('\n') {
					out.pop();
				}
				out
			},
		}
	}
}

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
	/// The container engine failed an action.
	Engine {
		/// What it was asked to do (its first argument).
		action: String,
		/// What it said.
		reason: String,
	},
	/// A service's image is not on the host and could not be pulled.
	ImageUnavailable {
		/// The service.
		service: String,
		/// The image.
		image: String,
		/// Why.
		reason: String,
	},
	/// A service asks for more GPUs than the host has free.
	NoGpus {
		/// The service.
		service: String,
		/// How many one instance asks for.
		wanted: u64,
		/// How many the host has free.
		free: u64,
	},
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
			Self::Engine { action, reason } => {
				write!(f, "the container engine failed to {action}: {reason}")
			},
			Self::ImageUnavailable { service, image, reason } => {
				write!(f, "service {service}: image {image} is unavailable: {reason}")
			},
			Self::NoGpus { service, wanted, free } => write!(
				f,
				"service {service} asks for {wanted} GPUs per instance; this host has {free} free"
			),
		}
	}
}

impl std::error::Error for WorkloadError {}

impl WorkloadError {
	/// Whether trying again later may succeed: the engine or the disk failed, or ports were
	/// all taken for a moment. A manifest that cannot run here (an unknown variable, an
	/// image this provider cannot have, more GPUs than it has) fails the same way every time.
	pub fn is_transient(&self) -> bool {
		matches!(
			self,
			Self::Io { .. } | Self::NoFreePort | Self::Engine { .. } | Self::Spawn { .. }
		)
	}
}

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

	/// Where each instance's output is, ordered by service and instance.
	fn log_sources(&self, lease: OrderId) -> Result<Vec<LogSource>, WorkloadError>;

	/// The last `lines` lines of each instance's output, each block headed by
	/// `==> service-N <==`.
	fn logs(&self, lease: OrderId, lines: usize) -> Result<String, WorkloadError> {
		let mut out = String::new();
		for source in self.log_sources(lease)? {
			let text = match tail_lines(&source.path, lines) {
				Ok(text) => source.format.messages(&text),
				// Not written yet: the instance printed nothing so far.
				Err(error) if error.kind() == io::ErrorKind::NotFound => String::new(),
				Err(error) => {
					return Err(WorkloadError::Io { path: source.path, reason: error.to_string() })
				},
			};
			if !out.is_empty() {
				out.push('\n');
			}
			out.push_str(&format!("==> {} <==\n", source.label));
			out.push_str(&text);
			if !text.is_empty() {
				out.push('\n');
			}
		}
		Ok(out)
	}

	/// The leases deployed now.
	fn deployed(&self) -> Vec<OrderId>;
}

/// The environment every backend gives an instance, over its service's own: `PORT_<port>` for
/// each declared port and `PORT` for the first, valued with the port the instance listens on
/// (`listening` pairs each declared port with it), and `CCRE_LEASE`, `CCRE_SERVICE`,
/// `CCRE_INSTANCE`.
pub(crate) fn instance_environment(
	lease: OrderId,
	name: &str,
	index: u32,
	service: &Service,
	listening: impl DoubleEndedIterator<Item = (u16, u16)> + Clone,
) -> BTreeMap<String, String> {
	let mut env = service.env.clone();
	// In reverse, so that of two declared ports with one number (TCP and UDP) the first one
	// declared names `PORT_<port>`.
	for (declared, listen) in listening.clone().rev() {
		env.insert(format!("PORT_{declared}"), listen.to_string());
	}
	if let Some((_, listen)) = listening.clone().next() {
		env.insert("PORT".to_string(), listen.to_string());
	}
	env.insert("CCRE_LEASE".to_string(), lease.to_string());
	env.insert("CCRE_SERVICE".to_string(), name.to_string());
	env.insert("CCRE_INSTANCE".to_string(), index.to_string());
	env
}

/// `text` with every `${NAME}` replaced by the variable `NAME` of `env`; a `${` without a
/// closing `}` is left as it is.
pub(crate) fn expand(
	text: &str,
	env: &BTreeMap<String, String>,
	service: &str,
) -> Result<String, WorkloadError> {
	let mut out = String::with_capacity(text.len());
	let mut rest = text;
	while let Some(start) = rest.find("${") {
		let after_brace = &rest[start + 2..];
		let Some(length) = after_brace.find('}') else {
			break;
		};
		let name = &after_brace[..length];
		let value = env.get(name).ok_or_else(|| WorkloadError::UnknownVariable {
			service: service.to_string(),
			name: name.to_string(),
		})?;
		out.push_str(&rest[..start]);
		out.push_str(value);
		rest = &after_brace[length + 1..];
	}
	out.push_str(rest);
	Ok(out)
}

/// A host port of `range` for `protocol` that is in none of `taken` and that nothing on the
/// host holds now.
pub(crate) fn free_port(
	range: &RangeInclusive<u16>,
	protocol: Protocol,
	taken: &BTreeSet<u16>,
) -> Option<u16> {
	range.clone().find(|port| !taken.contains(port) && is_free(*port, protocol))
}

/// Whether nothing on the host holds `port` for `protocol` now: binding it succeeds (and the
/// socket is closed at once).
fn is_free(port: u16, protocol: Protocol) -> bool {
	let address = SocketAddr::from(([0, 0, 0, 0], port));
	match protocol {
		Protocol::Tcp => TcpListener::bind(address).is_ok(),
		Protocol::Udp => UdpSocket::bind(address).is_ok(),
	}
}

/// The last `lines` lines of the file at `path` (at most [`MAX_TAIL_LINES`], from at most its
/// last [`MAX_TAIL_BYTES`]), read backwards from its end a block at a time, so that a tail
/// costs what it returns, however long the log.
pub(crate) fn tail_lines(path: &Path, lines: usize) -> io::Result<String> {
	const BLOCK: u64 = 8 * 1024;
	let lines = lines.min(MAX_TAIL_LINES);
	let mut file = File::open(path)?;
	let size = file.seek(SeekFrom::End(0))?;
	let floor = size.saturating_sub(MAX_TAIL_BYTES);
	let mut position = size;
	// Blocks from the end backwards, and the newlines they hold.
	let mut blocks: Vec<Vec<u8>> = Vec::new();
	let mut newlines = 0;
	// One newline more than `lines`: the one before the first line wanted, which shows that
	// line is whole.
	while position > floor && newlines <= lines {
		let length = (position - floor).min(BLOCK);
		position -= length;
		// At most BLOCK bytes, which fits any usize.
		let mut block = vec![0; length as usize];
		file.seek(SeekFrom::Start(position))?;
		file.read_exact(&mut block)?;
		newlines += block.iter().filter(|byte| **byte == b'\n').count();
		blocks.push(block);
	}
	let end: Vec<u8> = blocks.into_iter().rev().flatten().collect();
	let text = String::from_utf8_lossy(&end);
	let all: Vec<&str> = text.lines().collect();
	Ok(all[all.len().saturating_sub(lines)..].join("\n"))
}

/// Whether `check` holds within `timeout`, looking every 100 ms (for the backends' tests).
#[cfg(test)]
pub(crate) fn eventually(timeout: std::time::Duration, mut check: impl FnMut() -> bool) -> bool {
	let deadline = std::time::Instant::now() + timeout;
	loop {
		if check() {
			return true;
		}
		if std::time::Instant::now() >= deadline {
			return false;
		}
		std::thread::sleep(std::time::Duration::from_millis(100));
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::io::Write;

	#[test]
	fn only_failures_of_the_host_are_retried() {
		let engine = WorkloadError::Engine { action: "start".into(), reason: "timeout".into() };
		assert!(engine.is_transient() && WorkloadError::NoFreePort.is_transient());
		let variable = WorkloadError::UnknownVariable { service: "web".into(), name: "X".into() };
		let image = WorkloadError::ImageUnavailable {
			service: "web".into(),
			image: "x".into(),
			reason: "not here".into(),
		};
		let gpus = WorkloadError::NoGpus { service: "web".into(), wanted: 1, free: 0 };
		assert!(!variable.is_transient() && !image.is_transient() && !gpus.is_transient());
	}

	#[test]
	fn commands_expand_braced_variables_only() {
		let env = BTreeMap::from([("PORT".to_string(), "31000".to_string())]);
		assert_eq!(expand("${PORT}", &env, "web"), Ok("31000".into()));
		assert_eq!(expand("a${PORT}b${PORT}", &env, "web"), Ok("a31000b31000".into()));
		assert_eq!(expand("$PORT ${PORT", &env, "web"), Ok("$PORT ${PORT".into()));
		assert_eq!(
			expand("${HOME}", &env, "web"),
			Err(WorkloadError::UnknownVariable { service: "web".into(), name: "HOME".into() })
		);
	}

	#[test]
	fn the_tail_is_the_last_lines() {
		let dir = tempfile::tempdir().expect("a temporary directory");
		let path = dir.path().join("web-0.log");
		let long_line = "x".repeat(10_000);
		std::fs::write(&path, format!("{long_line}\none\ntwo\nthree\n")).expect("writes");
		assert_eq!(tail_lines(&path, 2).expect("reads"), "two\nthree");
		assert_eq!(tail_lines(&path, 4).expect("reads"), format!("{long_line}\none\ntwo\nthree"));
		assert_eq!(tail_lines(&path, 0).expect("reads"), "");
	}

	#[test]
	fn a_huge_tail_of_a_huge_log_reads_a_bounded_end() {
		let dir = tempfile::tempdir().expect("a temporary directory");
		let path = dir.path().join("web-0.log");
		let mut file = File::create(&path).expect("creates");
		let line = format!("{}\n", "y".repeat(99));
		for _ in 0..200_000 {
			file.write_all(line.as_bytes()).expect("writes");
		}
		drop(file);
		let text = tail_lines(&path, usize::MAX).expect("reads");
		assert!(text.len() as u64 <= MAX_TAIL_BYTES, "{} bytes", text.len());
		assert_eq!(text.lines().count(), MAX_TAIL_LINES);
		let text = tail_lines(&path, 3).expect("reads");
		assert_eq!(text, [&line[..99]; 3].join("\n"));
	}
}
