//! `ccre deploy`, `status` and `logs`: a tenant's side of a deployment after the order, the
//! lease's provider's gateway reached over mutual TLS with the tenant's published certificate.

use crate::{place_order, Failure, OrderArgs};
use ccre_client::{
	chain::Chain,
	gateway::{ClientError, DeploymentState, GatewayClient, LeaseStatus, Session},
	tls::Identity,
};
use ccre_primitives::{hex, LeaseView, OrderId, OrderView};
use serde_json::json;
use std::{
	path::Path,
	time::{Duration, Instant},
};

type Lease = LeaseView<String, u128, u32>;

/// How often the chain and the gateway are asked for progress.
const POLL: Duration = Duration::from_millis(500);

/// Places the order, waits for its lease, sends the manifest and waits for the services to
/// run; prints each step as it happens and returns the endpoints.
pub async fn deploy(
	url: &str,
	args: &OrderArgs,
	cert_dir: &Path,
	timeout_secs: u64,
) -> Result<String, Failure> {
	// Everything that can be checked locally is, before any money moves.
	let (identity, manifest_bytes) = prepare(&args.file, cert_dir)?;
	let chain = Chain::connect(url).await?;
	let (manifest, order) = place_order(&chain, args).await?;
	println!("order {order} placed for manifest {}", hex::encode(&manifest.hash()));
	let deadline = Instant::now() + Duration::from_secs(timeout_secs);
	let lease = wait_for_lease(&chain, order, deadline).await?;
	println!("leased to {} at {} per block", lease.provider, lease.price);
	deliver(&chain, &lease, identity, manifest_bytes, deadline).await
}

/// Sends lease `lease`'s manifest in `file` to its provider and waits for its services.
pub async fn send(
	chain: &Chain,
	lease: OrderId,
	file: &Path,
	cert_dir: &Path,
	timeout_secs: u64,
) -> Result<String, Failure> {
	let (identity, manifest_bytes) = prepare(file, cert_dir)?;
	let lease: Option<Lease> = chain.query_as("ccre_lease", vec![json!(lease)]).await?;
	let lease = lease.ok_or_else(|| Failure::Invalid("no such lease".into()))?;
	let deadline = Instant::now() + Duration::from_secs(timeout_secs);
	deliver(chain, &lease, identity, manifest_bytes, deadline).await
}

/// The tenant's identity and the manifest's bytes, as they will be sent.
fn prepare(file: &Path, cert_dir: &Path) -> Result<(Identity, Vec<u8>), Failure> {
	let identity = identity(cert_dir)?;
	let manifest = std::fs::read(file).map_err(|error| Failure::Read(file.to_path_buf(), error))?;
	Ok((identity, manifest))
}

/// Sends the manifest to the lease's provider, then reports the deployment's progress until
/// its services run; returns their endpoints.
async fn deliver(
	chain: &Chain,
	lease: &Lease,
	identity: Identity,
	manifest: Vec<u8>,
	deadline: Instant,
) -> Result<String, Failure> {
	let order = lease.id;
	let gateway = GatewayClient::of_provider(chain, &lease.provider, identity).await?;
	let mut session = gateway.open().await?;
	let mut status = session.send_manifest(order, manifest).await?;
	println!("manifest accepted: {}", state_name(status.state));
	let mut reported = status.state;
	while status.state != DeploymentState::Running {
		match status.state {
			DeploymentState::Failed | DeploymentState::Closed => {
				return Err(Failure::Invalid(format!(
					"lease {order} {}: {}",
					state_name(status.state),
					status.message.unwrap_or_default()
				)))
			},
			_ if Instant::now() > deadline => {
				return Err(Failure::Invalid(format!(
					"lease {order} still {} at the deadline",
					state_name(status.state)
				)))
			},
			_ => tokio::time::sleep(POLL).await,
		}
		status = match session.status(order).await {
			Ok(status) => status,
			// The gateway closes connections that wait too long between requests: a new one.
			Err(ClientError::Connect(_)) => {
				session = gateway.open().await?;
				session.status(order).await?
			},
			Err(error) => return Err(error.into()),
		};
		if status.state != reported {
			println!("deployment {}", state_name(status.state));
			reported = status.state;
		}
	}
	Ok(endpoints(&status))
}

/// A session with the gateway of lease `lease`'s provider.
pub async fn session(chain: &Chain, lease: OrderId, cert_dir: &Path) -> Result<Session, Failure> {
	let identity = identity(cert_dir)?;
	let lease: Option<Lease> = chain.query_as("ccre_lease", vec![json!(lease)]).await?;
	let lease = lease.ok_or_else(|| Failure::Invalid("no such lease".into()))?;
	Ok(GatewayClient::of_provider(chain, &lease.provider, identity).await?.open().await?)
}

fn identity(cert_dir: &Path) -> Result<Identity, Failure> {
	Identity::load(&cert_dir.join("client.crt"), &cert_dir.join("client.key")).map_err(|reason| {
		Failure::Invalid(format!(
			"no client certificate: {reason} (make one with `ccre cert new {}` and publish it)",
			cert_dir.display()
		))
	})
}

/// Waits until order `order` is leased, printing the bids as they come.
async fn wait_for_lease(
	chain: &Chain,
	order: OrderId,
	deadline: Instant,
) -> Result<Lease, Failure> {
	let mut reported = None;
	loop {
		if let Some(lease) =
			chain.query_as::<Option<Lease>>("ccre_lease", vec![json!(order)]).await?
		{
			return Ok(lease);
		}
		let open: Option<OrderView<String, u128, u32>> =
			chain.query_as("ccre_order", vec![json!(order)]).await?;
		let Some(open) = open else {
			return Err(Failure::Invalid(format!(
				"order {order} closed without a lease: no eligible provider bid in its window"
			)));
		};
		let progress = (open.bids.len(), open.closes_at);
		if reported != Some(progress) {
			let best = open.bids.iter().map(|bid| bid.price).min();
			println!(
				"waiting for the match at block {}: {} bid(s){}",
				open.closes_at,
				open.bids.len(),
				best.map(|price| format!(", best {price} per block")).unwrap_or_default()
			);
			reported = Some(progress);
		}
		if Instant::now() > deadline {
			return Err(Failure::Invalid(format!("order {order} not leased in time")));
		}
		tokio::time::sleep(POLL).await;
	}
}

fn state_name(state: DeploymentState) -> String {
	serde_json::to_string(&state).unwrap_or_default().trim_matches('"').to_string()
}

fn endpoints(status: &LeaseStatus) -> String {
	let mut lines = vec![format!("lease {} running", status.lease)];
	for endpoint in &status.endpoints {
		lines.push(format!(
			"  {}[{}] port {}/{}: {}:{}",
			endpoint.service,
			endpoint.instance,
			endpoint.port,
			serde_json::to_string(&endpoint.protocol).unwrap_or_default().trim_matches('"'),
			endpoint.host,
			endpoint.host_port
		));
	}
	lines.join("\n")
}
