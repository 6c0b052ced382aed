//! A hostile tenant against a running provider: a dev chain, the provider daemon with its
//! container backend, and a deployment sent through `ccre deploy` whose workload tries what a
//! stranger's code would. Every attempt must be contained, and closing the lease must leave
//! nothing behind. (`provider-daemon/src/workload/container.rs` tries the resource limits
//! against the backend itself: fork bombs, memory, disk.)

use ccre_e2e::{
	ccre,
	deployment::{deploy, Market, ALICE},
};
use serde_json::json;
use std::{
	process::Command,
	time::{Duration, Instant},
};

#[test]
fn a_hostile_workload_reaches_none_of_the_providers_secrets_or_services() {
	let Market { dir, node, url, provider, tenant, .. } = Market::start();
	let rpc_port = url.rsplit(':').next().expect("a port").to_string();
	let details = node.rpc("ccre_provider", json!([ALICE]));
	let gateway_port =
		details["host_uri"].as_str().and_then(|uri| uri.rsplit(':').next()).expect("a port");
	let key = provider.dir.join("gateway.key");
	assert!(key.exists(), "the provider has a key to steal");
	let probe = dir.path().join("probe.yaml");
	std::fs::write(
		&probe,
		format!(
			r#"version: 1
services:
  probe:
    image: localhost/ccre/busybox:latest
    env: {{ RPC: "{rpc_port}", METRICS: "{metrics}", GATEWAY: "{gateway_port}", KEY: "{key}" }}
    command:
      - sh
      - -c
      - |
        echo "user $(id -u)"
        grep -l CCRE_PROVIDER_SEED /proc/*/environ 2>/dev/null | wc -l | sed 's/^/seeds /'
        cat "$KEY" >/dev/null 2>&1 && echo "key read" || echo "key unreadable"
        host=$(ip route | awk '/default/ {{ print $3 }}')
        for port in "$RPC" "$METRICS" "$GATEWAY"; do
          if nc -w 2 "$host" "$port" </dev/null; then echo "reached $port"; else echo "refused $port"; fi
        done
        setsid sh -c 'exec sleep 8123' &
        echo probed
        exec sleep 100000
    resources: {{ cpu_millicores: 500, memory_mib: 256 }}
"#,
			metrics = provider.metrics_port,
			key = key.display(),
		),
	)
	.expect("written");

	let cert_dir = tenant.to_str().expect("UTF-8");
	let stdout = deploy(&url, "//Charlie", &probe, "1000000000000", &tenant, &[]);
	let lease = stdout
		.lines()
		.find_map(|line| {
			line.strip_prefix("order ")?.split_whitespace().next()?.parse::<u64>().ok()
		})
		.expect("an order id");
	let logs = || ccre(&url, None, &["logs", &lease.to_string(), "--cert-dir", cert_dir]).1;
	let deadline = Instant::now() + Duration::from_secs(30);
	while !logs().contains("probed") {
		assert!(Instant::now() < deadline, "the probe never finished: {}", logs());
		std::thread::sleep(Duration::from_millis(500));
	}
	let seen = logs();
	for expected in [
		"user 65534".to_string(),
		"seeds 0".to_string(),
		"key unreadable".to_string(),
		format!("refused {rpc_port}"),
		format!("refused {}", provider.metrics_port),
		format!("refused {gateway_port}"),
	] {
		assert!(seen.contains(&expected), "{expected:?} not in {seen}");
	}

	let (ok, _, stderr) = ccre(&url, Some("//Charlie"), &["lease", "close", &lease.to_string()]);
	assert!(ok, "{stderr}");
	let scope = ccre_provider::workload::container::scope_for(&provider.dir.join("data"));
	let leftovers = || {
		let output = Command::new("podman")
			.args(["ps", "--all", "--quiet", "--filter", &format!("label=ccre.scope={scope}")])
			.output()
			.expect("podman runs");
		String::from_utf8_lossy(&output.stdout).trim().to_string()
	};
	let deadline = Instant::now() + Duration::from_secs(30);
	while !leftovers().is_empty() {
		assert!(Instant::now() < deadline, "containers left after the close: {}", leftovers());
		std::thread::sleep(Duration::from_millis(500));
	}
	let ps = Command::new("ps").args(["-eo", "args"]).output().expect("ps");
	assert!(
		!String::from_utf8_lossy(&ps.stdout).contains("sleep 8123"),
		"a daemonized process outlived its lease"
	);
}
