//! The provider daemon and the tenant's CLI end to end, on loopback with real processes: a
//! dev node, `ccre-provider` daemons set up with `ccre-provider init`, and a tenant driving
//! `ccre` (and curl, for what a broken client would send). Figures are printed, not asserted.

use ccre_e2e::{
	ccre, ccre_binary,
	deployment::{
		answers, deploy, dev_node, endpoint, lease, place_order, tenant_certificate, wait,
		wait_for_lease, web_manifest, Market, ALICE, BOB, CHEAP, DEAR,
	},
	gateway_request, Node, Provider,
};
use serde_json::{json, Value};
use std::{
	path::Path,
	time::{Duration, Instant},
};

fn refusal(answer: &(u16, String)) -> (u16, String) {
	let body: Value = serde_json::from_str(&answer.1).unwrap_or(Value::Null);
	(answer.0, body["error"].as_str().unwrap_or("").to_string())
}

#[test]
fn a_tenant_deploys_through_the_gateway_which_refuses_every_bad_request() {
	let Market { dir, mut node, url, mut provider, tenant, .. } = Market::start();
	// A certificate that expires 20 s from now, published while valid.
	let expiring = dir.path().join("expiring");
	tenant_certificate(&url, "//Charlie", &expiring, &["--seconds", "20"]);
	let expires = Instant::now() + Duration::from_secs(21);

	// Order, bid, lease.
	let id = place_order(&url, "1000000000000000", "3");
	let leased = wait_for_lease(&mut node, id);
	assert_eq!(leased["provider"], ALICE);
	assert_eq!(leased["price"], 756);
	assert_eq!(leased["started_at"], Value::Null, "{leased}");
	eprintln!("figure: bid latency {} block(s) after the order", provider_bid_latency(&provider));

	// Every bad request is refused with its own error, and nothing is deployed.
	let details = node.rpc("ccre_provider", json!([ALICE]));
	let gateway = details["host_uri"].as_str().expect("host URI").to_string();
	let path = format!("/leases/{id}/manifest");
	let web = web_manifest();
	let put = |certificate: Option<&Path>, body: &Path| {
		refusal(&gateway_request(&gateway, certificate, "PUT", &path, Some(body)))
	};
	assert_eq!(put(None, &web), (401, "no-client-certificate".into()));
	let unpublished = dir.path().join("unpublished");
	assert!(ccre(&url, None, &["cert", "new", unpublished.to_str().expect("UTF-8")]).0);
	assert_eq!(put(Some(&unpublished), &web), (403, "certificate-not-published".into()));
	let revoked = dir.path().join("revoked");
	let fingerprint = tenant_certificate(&url, "//Charlie", &revoked, &[]);
	assert!(ccre(&url, Some("//Charlie"), &["cert", "revoke", &fingerprint]).0);
	assert_eq!(put(Some(&revoked), &web), (403, "certificate-revoked".into()));
	let bob = dir.path().join("bob");
	tenant_certificate(&url, "//Bob", &bob, &[]);
	assert_eq!(put(Some(&bob), &web), (403, "wrong-owner".into()));
	let other = dir.path().join("other.yaml");
	std::fs::write(&other, std::fs::read_to_string(&web).expect("read").replace("hello", "bye"))
		.expect("write");
	assert_eq!(put(Some(&tenant), &other), (409, "hash-mismatch".into()));
	let malformed = dir.path().join("malformed.yaml");
	std::fs::write(&malformed, "version: 1\nservices: [unclosed").expect("write");
	assert_eq!(put(Some(&tenant), &malformed), (400, "malformed-manifest".into()));
	let oversized = dir.path().join("oversized.yaml");
	std::fs::write(&oversized, "#".repeat(70 * 1024)).expect("write");
	assert_eq!(put(Some(&tenant), &oversized), (413, "oversized-body".into()));
	let unknown = refusal(&gateway_request(
		&gateway,
		Some(&tenant),
		"PUT",
		"/leases/999/manifest",
		Some(&web),
	));
	assert_eq!(unknown, (404, "unknown-lease".into()));
	std::thread::sleep(expires.saturating_duration_since(Instant::now()));
	assert_eq!(put(Some(&expiring), &web), (403, "certificate-expired".into()));
	let (status, body) =
		gateway_request(&gateway, Some(&tenant), "GET", &format!("/leases/{id}/status"), None);
	assert_eq!(status, 200, "{body}");
	let reported: Value = serde_json::from_str(&body).expect("JSON");
	assert_eq!(reported["state"], "awaiting-manifest");
	assert_eq!(reported["instances"], json!([]));
	assert_eq!(lease(&node, id)["started_at"], Value::Null);

	// The right manifest with the tenant's certificate: deployed, started, answering.
	let cert_dir = tenant.to_str().expect("UTF-8");
	let (ok, stdout, stderr) = ccre(
		&url,
		None,
		&[
			"manifest",
			"send",
			&id.to_string(),
			web.to_str().expect("UTF-8"),
			"--cert-dir",
			cert_dir,
		],
	);
	assert!(ok, "{stderr}");
	assert!(stdout.contains(&format!("lease {id} running")), "{stdout}");
	let service = endpoint(&stdout);
	assert!(answers(&service), "the service at {service} does not answer");
	let started = lease(&node, id);
	assert!(started["started_at"].is_number(), "{started}");

	// Paid per block: the escrow's payments grow.
	let paid = |node: &Node| lease(node, id)["escrow"]["paid"].as_u64().unwrap_or(0);
	let before = paid(&node);
	let target = node.best_number() + 3;
	node.wait_until("3 more blocks", Duration::from_secs(30), |node| node.best_number() >= target);
	assert!(paid(&node) >= before + 3 * 756, "{} then {}", before, paid(&node));

	// Status and logs for the tenant; the manifest for its tenant (and relays).
	let (ok, stdout, stderr) =
		ccre(&url, None, &["status", &id.to_string(), "--cert-dir", cert_dir]);
	assert!(ok, "{stderr}");
	assert_eq!(serde_json::from_str::<Value>(&stdout).expect("JSON")["state"], "running");
	let (ok, stdout, stderr) = ccre(&url, None, &["logs", &id.to_string(), "--cert-dir", cert_dir]);
	assert!(ok, "{stderr}");
	assert!(stdout.contains("hello from web-0"), "{stdout}");
	assert!(stdout.contains("response:200"), "{stdout}");
	let (status, body) = gateway_request(&gateway, Some(&tenant), "GET", &path, None);
	assert_eq!(status, 200);
	assert_eq!(body, std::fs::read_to_string(&web).expect("read"));
	let relay =
		refusal(&gateway_request(&gateway, Some(&bob), "GET", &format!("{path}?for=999"), None));
	assert_eq!(relay, (403, "wrong-owner".into()));
	provider.wait_until("a heartbeat", Duration::from_secs(30), |provider| {
		provider.metric("ccre_provider_heartbeats_total").is_some_and(|sent| sent >= 1.0)
	});
	assert_eq!(provider.metric("ccre_provider_bids_won_total"), Some(1.0));

	// A new version: its hash set on chain, then the manifest sent; the provider redeploys.
	let updated = dir.path().join("updated.yaml");
	std::fs::write(
		&updated,
		std::fs::read_to_string(&web).expect("read").replace("hello", "bonjour"),
	)
	.expect("write");
	let updated = updated.to_str().expect("UTF-8");
	let (ok, _, stderr) =
		ccre(&url, Some("//Charlie"), &["order", "update", &id.to_string(), updated]);
	assert!(ok, "{stderr}");
	let (ok, _, stderr) =
		ccre(&url, None, &["manifest", "send", &id.to_string(), updated, "--cert-dir", cert_dir]);
	assert!(ok, "{stderr}");
	let logs = || ccre(&url, None, &["logs", &id.to_string(), "--cert-dir", cert_dir]).1;
	wait("the new version runs", Duration::from_secs(30), || logs().contains("bonjour from web-0"));
	let (ok, stdout, stderr) =
		ccre(&url, None, &["status", &id.to_string(), "--cert-dir", cert_dir]);
	assert!(ok, "{stderr}");
	let status: Value = serde_json::from_str(&stdout).expect("JSON");
	let service = format!(
		"{}:{}",
		status["endpoints"][0]["host"].as_str().expect("a host"),
		status["endpoints"][0]["host_port"]
	);
	wait("the new version answers", Duration::from_secs(30), || answers(&service));

	// Following the logs: what the service writes after the command started arrives.
	let mut follower = std::process::Command::new(ccre_binary())
		.args(["logs", &id.to_string(), "--follow", "--tail", "0", "--cert-dir", cert_dir])
		.env("CCRE_URL", &url)
		.stdout(std::process::Stdio::piped())
		.spawn()
		.expect("ccre logs --follow runs");
	let (lines, arrived) = std::sync::mpsc::channel();
	let output = follower.stdout.take().expect("its output");
	std::thread::spawn(move || {
		use std::io::BufRead;
		for line in std::io::BufReader::new(output).lines().map_while(Result::ok) {
			if lines.send(line).is_err() {
				return;
			}
		}
	});
	let deadline = Instant::now() + Duration::from_secs(30);
	let followed = loop {
		assert!(Instant::now() < deadline, "no request was followed in the logs");
		assert!(answers(&service));
		match arrived.recv_timeout(Duration::from_secs(1)) {
			Ok(line) if line.starts_with("web-0 | ") && line.contains("response:200") => {
				break line
			},
			_ => {},
		}
	};
	eprintln!("followed: {followed}");
	let _ = follower.kill();
	let _ = follower.wait();

	// Closed by the tenant: the escrow pays what is due and refunds the rest, and the
	// daemon tears the service down.
	let escrow = lease(&node, id)["escrow"]["balance"].as_u64().unwrap_or(0);
	assert!(escrow > 0);
	let (ok, _, stderr) = ccre(&url, Some("//Charlie"), &["lease", "close", &id.to_string()]);
	assert!(ok, "{stderr}");
	let closed = lease(&node, id);
	assert_eq!(closed["state"]["closed"]["reason"], "tenant", "{closed}");
	assert_eq!(closed["escrow"], Value::Null, "{closed}");
	wait("the service is torn down", Duration::from_secs(30), || !answers(&service));
	// The containers go first, then the lease's network; the lease is forgotten after both.
	provider.wait_until("the lease forgotten", Duration::from_secs(30), |provider| {
		provider.metric("ccre_provider_leases") == Some(0.0)
	});
}

/// The daemon's bid latency in blocks, from its metrics (the mean over its bids).
fn provider_bid_latency(provider: &Provider) -> String {
	let sum = provider.metric("ccre_provider_bid_latency_blocks_sum");
	let count = provider.metric("ccre_provider_bid_latency_blocks_count");
	match (sum, count) {
		(Some(sum), Some(count)) if count > 0.0 => format!("{:.1}", sum / count),
		_ => "no bid recorded".into(),
	}
}

#[test]
fn two_providers_bid_and_the_cheaper_wins() {
	let dir = tempfile::tempdir().expect("a temporary directory");
	let (mut node, url) = dev_node(dir.path());
	let mut dear = Provider::init(&url, &dir.path().join("alice"), "//Alice", DEAR);
	let mut cheap = Provider::init(&url, &dir.path().join("bob"), "//Bob", CHEAP);
	dear.start();
	cheap.start();
	let id = place_order(&url, "1000000000000", "4");
	let leased = wait_for_lease(&mut node, id);
	assert_eq!(leased["provider"], BOB, "{leased}");
	assert_eq!(leased["price"], 756);
	// The loser learns it lost and its reservation comes back.
	dear.wait_until("the bid is lost", Duration::from_secs(30), |provider| {
		provider.metric("ccre_provider_bids_lost_total") == Some(1.0)
	});
	assert_eq!(dear.metric("ccre_provider_open_bids"), Some(0.0));
	assert_eq!(
		dear.metric("ccre_provider_free_capacity{capacity=\"cpu_millicores\"}"),
		Some(2000.0)
	);
	cheap.wait_until("the bid is won", Duration::from_secs(30), |provider| {
		provider.metric("ccre_provider_bids_won_total") == Some(1.0)
	});
	assert_eq!(
		cheap.metric("ccre_provider_free_capacity{capacity=\"cpu_millicores\"}"),
		Some(1500.0)
	);
}

#[test]
fn a_cancelled_order_releases_the_bids_reservation_at_once() {
	let dir = tempfile::tempdir().expect("a temporary directory");
	let (_node, url) = dev_node(dir.path());
	let mut provider = Provider::init(&url, &dir.path().join("bob"), "//Bob", CHEAP);
	provider.start();
	let free_cpu = |provider: &Provider| {
		provider.metric("ccre_provider_free_capacity{capacity=\"cpu_millicores\"}")
	};
	// A window of 100 blocks (100 s): the reservation must not wait for its end.
	let id = place_order(&url, "1000000000000", "100");
	provider.wait_until("the bid", Duration::from_secs(30), |provider| {
		provider.metric("ccre_provider_open_bids") == Some(1.0)
	});
	assert_eq!(free_cpu(&provider), Some(1500.0));
	let (ok, _, stderr) = ccre(&url, Some("//Charlie"), &["order", "cancel", &id.to_string()]);
	assert!(ok, "{stderr}");
	provider.wait_until("the reservation released", Duration::from_secs(10), |provider| {
		provider.metric("ccre_provider_open_bids") == Some(0.0)
	});
	assert_eq!(free_cpu(&provider), Some(2000.0));
}

#[test]
fn a_restarted_daemon_keeps_serving_and_an_empty_escrow_ends_the_service() {
	let Market { dir: _dir, mut node, url, mut provider, tenant, .. } = Market::start();

	// `ccre deploy`: order, lease, manifest, endpoints, in one command. The escrow holds
	// about 60 blocks at 756 per block.
	let started = Instant::now();
	let stdout = deploy(&url, "//Charlie", &web_manifest(), "45500", &tenant, &[]);
	for step in ["placed", "leased to", "manifest accepted", "running"] {
		assert!(stdout.contains(step), "no {step:?} in {stdout}");
	}
	eprintln!(
		"figure: ccre deploy, order to service answering {:.1} s",
		started.elapsed().as_secs_f64()
	);
	let service = endpoint(&stdout);
	assert!(answers(&service));
	let id: u64 =
		stdout.split_whitespace().nth(1).and_then(|id| id.parse().ok()).expect("order id");

	// Killed mid-lease: the service keeps answering; restarted, the daemon adopts it and
	// the lease stays active.
	provider.kill();
	assert!(answers(&service));
	provider.start();
	assert!(answers(&service));
	assert_eq!(lease(&node, id)["state"], "active");
	let (status, body) = gateway_request(
		node.rpc("ccre_provider", json!([ALICE]))["host_uri"].as_str().expect("URI"),
		Some(&tenant),
		"GET",
		&format!("/leases/{id}/status"),
		None,
	);
	assert_eq!(status, 200, "{body}");
	let reported: Value = serde_json::from_str(&body).expect("JSON");
	assert_eq!(reported["state"], "running");
	assert_eq!(reported["instances"][0]["restarts"], 0, "adopted, not restarted: {body}");

	// The escrow runs out: the chain closes the lease and the daemon tears the service down.
	node.wait_until("the escrow runs out", Duration::from_secs(120), |node| {
		lease(node, id)["state"].get("insufficient_funds").is_some()
	});
	wait("the service is torn down", Duration::from_secs(30), || !answers(&service));
	provider.wait_until("the lease is forgotten", Duration::from_secs(30), |provider| {
		provider.metric("ccre_provider_leases") == Some(0.0)
	});
	assert_eq!(provider.metric("ccre_provider_leases_closed_total"), Some(1.0));
}
