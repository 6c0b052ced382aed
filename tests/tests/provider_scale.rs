//! The provider daemon under load, as figures rather than checks, so left out of the ordinary
//! runs. Run them with
//! `cargo test --workspace --test provider_scale -- --ignored --nocapture --test-threads 1`:
//! - its footprint with 100 leases running in containers: each tenant deploys one lease after
//!   another with the default bid window of 3 blocks, so a daemon that falls behind the chain
//!   misses orders;
//! - then, with 1 000 other orders open, how soon it bids on new orders, and how soon in the
//!   next epoch its heartbeat for the 100 leases is in a block (about 10 minutes in all on the
//!   2-core build machine).

use ccre_e2e::{
	ccre,
	deployment::{deploy, dev_node, place_order, tenant_certificate, web_manifest, CHEAP},
	Node, Provider,
};
use std::{
	thread,
	time::{Duration, Instant},
};
use tempfile::TempDir;

/// A dev chain and Alice's daemon offering `attributes` with `ports` + 1 host ports, running;
/// bind them in this order so the directory goes after the processes.
fn market_with_alice(attributes: &str, ports: u16) -> (TempDir, Node, String, Provider) {
	let dir = tempfile::tempdir().expect("a temporary directory");
	let (node, url) = dev_node(dir.path());
	let mut provider = Provider::init_offering(
		&url,
		&dir.path().join("alice"),
		"//Alice",
		CHEAP,
		attributes,
		ports,
	);
	provider.start();
	(dir, node, url, provider)
}

/// Tenants deploying at once, and the leases each deploys.
const TENANTS: [&str; 4] = ["//Charlie", "//Dave", "//Eve", "//Ferdie"];
const LEASES_EACH: usize = 25;
/// Orders placed one after another, each as soon as the last is final, while the daemon serves
/// 100 leases and 1 000 orders it cannot serve (another region) stay open: every block the
/// daemon reads all of them again before bidding.
const NEW_ORDERS: usize = 40;

#[test]
#[ignore = "a figure, about 10 minutes: run with --ignored"]
fn a_provider_serving_100_leases_while_1000_orders_are_open() {
	// Room for 100 copies of examples/web.yaml (500 millicores, 256 MiB each), the new orders
	// and their ports.
	let offer = r#"{"cpu_millicores":120000,"memory_mib":60000,"region":"local"}"#;
	let (dir, _node, url, mut provider) = market_with_alice(offer, 200);
	let idle = rss_kib(provider.pid().expect("running"));
	let web = web_manifest();
	let started = Instant::now();
	let tenants: Vec<_> = TENANTS
		.iter()
		.map(|seed| {
			let cert_dir = dir.path().join(seed.trim_start_matches("//"));
			tenant_certificate(&url, seed, &cert_dir, &[]);
			let (url, web) = (url.clone(), web.clone());
			thread::spawn(move || {
				for _ in 0..LEASES_EACH {
					deploy(&url, seed, &web, "1000000000000", &cert_dir, &[]);
				}
			})
		})
		.collect();
	for tenant in tenants {
		tenant.join().expect("a tenant's deployments");
	}
	let took = started.elapsed();
	assert_eq!(provider.metric("ccre_provider_leases"), Some(100.0));
	let serving = rss_kib(provider.pid().expect("running"));
	eprintln!(
		"figure: 100 leases deployed by 4 tenants in {took:?} ({:.1} s a lease); the daemon's \
		 resident memory {idle} KiB idle, {serving} KiB serving 100 leases",
		took.as_secs_f64() / 100.0,
	);

	let (ok, stdout, stderr) = ccre(
		&url,
		Some("//Bob"),
		&[
			"bench",
			"--json",
			"--workload",
			"order",
			"--count",
			"1000",
			"--accounts",
			"10",
			"--bid-window",
			"600",
			"--region",
			"elsewhere",
		],
	);
	assert!(ok, "ccre bench: {stderr}{stdout}");
	let figures: serde_json::Value = serde_json::from_str(stdout.trim()).expect("JSON figures");
	let open = figures["workloads"][0]["included"].as_u64().expect("orders included");
	let bids_placed = provider.metric("ccre_provider_bid_latency_blocks_count").unwrap_or(0.0);
	let heartbeats = provider.metric("ccre_provider_heartbeats_total").unwrap_or(0.0);
	let bids_before = buckets(&provider, "bid_latency_blocks", BID_LATENCIES);
	let heartbeats_before = buckets(&provider, "heartbeat_latency_blocks", HEARTBEAT_LATENCIES);

	let started = Instant::now();
	for _ in 0..NEW_ORDERS {
		place_order(&url, "1000000000000", "20");
	}
	let took = started.elapsed();
	provider.wait_until("it has bid on every new order", Duration::from_secs(120), |p| {
		p.metric("ccre_provider_bid_latency_blocks_count") == Some(bids_placed + NEW_ORDERS as f64)
	});
	let bids = since(buckets(&provider, "bid_latency_blocks", BID_LATENCIES), bids_before);
	eprintln!(
		"figure: {NEW_ORDERS} orders placed in {took:?} beside {open} open orders and 100 \
		 leases; the daemon's bids landed within 1 block of the order for {}, within 2 for {}, \
		 within 3 for {}",
		bids[0], bids[1], bids[2],
	);

	// The next epoch's heartbeat (epochs are 100 one-second blocks on the dev chain).
	provider.wait_until("the next epoch's heartbeat", Duration::from_secs(240), |p| {
		p.metric("ccre_provider_heartbeats_total").unwrap_or(0.0) > heartbeats
	});
	let within = since(
		buckets(&provider, "heartbeat_latency_blocks", HEARTBEAT_LATENCIES),
		heartbeats_before,
	);
	eprintln!(
		"figure: the heartbeat for the 100 leases, with {open} orders open, was in a block within \
		 1 block of the epoch's start: {}, within 2: {}, within 3: {}, within 5: {} (of {})",
		within[0], within[1], within[2], within[3], within[4],
	);
}

/// The latency histograms' buckets the figures print, in blocks.
const BID_LATENCIES: [&str; 3] = ["1", "2", "3"];
const HEARTBEAT_LATENCIES: [&str; 5] = ["1", "2", "3", "5", "+Inf"];

/// The counts in the daemon's histogram `ccre_provider_{name}` up to each of `limits` blocks.
fn buckets<const N: usize>(provider: &Provider, name: &str, limits: [&str; N]) -> [f64; N] {
	limits.map(|blocks| {
		provider.metric(&format!("ccre_provider_{name}_bucket{{le=\"{blocks}\"}}")).unwrap_or(0.0)
	})
}

/// What each bucket gained since `before`.
fn since<const N: usize>(now: [f64; N], before: [f64; N]) -> [f64; N] {
	std::array::from_fn(|index| now[index] - before[index])
}

/// Process `pid`'s resident memory, in KiB.
fn rss_kib(pid: u32) -> u64 {
	std::fs::read_to_string(format!("/proc/{pid}/status"))
		.ok()
		.and_then(|status| {
			let line = status.lines().find(|line| line.starts_with("VmRSS:"))?.to_string();
			line.split_whitespace().nth(1)?.parse().ok()
		})
		.unwrap_or(0)
}
