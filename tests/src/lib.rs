//! Helpers for end-to-end tests that start real `ccre-node` processes on loopback, each with
//! its own temporary base path and free ports, and drive them over JSON-RPC.

use std::{
	fs::File,
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, ExitStatus, Stdio},
	thread::sleep,
	time::{Duration, Instant},
};

use serde_json::{json, Value};

pub mod deployment;

/// How often the helpers poll a node while waiting for something.
const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// The repository root.
pub fn repo_root() -> PathBuf {
	// Clones at different paths share one target directory, and cargo may reuse this crate as
	// compiled in another clone, so the directory cargo runs the tests for wins over the
	// compile-time path.
	let package = std::env::var_os("CARGO_MANIFEST_DIR")
		.map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
	package.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The `ccre-node` binary: `CCRE_NODE_BIN`, or the one cargo built beside this test binary.
pub fn node_binary() -> PathBuf {
	std::env::var_os("CCRE_NODE_BIN").map_or_else(|| built_binary("ccre-node"), PathBuf::from)
}

/// The `ccre` command line cargo built beside this test binary.
pub fn ccre_binary() -> PathBuf {
	built_binary("ccre")
}

/// The workspace binary `name` cargo built beside this test binary
/// (`<target>/debug/deps/<test>` → `<target>/debug/<name>`).
fn built_binary(name: &str) -> PathBuf {
	let exe = std::env::current_exe().expect("the test binary has a path");
	let profile_dir =
		exe.parent().and_then(Path::parent).expect("test binary under <profile>/deps");
	let binary = profile_dir.join(name);
	assert!(
		binary.is_file(),
		"{} not found: build it first (cargo build --workspace)",
		binary.display()
	);
	binary
}

/// A TCP port on 127.0.0.1 that is free right now.
pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0")
		.and_then(|listener| listener.local_addr())
		.map(|address| address.port())
		.expect("bind an ephemeral port on loopback")
}

/// How long a node run by [`run_node_command`] may take before it is killed.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(120);

/// Runs `ccre-node` with `args` to completion and returns its exit status, stdout and stderr.
/// A process still running after two minutes is killed, so a node that should have refused to
/// start but did not fails the test instead of hanging it.
pub fn run_node_command(args: &[&str]) -> (ExitStatus, String, String) {
	let dir = tempfile::tempdir().expect("temporary directory");
	let (stdout_path, stderr_path) = (dir.path().join("stdout"), dir.path().join("stderr"));
	let mut child = Command::new(node_binary())
		.args(args)
		.stdin(Stdio::null())
		.stdout(File::create(&stdout_path).expect("create stdout file"))
		.stderr(File::create(&stderr_path).expect("create stderr file"))
		.spawn()
		.expect("run ccre-node");
	let status = wait_or_kill(&mut child, COMMAND_TIMEOUT);
	let read = |path: &Path| std::fs::read_to_string(path).unwrap_or_default();
	(status, read(&stdout_path), read(&stderr_path))
}

/// Waits for `child` to exit; kills it if it is still running after `timeout`.
fn wait_or_kill(child: &mut Child, timeout: Duration) -> ExitStatus {
	let deadline = Instant::now() + timeout;
	loop {
		if let Some(status) = child.try_wait().expect("poll ccre-node") {
			return status;
		}
		if Instant::now() > deadline {
			let _ = child.kill();
			return child.wait().expect("reap ccre-node");
		}
		sleep(POLL_INTERVAL);
	}
}

/// A process a test started and watches while it waits for something.
trait Watched {
	/// How the process exited, if it did.
	fn exited(&mut self) -> Option<ExitStatus>;
	/// Fails the test with `message` and the end of the process's log.
	fn fail(&self, message: &str) -> !;
}

/// Polls `condition` until it holds; fails the test if the process exits first or after
/// `timeout`.
fn poll_until<T: Watched>(
	target: &mut T,
	what: &str,
	timeout: Duration,
	condition: impl Fn(&T) -> bool,
) {
	let deadline = Instant::now() + timeout;
	loop {
		if let Some(status) = target.exited() {
			target.fail(&format!("exited ({status}) while waiting until {what}"));
		}
		if condition(target) {
			return;
		}
		if Instant::now() > deadline {
			target.fail(&format!("timed out after {timeout:?} waiting until {what}"));
		}
		sleep(POLL_INTERVAL);
	}
}

fn exit_status(child: &mut Option<Child>) -> Option<ExitStatus> {
	child.as_mut().and_then(|child| child.try_wait().ok().flatten())
}

fn fail_with_log(name: &str, log: &str, message: &str) -> ! {
	let tail: Vec<&str> = log.lines().rev().take(80).collect();
	let tail: Vec<&str> = tail.into_iter().rev().collect();
	panic!("{name}: {message}\n--- last lines of its log ---\n{}", tail.join("\n"));
}

/// A running `ccre-node`. Dropping it kills the process.
pub struct Node {
	child: Option<Child>,
	pub name: String,
	pub rpc_port: u16,
	pub p2p_port: u16,
	pub base_path: PathBuf,
	log_path: PathBuf,
	args: Vec<String>,
}

impl Node {
	/// Starts a node with `args` plus a base path in `dir`, free RPC and p2p ports, and no
	/// telemetry, Prometheus or mDNS. Returns once its RPC answers.
	pub fn start(name: &str, dir: &Path, args: &[&str]) -> Node {
		let base_path = dir.join(name);
		let mut node = Node {
			child: None,
			name: name.to_string(),
			rpc_port: free_port(),
			p2p_port: free_port(),
			log_path: dir.join(format!("{name}.log")),
			base_path,
			args: args.iter().map(|arg| arg.to_string()).collect(),
		};
		node.spawn();
		node
	}

	/// Starts the process again with the same ports, base path and arguments.
	pub fn restart(&mut self) {
		assert!(self.child.is_none(), "{} is still running", self.name);
		self.spawn();
	}

	fn spawn(&mut self) {
		// Append, so a restarted node's log keeps what it printed before.
		let log = File::options()
			.create(true)
			.append(true)
			.open(&self.log_path)
			.expect("open the node's log file");
		let child = Command::new(node_binary())
			.args(&self.args)
			.arg("--base-path")
			.arg(&self.base_path)
			.args(["--rpc-port", &self.rpc_port.to_string()])
			.args(["--port", &self.p2p_port.to_string()])
			.args(["--no-prometheus", "--no-telemetry", "--no-mdns"])
			.stdin(Stdio::null())
			.stdout(log.try_clone().expect("clone the log handle"))
			.stderr(log)
			.spawn()
			.expect("spawn ccre-node");
		self.child = Some(child);
		self.wait_until("RPC answers", Duration::from_secs(120), |node| {
			node.try_rpc("system_health", json!([])).is_ok()
		});
	}

	/// Stops the process with SIGTERM, as an operator would, and waits for it to exit.
	pub fn stop(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status();
			wait_or_kill(&mut child, Duration::from_secs(30));
		}
	}

	/// What the node printed so far.
	pub fn log(&self) -> String {
		std::fs::read_to_string(&self.log_path).unwrap_or_default()
	}

	/// Calls a JSON-RPC method over HTTP; the error is the transport or JSON-RPC error.
	pub fn try_rpc(&self, method: &str, params: Value) -> Result<Value, String> {
		let request = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params });
		let response: Value = ureq::post(&format!("http://127.0.0.1:{}", self.rpc_port))
			.timeout(Duration::from_secs(10))
			.send_json(request)
			.map_err(|error| error.to_string())?
			.into_json()
			.map_err(|error| error.to_string())?;
		match response.get("error") {
			Some(error) => Err(error.to_string()),
			None => Ok(response.get("result").cloned().unwrap_or(Value::Null)),
		}
	}

	/// Calls a JSON-RPC method and fails the test, with the node's log, if it errors.
	pub fn rpc(&self, method: &str, params: Value) -> Value {
		self.try_rpc(method, params)
			.unwrap_or_else(|error| self.fail(&format!("{method} failed: {error}")))
	}

	/// The node's best block number.
	pub fn best_number(&self) -> u64 {
		header_number(&self.rpc("chain_getHeader", json!([])))
	}

	/// The node's last finalized block number.
	pub fn finalized_number(&self) -> u64 {
		let hash = self.rpc("chain_getFinalizedHead", json!([]));
		header_number(&self.rpc("chain_getHeader", json!([hash])))
	}

	/// The hash of the block at `number` on the node's best chain, if it has one.
	pub fn block_hash(&self, number: u64) -> Option<String> {
		self.rpc("chain_getBlockHash", json!([number])).as_str().map(str::to_string)
	}

	/// How many peers the node is connected to.
	pub fn peer_count(&self) -> u64 {
		self.rpc("system_health", json!([]))["peers"].as_u64().unwrap_or(0)
	}

	/// The node's libp2p address on loopback, for other nodes' `--bootnodes`.
	pub fn multiaddr(&self) -> String {
		let peer_id = self.rpc("system_localPeerId", json!([]));
		format!("/ip4/127.0.0.1/tcp/{}/p2p/{}", self.p2p_port, peer_id.as_str().unwrap_or_default())
	}

	/// Polls `condition` until it holds, failing the test with the log after `timeout`.
	pub fn wait_until(&mut self, what: &str, timeout: Duration, condition: impl Fn(&Node) -> bool) {
		poll_until(self, what, timeout, condition)
	}
}

impl Watched for Node {
	fn exited(&mut self) -> Option<ExitStatus> {
		exit_status(&mut self.child)
	}

	fn fail(&self, message: &str) -> ! {
		fail_with_log(&self.name, &self.log(), message)
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}
}

/// The block number in a `chain_getHeader` result.
fn header_number(header: &Value) -> u64 {
	header["number"]
		.as_str()
		.and_then(|hex| u64::from_str_radix(hex.trim_start_matches("0x"), 16).ok())
		.unwrap_or(0)
}

/// The `ccre-provider` daemon cargo built beside this test binary.
pub fn provider_binary() -> PathBuf {
	built_binary("ccre-provider")
}

/// Runs `ccre args` against the node at `url`, signing with `seed` if given; returns whether
/// it succeeded, its stdout and its stderr.
pub fn ccre(url: &str, seed: Option<&str>, args: &[&str]) -> (bool, String, String) {
	let mut command = Command::new(ccre_binary());
	command.args(args).env("CCRE_URL", url).env_remove("CCRE_SEED").env_remove("CCRE_CERT_DIR");
	if let Some(seed) = seed {
		command.env("CCRE_SEED", seed);
	}
	let output = command.output().expect("ccre runs");
	(
		output.status.success(),
		String::from_utf8_lossy(&output.stdout).into_owned(),
		String::from_utf8_lossy(&output.stderr).into_owned(),
	)
}

/// A provider: its directory made by `ccre-provider init`, and its daemon while it runs.
/// Dropping it kills the daemon and every service it started.
pub struct Provider {
	child: Option<Child>,
	/// Its directory (configuration, key, certificate, data).
	pub dir: PathBuf,
	/// Its Prometheus port.
	pub metrics_port: u16,
	log_path: PathBuf,
	seed: String,
}

impl Provider {
	/// Sets up a provider with `ccre-provider init` for the account `seed` against the node at
	/// `url`: 2000 millicores and 2048 MiB in region `local`, 1000 CCRE staked, `prices` per
	/// unit of each capacity, 41 host ports for services. Its daemon is not started.
	pub fn init(url: &str, dir: &Path, seed: &str, prices: &str) -> Provider {
		let offer = r#"{"cpu_millicores":2000,"memory_mib":2048,"region":"local"}"#;
		Self::init_offering(url, dir, seed, prices, offer, 40)
	}

	/// [`Provider::init`] offering `attributes` (JSON), with `ports` + 1 host ports.
	pub fn init_offering(
		url: &str,
		dir: &Path,
		seed: &str,
		prices: &str,
		attributes: &str,
		ports: u16,
	) -> Provider {
		let metrics_port = free_port();
		let first_port = free_port();
		let output = Command::new(provider_binary())
			.args(["init", "--dir"])
			.arg(dir)
			.args(["--node", url, "--prices", prices, "--overcommit", "--local-images-only"])
			.args(["--gateway-port", &free_port().to_string()])
			.args(["--metrics-port", &metrics_port.to_string()])
			.args(["--attributes", attributes])
			.args(["--stake", "1000000000000000"])
			.args(["--ports", &format!("{first_port}-{}", first_port.saturating_add(ports))])
			.env("CCRE_PROVIDER_SEED", seed)
			.output()
			.expect("ccre-provider init runs");
		assert!(
			output.status.success(),
			"init failed: {}{}",
			String::from_utf8_lossy(&output.stdout),
			String::from_utf8_lossy(&output.stderr)
		);
		Provider {
			child: None,
			dir: dir.to_path_buf(),
			metrics_port,
			log_path: dir.join("daemon.log"),
			seed: seed.into(),
		}
	}

	/// The daemon's process id, while it runs.
	pub fn pid(&self) -> Option<u32> {
		self.child.as_ref().map(Child::id)
	}

	/// Starts the daemon.
	pub fn start(&mut self) {
		let log = File::options().create(true).append(true).open(&self.log_path).expect("log");
		let child = Command::new(provider_binary())
			.args(["run", "--config"])
			.arg(self.dir.join("provider.toml"))
			.env("CCRE_PROVIDER_SEED", &self.seed)
			.env("RUST_LOG", "info")
			.stdin(Stdio::null())
			.stdout(log.try_clone().expect("clone the log handle"))
			.stderr(log)
			.spawn()
			.expect("spawn ccre-provider");
		self.child = Some(child);
		self.wait_until("its metrics answer", Duration::from_secs(30), |provider| {
			provider.metric("ccre_provider_connected") == Some(1.0)
		});
	}

	/// Kills the daemon with SIGKILL, as a crash would; its services keep running.
	pub fn kill(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}

	/// Adds `section` (TOML, such as a `[market]` table) to the daemon's configuration; it
	/// applies from the next start.
	pub fn configure(&self, section: &str) {
		use std::io::Write;
		let path = self.dir.join("provider.toml");
		let mut file = File::options().append(true).open(&path).expect("provider.toml");
		writeln!(file, "\n{section}").expect("configuration written");
	}

	/// What the daemon logged so far.
	pub fn log(&self) -> String {
		std::fs::read_to_string(&self.log_path).unwrap_or_default()
	}

	/// A metric's value (the first sample named `name`, labels included in the name).
	pub fn metric(&self, name: &str) -> Option<f64> {
		let text = ureq::get(&format!("http://127.0.0.1:{}/metrics", self.metrics_port))
			.timeout(Duration::from_secs(5))
			.call()
			.ok()?
			.into_string()
			.ok()?;
		text.lines()
			.find(|line| line.split_whitespace().next() == Some(name))
			.and_then(|line| line.split_whitespace().nth(1)?.parse().ok())
	}

	/// Polls `condition` until it holds, failing the test with the daemon's log after
	/// `timeout`.
	pub fn wait_until(
		&mut self,
		what: &str,
		timeout: Duration,
		condition: impl Fn(&Provider) -> bool,
	) {
		poll_until(self, what, timeout, condition)
	}
}

impl Watched for Provider {
	fn exited(&mut self) -> Option<ExitStatus> {
		exit_status(&mut self.child)
	}

	fn fail(&self, message: &str) -> ! {
		fail_with_log("ccre-provider", &self.log(), message)
	}
}

impl Drop for Provider {
	fn drop(&mut self) {
		self.kill();
		// Its services are containers labelled with its scope, and a network per lease: a test
		// that ends before its leases close leaves them, so they are removed here.
		let scope = ccre_provider::workload::container::scope_for(&self.dir.join("data"));
		let filter = format!("label=ccre.scope={scope}");
		let podman = |args: &[&str]| {
			Command::new("podman").args(args).output().map(|output| {
				String::from_utf8_lossy(&output.stdout)
					.split_whitespace()
					.map(String::from)
					.collect::<Vec<_>>()
			})
		};
		if let Ok(containers) = podman(&["ps", "--all", "--quiet", "--filter", &filter]) {
			if !containers.is_empty() {
				let mut args = vec!["rm", "--force", "--time", "0"];
				args.extend(containers.iter().map(String::as_str));
				let _ = podman(&args);
			}
		}
		if let Ok(networks) = podman(&["network", "ls", "--quiet", "--filter", &filter]) {
			for network in networks {
				let _ = podman(&["network", "rm", "--force", &network]);
			}
		}
		// And the networks' firewall rules (`-S` prints them as `-A` arguments, quoted).
		let rules = Command::new("iptables").arg("-S").output();
		let rules = rules.map(|output| String::from_utf8_lossy(&output.stdout).into_owned());
		let rules = rules.unwrap_or_default();
		for rule in rules.lines() {
			if let Some(arguments) = rule.strip_prefix("-A ") {
				if arguments.contains(&format!("CCRE tenant network {scope}-")) {
					let _ = Command::new("sh")
						.args(["-c", &format!("iptables -D {arguments}")])
						.status();
				}
			}
		}
		// Then the leases' chains, which nothing jumps to any more.
		for chain in rules.lines().filter_map(|rule| rule.strip_prefix("-N ")) {
			if chain.starts_with(&format!("{scope}-")) {
				for action in ["-F", "-X"] {
					let _ = Command::new("iptables").args([action, chain]).status();
				}
			}
		}
	}
}

/// A request to a provider's gateway with curl (which skips checking the gateway's
/// certificate): the HTTP status and the body.
pub fn gateway_request(
	gateway: &str,
	certificate_dir: Option<&Path>,
	method: &str,
	path: &str,
	body: Option<&Path>,
) -> (u16, String) {
	gateway_request_from("127.0.0.1", gateway, certificate_dir, method, path, body)
}

/// [`gateway_request`] from the local address `source` (any of 127.0.0.0/8), answered
/// within 5 s or failed with status 0.
pub fn gateway_request_from(
	source: &str,
	gateway: &str,
	certificate_dir: Option<&Path>,
	method: &str,
	path: &str,
	body: Option<&Path>,
) -> (u16, String) {
	let mut command = Command::new("curl");
	command.args(["-sk", "-X", method, "-w", "\n%{http_code}", "--max-time", "5"]);
	command.args(["--interface", source]);
	if let Some(dir) = certificate_dir {
		command.arg("--cert").arg(dir.join("client.crt")).arg("--key").arg(dir.join("client.key"));
	}
	if let Some(body) = body {
		command.arg("--data-binary").arg(format!("@{}", body.display()));
	}
	let output = command.arg(format!("{gateway}{path}")).output().expect("curl runs");
	let text = String::from_utf8_lossy(&output.stdout).into_owned();
	let (body, status) = text.rsplit_once('\n').unwrap_or(("", &text));
	(status.trim().parse().unwrap_or(0), body.to_string())
}
