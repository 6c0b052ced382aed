//! The gateway's throughput figure: manifest requests per second a provider's gateway serves
//! on loopback over mutual TLS. Each request is checked as a real one is: the lease and the
//! client certificate against the chain (two RPC queries to the node), then the manifest is
//! parsed, hashed and compared with the lease's hash. The measured request sends the manifest
//! the gateway already accepted, which goes through every check and deploys nothing new.
//!
//! Figures are printed (`--nocapture`), not asserted; what is asserted is that every request
//! was answered as it should be and counted by the daemon.

use ccre_client::{
	chain::Chain,
	gateway::{ClientError, DeploymentState, GatewayClient},
	tls::Identity,
};
use ccre_e2e::deployment::{place_order, wait_for_lease, web_manifest, Market, ALICE};
use serde_json::json;
use std::{
	future::Future,
	path::Path,
	sync::Arc,
	time::{Duration, Instant},
};

/// Requests sent one after another on one connection.
const SEQUENTIAL: u32 = 1000;
/// Connections sending at once, and the requests each sends.
const CONNECTIONS: u32 = 8;
const PER_CONNECTION: u32 = 125;
/// Requests sent each on a connection of its own (a full mutual-TLS handshake each).
const HANDSHAKES: u32 = 300;

#[test]
fn the_gateway_serves_manifest_requests_over_mutual_tls() {
	let Market { dir: _dir, mut node, url, provider, tenant, tenant_fingerprint: fingerprint } =
		Market::start();
	let lease = place_order(&url, "1000000000000000", "3");
	wait_for_lease(&mut node, lease);
	let manifest = std::fs::read(web_manifest()).expect("the example manifest");

	let runtime =
		tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
	let requests = runtime.block_on(async {
		let chain = Chain::connect(&url).await.expect("the node answers");
		let gateway = Arc::new(
			GatewayClient::of_provider(&chain, ALICE, identity(&tenant))
				.await
				.expect("Alice's gateway is on chain"),
		);
		let mut session = gateway.open().await.expect("a session");
		let accepted = session.send_manifest(lease, manifest.clone()).await.expect("accepted");
		assert_eq!(accepted.state, DeploymentState::Deploying);

		let chain_checks = measure("the gateway's two chain queries alone", SEQUENTIAL, async {
			for _ in 0..SEQUENTIAL {
				let view: serde_json::Value =
					chain.query_as("ccre_lease", vec![json!(lease)]).await.expect("ccre_lease");
				assert_eq!(view["tenant"].as_str().map(str::len), Some(48));
				let check: serde_json::Value = chain
					.query_as(
						"ccre_checkCertificate",
						vec![json!(view["tenant"]), json!(fingerprint)],
					)
					.await
					.expect("ccre_checkCertificate");
				assert_eq!(check["accepted"], true, "{check}");
			}
		})
		.await;
		let sequential = measure("manifest requests, one connection", SEQUENTIAL, async {
			send_on_one_connection(&gateway, lease, &manifest, SEQUENTIAL).await.expect("answered");
		})
		.await;
		let total = CONNECTIONS * PER_CONNECTION;
		let concurrent =
			measure(&format!("manifest requests, {CONNECTIONS} connections"), total, async {
				let tasks: Vec<_> = (0..CONNECTIONS)
					.map(|_| {
						let (gateway, manifest) = (gateway.clone(), manifest.clone());
						tokio::spawn(async move {
							send_on_one_connection(&gateway, lease, &manifest, PER_CONNECTION).await
						})
					})
					.collect();
				for task in tasks {
					task.await.expect("the task ends").expect("answered");
				}
			})
			.await;
		let handshakes =
			measure("manifest requests, a new mutual-TLS connection each", HANDSHAKES, async {
				for _ in 0..HANDSHAKES {
					send_on_one_connection(&gateway, lease, &manifest, 1).await.expect("answered");
				}
			})
			.await;
		assert!(chain_checks > 0.0 && sequential > 0.0 && concurrent > 0.0 && handshakes > 0.0);
		1 + SEQUENTIAL + total + HANDSHAKES
	});

	// The daemon answered and counted every one of them.
	let answered = provider.metric("ccre_provider_gateway_requests_total{outcome=\"ok\"}");
	assert!(
		answered.is_some_and(|answered| answered >= f64::from(requests)),
		"{answered:?} of {requests} requests counted"
	);
}

fn identity(dir: &Path) -> Identity {
	Identity::load(&dir.join("client.crt"), &dir.join("client.key")).expect("the tenant's identity")
}

/// Sends lease `lease`'s manifest `count` times on one new connection; each must be answered
/// with the deployment's status.
async fn send_on_one_connection(
	gateway: &GatewayClient,
	lease: u64,
	manifest: &[u8],
	count: u32,
) -> Result<(), ClientError> {
	let mut session = gateway.open().await?;
	for _ in 0..count {
		let status = session.send_manifest(lease, manifest.to_vec()).await?;
		assert_eq!(status.lease, lease);
	}
	Ok(())
}

/// Runs `work` (`count` requests), prints their rate and returns it.
async fn measure(what: &str, count: u32, work: impl Future<Output = ()>) -> f64 {
	let started = Instant::now();
	work.await;
	let elapsed = started.elapsed().max(Duration::from_micros(1));
	let rate = f64::from(count) / elapsed.as_secs_f64();
	eprintln!(
		"figure: {what}: {count} in {:.2} s, {rate:.0} per second, {:.2} ms each",
		elapsed.as_secs_f64(),
		elapsed.as_secs_f64() * 1000.0 / f64::from(count)
	);
	rate
}
