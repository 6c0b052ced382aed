//! The spot exchange end to end, on loopback with real processes: Alice's daemon makes a
//! market in the dev chain's `cpu.small` from its inventory; Charlie buys a lot with
//! `ccre market deploy`, which sends the manifest to the seller and waits for the service;
//! the service answers, the ask keeps what is left, and the index prints the trade.

use ccre_e2e::{
	ccre,
	deployment::{answers, dev_node, endpoint, tenant_certificate, web_manifest, CHEAP},
	Node, Provider,
};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// `cpu.small` in the dev preset: 500 millicores and 512 MiB a lot, tick 1.
const CPU_SMALL: u64 = 1;
/// A `cpu.small` lot at [`CHEAP`] prices: 500 + 512 per block.
const LOT_COST: u64 = 1_012;

/// The asks on `cpu.small`'s book: (price, lots).
fn asks(node: &Node) -> Vec<(u64, u64)> {
	let book = node.rpc("ccre_book", json!([CPU_SMALL]));
	book["asks"]
		.as_array()
		.map(|levels| {
			levels
				.iter()
				.filter_map(|level| Some((level["price"].as_u64()?, level["lots"].as_u64()?)))
				.collect()
		})
		.unwrap_or_default()
}

#[test]
fn a_tenant_buys_a_lot_from_a_daemons_ask_and_the_service_answers() {
	let dir = tempfile::tempdir().expect("a temporary directory");
	let (mut node, url) = dev_node(dir.path());
	// 2 000 millicores and 2 048 MiB: four cpu.small lots; it asks two at a time.
	let mut provider = Provider::init(&url, &dir.path().join("alice"), "//Alice", CHEAP);
	provider.configure(
		"[market]\nprices = { cpu_millicores = 1, memory_mib = 1 }\nlots = 2\nclasses = [\"cpu.small\"]",
	);
	provider.start();
	node.wait_until("the daemon's ask rests", Duration::from_secs(60), |node| {
		asks(node) == [(LOT_COST, 2)]
	});
	let tenant = dir.path().join("charlie");
	tenant_certificate(&url, "//Charlie", &tenant, &[]);

	let started = Instant::now();
	let manifest = web_manifest();
	let (ok, stdout, stderr) = ccre(
		&url,
		Some("//Charlie"),
		&[
			"market",
			"deploy",
			manifest.to_str().expect("UTF-8"),
			"--class",
			&CPU_SMALL.to_string(),
			"--limit",
			"1100",
			"--duration",
			"300",
			"--cert-dir",
			tenant.to_str().expect("UTF-8"),
			"--timeout",
			"300",
		],
	);
	assert!(ok, "{stdout}{stderr}\n{}", provider.log());
	for step in ["placed", "bought 1 lot(s)", "at 1012 per lot", "manifest accepted", "running"] {
		assert!(stdout.contains(step), "no {step:?} in {stdout}");
	}
	eprintln!(
		"figure: ccre market deploy, order to service answering {:.1} s",
		started.elapsed().as_secs_f64()
	);
	let service = endpoint(&stdout);
	assert!(answers(&service));

	// The fill is Alice's lease at the ask, for Charlie; her ask keeps the other lot, and
	// she serves the lease from the lot's capacity.
	let lease: u64 = stdout
		.split("lease ")
		.nth(1)
		.and_then(|rest| rest.split_whitespace().next()?.parse().ok())
		.unwrap_or_else(|| panic!("no lease id in {stdout}"));
	let view: Value = node.rpc("ccre_lease", json!([lease]));
	assert_eq!(view["price"].as_u64(), Some(LOT_COST));
	assert!(view["started_at"].is_u64(), "started once the service answered: {view}");
	node.wait_until("one lot left on the ask", Duration::from_secs(30), |node| {
		asks(node) == [(LOT_COST, 1)]
	});
	provider.wait_until("the lease is served", Duration::from_secs(30), |provider| {
		provider.metric("ccre_provider_leases") == Some(1.0)
	});

	// The interval's print is the trade (30 s intervals at one-second blocks).
	node.wait_until("the index prints the trade", Duration::from_secs(60), |node| {
		node.rpc("ccre_index", json!([CPU_SMALL])).as_array().is_some_and(|prints| {
			prints.iter().any(|entry| {
				entry["print"]["source"] == "trades"
					&& entry["print"]["price"].as_u64() == Some(LOT_COST)
			})
		})
	});
	let (ok, table, stderr) = ccre(&url, None, &["market", "index", &CPU_SMALL.to_string()]);
	assert!(ok, "{stderr}");
	assert!(table.lines().any(|line| line.contains("1012") && line.contains("trades")), "{table}");
}
