//! A deployment's steps as the end-to-end tests take them: a dev chain, the tenant's
//! certificate and order for the example manifest (with `ccre`), and the lease that follows.

use crate::{ccre, repo_root, Node, Provider};
use serde_json::{json, Value};
use std::{
	path::{Path, PathBuf},
	time::{Duration, Instant},
};
use tempfile::TempDir;

/// The dev accounts that run providers in the tests.
pub const ALICE: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
pub const BOB: &str = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
/// Scale prices: 1 per millicore and per MiB per block; `examples/web.yaml` (500 millicores,
/// 256 MiB) then costs 756 per block.
pub const CHEAP: &str = r#"{"cpu_millicores":1,"memory_mib":1}"#;
/// Twice [`CHEAP`].
pub const DEAR: &str = r#"{"cpu_millicores":2,"memory_mib":2}"#;

/// The example manifest, a small HTTP service.
pub fn web_manifest() -> PathBuf {
	repo_root().join("examples/web.yaml")
}

/// A dev node in `dir` that has produced its first block, and its RPC URL.
pub fn dev_node(dir: &Path) -> (Node, String) {
	let mut node = Node::start("dev", dir, &["--dev"]);
	node.wait_until("block 1", Duration::from_secs(60), |node| node.best_number() >= 1);
	let url = format!("ws://127.0.0.1:{}", node.rpc_port);
	(node, url)
}

/// Where most deployment tests start: a dev chain, Alice's daemon running at [`CHEAP`]
/// prices, and Charlie's published client certificate. Bind its fields in this order when
/// destructuring it, so the directory is removed after the processes are stopped.
pub struct Market {
	/// The directory everything lives in.
	pub dir: TempDir,
	/// The dev node.
	pub node: Node,
	/// Its RPC URL.
	pub url: String,
	/// Alice's daemon, running.
	pub provider: Provider,
	/// Charlie's certificate directory (`client.crt`, `client.key`).
	pub tenant: PathBuf,
	/// Its fingerprint, as `ccre cert new` printed it.
	pub tenant_fingerprint: String,
}

impl Market {
	/// Starts the chain and Alice's daemon, and publishes Charlie's certificate.
	pub fn start() -> Market {
		let dir = tempfile::tempdir().expect("a temporary directory");
		let (node, url) = dev_node(dir.path());
		let mut provider = Provider::init(&url, &dir.path().join("alice"), "//Alice", CHEAP);
		provider.start();
		let tenant = dir.path().join("charlie");
		let tenant_fingerprint = tenant_certificate(&url, "//Charlie", &tenant, &[]);
		Market { dir, node, url, provider, tenant, tenant_fingerprint }
	}
}

/// A published client certificate for `seed` in `dir`; returns its fingerprint.
pub fn tenant_certificate(url: &str, seed: &str, dir: &Path, extra: &[&str]) -> String {
	let dir_text = dir.to_str().expect("UTF-8");
	let mut args = vec!["cert", "new", dir_text];
	args.extend_from_slice(extra);
	let (ok, stdout, stderr) = ccre(url, None, &args);
	assert!(ok, "{stderr}");
	let fingerprint = stdout
		.split("fingerprint: ")
		.nth(1)
		.map(|rest| rest.trim().to_string())
		.unwrap_or_else(|| panic!("no fingerprint in {stdout}"));
	let certificate = dir.join("client.crt");
	let (ok, _, stderr) =
		ccre(url, Some(seed), &["cert", "publish", certificate.to_str().expect("UTF-8")]);
	assert!(ok, "{stderr}");
	fingerprint
}

/// `ccre deploy MANIFEST` as `seed`, in region `local` at up to 1 000 a block with `funding`
/// in escrow and the certificate in `cert_dir`, and `extra` arguments: what it printed, once it
/// succeeded.
pub fn deploy(
	url: &str,
	seed: &str,
	manifest: &Path,
	funding: &str,
	cert_dir: &Path,
	extra: &[&str],
) -> String {
	let mut args = vec![
		"deploy",
		manifest.to_str().expect("UTF-8"),
		"--max-price",
		"1000",
		"--funding",
		funding,
		"--region",
		"local",
		"--timeout",
		"300",
		"--cert-dir",
		cert_dir.to_str().expect("UTF-8"),
	];
	args.extend_from_slice(extra);
	let (ok, stdout, stderr) = ccre(url, Some(seed), &args);
	assert!(ok, "{stdout}{stderr}");
	stdout
}

/// Places Charlie's order for the example manifest; returns its id.
pub fn place_order(url: &str, funding: &str, bid_window: &str) -> u64 {
	let manifest = web_manifest();
	let (ok, stdout, stderr) = ccre(
		url,
		Some("//Charlie"),
		&[
			"order",
			"create",
			manifest.to_str().expect("UTF-8"),
			"--max-price",
			"2000",
			"--funding",
			funding,
			"--region",
			"local",
			"--bid-window",
			bid_window,
		],
	);
	assert!(ok, "{stderr}");
	stdout
		.split_whitespace()
		.nth(1)
		.and_then(|id| id.parse().ok())
		.unwrap_or_else(|| panic!("no order id in {stdout}"))
}

/// Lease `id` as `ccre_lease` shows it (null if there is none).
pub fn lease(node: &Node, id: u64) -> Value {
	node.rpc("ccre_lease", json!([id]))
}

/// Waits until order `id` is leased; returns the lease.
pub fn wait_for_lease(node: &mut Node, id: u64) -> Value {
	node.wait_until("the order is leased", Duration::from_secs(60), |node| {
		!lease(node, id).is_null()
	});
	lease(node, id)
}

/// The `host:port` of the first endpoint `ccre` printed (`  web[0] port 8080/tcp: host:port`).
pub fn endpoint(output: &str) -> String {
	output
		.lines()
		.find(|line| line.contains("port 8080/tcp"))
		.and_then(|line| line.rsplit(' ').next())
		.unwrap_or_else(|| panic!("no endpoint in {output}"))
		.to_string()
}

/// Whether the example service at `endpoint` answers with its page.
pub fn answers(endpoint: &str) -> bool {
	ureq::get(&format!("http://{endpoint}/"))
		.timeout(Duration::from_secs(2))
		.call()
		.is_ok_and(|response| response.status() == 200)
}

/// Polls `condition` until it holds, failing the test after `timeout`.
pub fn wait(what: &str, timeout: Duration, condition: impl Fn() -> bool) {
	let deadline = Instant::now() + timeout;
	while !condition() {
		assert!(Instant::now() < deadline, "timed out after {timeout:?} waiting until {what}");
		std::thread::sleep(Duration::from_millis(250));
	}
}
