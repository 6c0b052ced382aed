//! The manifest gateway: HTTPS with mutual TLS, the API in `ccre_client::gateway`. Every
//! request is authorised against the chain: the client's certificate must be published,
//! unrevoked, unexpired and owned by the lease's tenant (or, for a relay, by the provider of
//! another lease of the same deployment). A manifest is deployed only if its hash, computed
//! the documented way, is the one the lease records.

use crate::daemon::{Daemon, Lease};
use crate::workload::{LogSource, WorkloadBackend};
use ccre_client::{
	chain::Chain,
	gateway::{DeploymentState, ErrorBody, ErrorCode, LeaseStatus},
	tls,
};
use ccre_primitives::{
	hex,
	manifest::{Manifest, MAX_MANIFEST_LEN},
	rpc::CertificateCheck,
	satisfies, CertificateRefusal, Fingerprint, LeaseState, OrderId,
};
use http_body_util::{combinators::BoxBody, BodyExt, Full, Limited, StreamBody};
use hyper::{body::Bytes, body::Incoming, Method, Request, Response};
use serde_json::json;
use std::{
	collections::HashMap,
	convert::Infallible,
	io::{Read, Seek, SeekFrom},
	net::{IpAddr, SocketAddr},
	path::Path,
	sync::{Arc, Mutex, MutexGuard},
	time::{Duration, Instant},
};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_rustls::TlsAcceptor;
use tracing::{debug, info, warn};

/// Connections served at once; more wait in the listen backlog until one ends.
pub const MAX_CONNECTIONS: usize = 4096;
/// Connections one peer address may hold at once; more are closed as soon as accepted.
pub const MAX_CONNECTIONS_PER_PEER: usize = 64;
/// How long a client has to complete its TLS handshake.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(3);
/// How long a client has to send a request's headers, the first and each next one.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a client has to send a request's body.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);
/// The pause after a failed accept (out of file descriptors, say), instead of spinning.
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_millis(100);
/// How often a followed log is read for what was written since.
const FOLLOW_POLL: Duration = Duration::from_millis(500);
/// The longest one request follows a log (it holds a connection meanwhile).
const FOLLOW_LIMIT: Duration = Duration::from_secs(3600);
/// The most read from one log at a time while following.
const FOLLOW_CHUNK: u64 = 64 * 1024;
/// Chain queries the gateway makes at once, whatever the number of requests: a flood of
/// strangers' handshakes waits for them rather than loading the node.
const CONCURRENT_CHAIN_QUERIES: usize = 8;
/// Certificate checks remembered (for the best block they were made at).
const CHECK_CACHE_ENTRIES: usize = 4096;

/// A refusal: its code and a message for the caller.
struct Refusal(ErrorCode, String);

impl Refusal {
	fn new(code: ErrorCode, message: impl Into<String>) -> Self {
		Refusal(code, message.into())
	}
}

type Answer = Result<(u16, Body, &'static str), Refusal>;

/// A response's body: whole, or a followed log as it grows.
type Body = BoxBody<Bytes, Infallible>;

/// A whole body.
fn whole(bytes: Vec<u8>) -> Body {
	Full::new(Bytes::from(bytes)).boxed()
}

/// What the gateway shares between connections: its limits and its cache of checks.
struct Guards {
	connections: Arc<Semaphore>,
	per_peer: Mutex<HashMap<IpAddr, usize>>,
	chain_queries: Semaphore,
	/// Certificate checks by owner and fingerprint: the best block they were made at and
	/// their outcome. Valid for that block only, so a revocation counts from the next one.
	checks: Mutex<HashMap<(String, Fingerprint), (u32, Result<(), (ErrorCode, String)>)>>,
}

impl Guards {
	fn new() -> Self {
		Self {
			connections: Arc::new(Semaphore::new(MAX_CONNECTIONS)),
			per_peer: Mutex::new(HashMap::new()),
			chain_queries: Semaphore::new(CONCURRENT_CHAIN_QUERIES),
			checks: Mutex::new(HashMap::new()),
		}
	}

	fn per_peer(&self) -> MutexGuard<'_, HashMap<IpAddr, usize>> {
		crate::lock(&self.per_peer)
	}

	/// Counts a connection of `peer`, unless it holds its share already.
	fn admit(self: &Arc<Self>, peer: IpAddr) -> Option<PeerSlot> {
		let mut per_peer = self.per_peer();
		let held = per_peer.entry(peer).or_insert(0);
		if *held >= MAX_CONNECTIONS_PER_PEER {
			return None;
		}
		*held += 1;
		Some(PeerSlot { guards: self.clone(), peer })
	}
}

/// A peer's connection, counted while it lives.
struct PeerSlot {
	guards: Arc<Guards>,
	peer: IpAddr,
}

impl Drop for PeerSlot {
	fn drop(&mut self) {
		let mut per_peer = self.guards.per_peer();
		if let Some(held) = per_peer.get_mut(&self.peer) {
			*held = held.saturating_sub(1);
			if *held == 0 {
				per_peer.remove(&self.peer);
			}
		}
	}
}

/// Serves the gateway on its configured address until the process ends.
pub async fn serve(daemon: Arc<Daemon>, listener: tokio::net::TcpListener) -> Result<(), String> {
	let identity =
		tls::Identity::load(&daemon.config.gateway.certificate, &daemon.config.gateway.key)?;
	let acceptor = TlsAcceptor::from(Arc::new(tls::server_config(identity)?));
	let guards = Arc::new(Guards::new());
	info!(listen = ?listener.local_addr().ok(), "manifest gateway up");
	loop {
		// Held for the connection's life: at the cap, new connections wait in the backlog.
		let Ok(permit) = guards.connections.clone().acquire_owned().await else {
			return Err("the gateway's connection limit was closed".into());
		};
		let (tcp, peer) = match listener.accept().await {
			Ok(accepted) => accepted,
			Err(error) => {
				warn!(%error, "accept failed");
				tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
				continue;
			},
		};
		let Some(slot) = guards.admit(peer.ip()) else {
			debug!(%peer, "over the per-peer connection limit; closed");
			daemon.metrics.gateway_requests.with_label_values(&["too-many-connections"]).inc();
			continue;
		};
		let _ = tcp.set_nodelay(true);
		let (acceptor, daemon, guards) = (acceptor.clone(), daemon.clone(), guards.clone());
		tokio::spawn(connection(acceptor, daemon, guards, tcp, peer, (permit, slot)));
	}
}

/// Serves one connection: the handshake and the requests on it, each bounded in time.
async fn connection(
	acceptor: TlsAcceptor,
	daemon: Arc<Daemon>,
	guards: Arc<Guards>,
	tcp: tokio::net::TcpStream,
	peer: SocketAddr,
	_held: (OwnedSemaphorePermit, PeerSlot),
) {
	let tls = match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
		Ok(Ok(tls)) => tls,
		Ok(Err(error)) => {
			info!(%peer, %error, "TLS handshake failed");
			return;
		},
		Err(_) => {
			debug!(%peer, "TLS handshake not completed in time; closed");
			return;
		},
	};
	let client = tls
		.get_ref()
		.1
		.peer_certificates()
		.and_then(|chain| chain.first())
		.map(|certificate| ccre_primitives::fingerprint(certificate));
	let service = hyper::service::service_fn(move |request| {
		let (daemon, guards) = (daemon.clone(), guards.clone());
		async move {
			Ok::<_, std::convert::Infallible>(handle(&daemon, &guards, client, peer, request).await)
		}
	});
	let io = hyper_util::rt::TokioIo::new(tls);
	let _ = hyper::server::conn::http1::Builder::new()
		.timer(hyper_util::rt::TokioTimer::new())
		.header_read_timeout(HEADER_TIMEOUT)
		.serve_connection(io, service)
		.await;
}

/// Binds the gateway's address (so a caller learns at once if it is taken).
pub async fn bind(listen: SocketAddr) -> Result<tokio::net::TcpListener, String> {
	tokio::net::TcpListener::bind(listen)
		.await
		.map_err(|error| format!("gateway cannot listen on {listen}: {error}"))
}

async fn handle(
	daemon: &Arc<Daemon>,
	guards: &Guards,
	client: Option<Fingerprint>,
	peer: SocketAddr,
	request: Request<Incoming>,
) -> Response<Body> {
	let method = request.method().clone();
	let path = request.uri().path().to_string();
	let outcome = route(daemon, guards, client, request).await;
	let (status, body, content_type, label) = match outcome {
		Ok((status, body, content_type)) => (status, body, content_type, "ok".to_string()),
		Err(Refusal(code, message)) => {
			let body = serde_json::to_vec(&ErrorBody { error: code, message }).unwrap_or_default();
			let label =
				serde_json::to_string(&code).unwrap_or_default().trim_matches('"').to_string();
			(code.status(), whole(body), "application/json", label)
		},
	};
	info!(%peer, %method, %path, status, outcome = %label, "gateway request");
	daemon.metrics.gateway_requests.with_label_values(&[&label]).inc();
	Response::builder()
		.status(status)
		.header("content-type", content_type)
		.body(body)
		.unwrap_or_else(|_| Response::new(whole(Vec::new())))
}

async fn route(
	daemon: &Arc<Daemon>,
	guards: &Guards,
	client: Option<Fingerprint>,
	request: Request<Incoming>,
) -> Answer {
	let segments: Vec<&str> = request.uri().path().trim_matches('/').split('/').collect();
	let (lease, resource) = match segments[..] {
		["leases", id, resource] => (
			id.parse::<OrderId>().map_err(|_| {
				Refusal::new(ErrorCode::BadRequest, format!("{id} is not a lease id"))
			})?,
			resource.to_string(),
		),
		_ => {
			return Err(Refusal::new(
				ErrorCode::NotFound,
				"see the gateway API: /leases/{id}/manifest|status|logs",
			))
		},
	};
	let query = request.uri().query().unwrap_or("").to_string();
	let client = client.ok_or_else(|| {
		Refusal::new(
			ErrorCode::NoClientCertificate,
			"present a client certificate published on chain",
		)
	})?;
	let chain = daemon.chain().await.ok_or_else(|| {
		Refusal::new(ErrorCode::Unavailable, "the provider is reconnecting to the chain; retry")
	})?;
	let checker = Checker { daemon, guards, chain: &chain };
	let view = checker.lease(lease).await?;
	match (request.method().clone(), resource.as_str()) {
		(Method::PUT, "manifest") => {
			checker.authorize(&view.tenant, client).await?;
			if view.state != LeaseState::Active {
				return Err(Refusal::new(
					ErrorCode::LeaseClosed,
					format!("lease {lease} is closed"),
				));
			}
			let body = read_body(request).await?;
			daemon
				.adopt_lease(&chain, &view)
				.await
				.map_err(|error| Refusal::new(ErrorCode::Unavailable, error.to_string()))?;
			accept_manifest(daemon, lease, &view, body)
		},
		(Method::GET, "status") => {
			checker.authorize(&view.tenant, client).await?;
			json_answer(&status(daemon, lease, &view))
		},
		(Method::GET, "logs") => {
			checker.authorize(&view.tenant, client).await?;
			let lines = parameter(&query, "tail").unwrap_or(100);
			let backend = daemon.backend.clone();
			let (logs, sources) = tokio::task::spawn_blocking(move || {
				Ok::<_, crate::workload::WorkloadError>((
					backend.logs(lease, lines as usize)?,
					backend.log_sources(lease)?,
				))
			})
			.await
			.map_err(|error| Refusal::new(ErrorCode::Unavailable, error.to_string()))?
			.map_err(|error| Refusal::new(ErrorCode::NoManifest, error.to_string()))?;
			let body = match parameter(&query, "follow") {
				Some(1) => follow(daemon.backend.clone(), lease, sources, logs),
				_ => whole(logs.into_bytes()),
			};
			Ok((200, body, "text/plain; charset=utf-8"))
		},
		(Method::GET, "manifest") => {
			match parameter(&query, "for") {
				Some(other) => checker.authorize_relay(&view, other, client).await?,
				None => checker.authorize(&view.tenant, client).await?,
			}
			let manifest =
				daemon.state().leases.get(&lease).and_then(|record| record.manifest.clone());
			let manifest = manifest.ok_or_else(|| {
				Refusal::new(
					ErrorCode::NoManifest,
					format!("lease {lease}'s tenant has not sent its manifest"),
				)
			})?;
			Ok((200, whole(manifest.into_bytes()), "application/yaml"))
		},
		_ => Err(Refusal::new(
			ErrorCode::NotFound,
			format!("no {} {resource} on a lease", request.method()),
		)),
	}
}

/// The chain checks of one request, under the gateway's limit on chain queries and through
/// its cache of certificate checks.
struct Checker<'a> {
	daemon: &'a Daemon,
	guards: &'a Guards,
	chain: &'a Chain,
}

impl Checker<'_> {
	async fn query<T: serde::de::DeserializeOwned>(
		&self,
		method: &str,
		params: Vec<serde_json::Value>,
	) -> Result<T, Refusal> {
		let unavailable = |reason: String| Refusal::new(ErrorCode::Unavailable, reason);
		let _permit =
			self.guards.chain_queries.acquire().await.map_err(|e| unavailable(e.to_string()))?;
		self.chain.query_as(method, params).await.map_err(|error| unavailable(error.to_string()))
	}

	/// The lease, if it is this provider's.
	async fn lease(&self, lease: OrderId) -> Result<Lease, Refusal> {
		let view: Option<Lease> = self.query("ccre_lease", vec![json!(lease)]).await?;
		view.filter(|view| view.provider == self.daemon.address).ok_or_else(|| {
			Refusal::new(ErrorCode::UnknownLease, format!("no lease {lease} with this provider"))
		})
	}

	/// Checks on chain that the certificate with `fingerprint` may act as `owner` now; a
	/// check made at the best block is remembered until the next one.
	async fn authorize(&self, owner: &str, fingerprint: Fingerprint) -> Result<(), Refusal> {
		let block = self.daemon.best_block();
		let key = (owner.to_string(), fingerprint);
		let cached = self.guards.checks().get(&key).filter(|(at, _)| *at == block).cloned();
		let outcome = match cached {
			Some((_, outcome)) => outcome,
			None => {
				let check: CertificateCheck = self
					.query(
						"ccre_checkCertificate",
						vec![json!(owner), json!(hex::encode(&fingerprint))],
					)
					.await?;
				let outcome = check_outcome(&check, owner, &fingerprint);
				let mut checks = self.guards.checks();
				if checks.len() >= CHECK_CACHE_ENTRIES {
					checks.retain(|_, (at, _)| *at == block);
				}
				if checks.len() < CHECK_CACHE_ENTRIES {
					checks.insert(key, (block, outcome.clone()));
				}
				outcome
			},
		};
		outcome.map_err(|(code, message)| Refusal::new(code, message))
	}

	/// A relay: the caller serves lease `other`, of the same tenant and manifest, and
	/// presents its own published certificate.
	async fn authorize_relay(
		&self,
		lease: &Lease,
		other: u64,
		fingerprint: Fingerprint,
	) -> Result<(), Refusal> {
		let view: Option<Lease> = self.query("ccre_lease", vec![json!(other)]).await?;
		let peer = view
			.filter(|view| {
				view.tenant == lease.tenant
					&& view.manifest_hash == lease.manifest_hash
					&& view.state == LeaseState::Active
			})
			.ok_or_else(|| {
				Refusal::new(
					ErrorCode::WrongOwner,
					format!("lease {other} is not an active lease of the same deployment"),
				)
			})?;
		self.authorize(&peer.provider, fingerprint).await
	}
}

impl Guards {
	fn checks(
		&self,
	) -> MutexGuard<'_, HashMap<(String, Fingerprint), (u32, Result<(), (ErrorCode, String)>)>> {
		crate::lock(&self.checks)
	}
}

/// What the chain's certificate check means for a request.
fn check_outcome(
	check: &CertificateCheck,
	owner: &str,
	fingerprint: &Fingerprint,
) -> Result<(), (ErrorCode, String)> {
	let code = match check.refusal {
		None if check.accepted => return Ok(()),
		None | Some(CertificateRefusal::NotPublished) => ErrorCode::CertificateNotPublished,
		Some(CertificateRefusal::WrongOwner) => ErrorCode::WrongOwner,
		Some(CertificateRefusal::Revoked) => ErrorCode::CertificateRevoked,
		Some(CertificateRefusal::Expired) => ErrorCode::CertificateExpired,
		Some(CertificateRefusal::NotYetValid) => ErrorCode::CertificateNotYetValid,
	};
	Err((code, format!("certificate {} refused for {owner}", hex::encode(fingerprint))))
}

/// Reads a body of at most a manifest's size.
async fn read_body(request: Request<Incoming>) -> Result<Vec<u8>, Refusal> {
	let oversized = || {
		Refusal::new(
			ErrorCode::OversizedBody,
			format!("a manifest is at most {MAX_MANIFEST_LEN} bytes"),
		)
	};
	let declared = request
		.headers()
		.get(hyper::header::CONTENT_LENGTH)
		.and_then(|length| length.to_str().ok()?.parse::<usize>().ok());
	if declared.is_some_and(|length| length > MAX_MANIFEST_LEN) {
		return Err(oversized());
	}
	let body = tokio::time::timeout(
		BODY_TIMEOUT,
		Limited::new(request.into_body(), MAX_MANIFEST_LEN).collect(),
	)
	.await
	.map_err(|_| {
		Refusal::new(ErrorCode::BadRequest, format!("the body took over {BODY_TIMEOUT:?}"))
	})?;
	body.map(|body| body.to_bytes().to_vec()).map_err(|_| oversized())
}

/// Checks the manifest against the lease and, if it is the one, deploys it.
fn accept_manifest(daemon: &Arc<Daemon>, lease: OrderId, view: &Lease, body: Vec<u8>) -> Answer {
	let manifest = Manifest::parse(&body)
		.map_err(|error| Refusal::new(ErrorCode::MalformedManifest, error.to_string()))?;
	let hash = manifest.hash();
	if hash != view.manifest_hash {
		return Err(Refusal::new(
			ErrorCode::HashMismatch,
			format!(
				"the manifest hashes to {}, the lease records {}",
				hex::encode(&hash),
				hex::encode(&view.manifest_hash)
			),
		));
	}
	let text = String::from_utf8(body)
		.map_err(|_| Refusal::new(ErrorCode::MalformedManifest, "not UTF-8"))?;
	let needs = manifest
		.total_resources()
		.map_err(|error| Refusal::new(ErrorCode::MalformedManifest, error.to_string()))?;
	let hash = hex::encode(&hash);
	// Read first: a manifest sent again (a retry) changes nothing, so nothing is written.
	let record = daemon
		.state()
		.leases
		.get(&lease)
		.map(|record| (record.requirement.clone(), deployed_version(record)));
	let (requirement, deployed) = record.ok_or_else(|| {
		Refusal::new(
			ErrorCode::Unavailable,
			"the provider has not seen this lease's match yet; retry",
		)
	})?;
	if !satisfies(&needs, &requirement) {
		return Err(Refusal::new(
			ErrorCode::ExceedsLease,
			"the manifest needs more than the lease's order",
		));
	}
	if deployed.as_ref() == Some(&hash) {
		return json_answer(&status(daemon, lease, view));
	}
	// Registry logins never reach the state file: what is stored is the manifest without
	// them, enough to deploy again from images already pulled.
	let stored = if manifest.has_credentials() {
		String::from_utf8_lossy(&manifest.without_credentials().canonical_json()).into_owned()
	} else {
		text
	};
	// The first version, or a new one the tenant set on chain since (an update).
	let accepted = daemon.change(|state| match state.leases.get_mut(&lease) {
		Some(record) if deployed_version(record) == deployed => {
			record.manifest = Some(stored.clone());
			record.manifest_hash = Some(hash.clone());
			record.phase =
				if record.started { DeploymentState::Running } else { DeploymentState::Deploying };
			record.message = None;
			true
		},
		// Another request changed it meanwhile, or the lease was torn down.
		_ => false,
	});
	if accepted {
		match deployed {
			None => {
				info!(lease, manifest = %hash, "manifest accepted");
				daemon.deploy(lease, manifest);
			},
			Some(previous) => {
				info!(lease, from = %previous, to = %hash, "manifest updated; redeploying");
				daemon.redeploy(lease, manifest);
			},
		}
	}
	json_answer(&status(daemon, lease, view))
		.map(|(_, body, content_type)| (if accepted { 202 } else { 200 }, body, content_type))
}

/// The version of a lease's manifest the daemon accepted, if any: its recorded hash, or for a
/// record written before hashes were kept, the stored manifest's.
fn deployed_version(record: &crate::state::LeaseRecord) -> Option<String> {
	let manifest = record.manifest.as_ref()?;
	record.manifest_hash.clone().or_else(|| {
		Manifest::parse(manifest.as_bytes()).ok().map(|parsed| hex::encode(&parsed.hash()))
	})
}

/// The lease's deployment as its tenant sees it.
fn status(daemon: &Daemon, lease: OrderId, view: &Lease) -> LeaseStatus {
	let record = daemon.state().leases.get(&lease).cloned();
	let (instances, endpoints) = daemon.backend.status(lease).unwrap_or_default();
	let state = match (&record, &view.state) {
		(_, LeaseState::Active) => {
			record.as_ref().map(|record| record.phase).unwrap_or(DeploymentState::AwaitingManifest)
		},
		_ => DeploymentState::Closed,
	};
	LeaseStatus {
		lease,
		state,
		instances,
		endpoints,
		message: record.and_then(|record| record.message),
	}
}

fn json_answer<T: serde::Serialize>(value: &T) -> Answer {
	serde_json::to_vec(value)
		.map(|body| (200, whole(body), "application/json"))
		.map_err(|error| Refusal::new(ErrorCode::Unavailable, error.to_string()))
}

/// The query parameter `name` as a number.
fn parameter(query: &str, name: &str) -> Option<u64> {
	query.split('&').find_map(|pair| pair.strip_prefix(name)?.strip_prefix('=')?.parse().ok())
}

/// A body that starts with `tail` and then carries each line the lease's instances write,
/// prefixed `service-N | `, until the lease is torn down, the client leaves or
/// [`FOLLOW_LIMIT`] passes.
fn follow(
	backend: Arc<dyn WorkloadBackend>,
	lease: OrderId,
	sources: Vec<LogSource>,
	tail: String,
) -> Body {
	let (sender, receiver) = tokio::sync::mpsc::channel::<Bytes>(16);
	tokio::spawn(async move {
		if sender.send(Bytes::from(tail)).await.is_err() {
			return;
		}
		let mut followers: Vec<Follower> = sources.into_iter().map(Follower::at_end).collect();
		let deadline = Instant::now() + FOLLOW_LIMIT;
		while Instant::now() < deadline {
			tokio::time::sleep(FOLLOW_POLL).await;
			let read = tokio::task::spawn_blocking(move || {
				let text: String = followers.iter_mut().map(Follower::read_new).collect();
				(followers, text)
			})
			.await;
			let Ok((read_back, text)) = read else { return };
			followers = read_back;
			if !text.is_empty() && sender.send(Bytes::from(text)).await.is_err() {
				return;
			}
			if backend.status(lease).is_none() {
				return;
			}
		}
	});
	let frames = futures_util::stream::unfold(receiver, |mut receiver| async move {
		let bytes = receiver.recv().await?;
		Some((Ok::<_, Infallible>(hyper::body::Frame::data(bytes)), receiver))
	});
	StreamBody::new(frames).boxed()
}

/// One instance's log, read from where it was last read.
struct Follower {
	source: LogSource,
	offset: u64,
	/// The start of a line not finished yet.
	partial: Vec<u8>,
}

impl Follower {
	/// Following `source` from its current end.
	fn at_end(source: LogSource) -> Self {
		let offset = std::fs::metadata(&source.path).map_or(0, |metadata| metadata.len());
		Self { source, offset, partial: Vec::new() }
	}

	/// The whole lines written since the last read, each prefixed with the instance; a log
	/// that shrank was rotated and is read from its start.
	fn read_new(&mut self) -> String {
		let Ok(bytes) = read_from(&self.source.path, &mut self.offset) else {
			return String::new();
		};
		self.partial.extend_from_slice(&bytes);
		let Some(end) = self.partial.iter().rposition(|byte| *byte == b'\n') else {
			return String::new();
		};
		let lines: Vec<u8> = self.partial.drain(..=end).collect();
		let messages = self.source.format.messages(&String::from_utf8_lossy(&lines));
		messages.lines().map(|line| format!("{} | {line}\n", self.source.label)).collect()
	}
}

/// At most [`FOLLOW_CHUNK`] bytes of the file at `path` from `offset`, which moves past them
/// (back to 0 first if the file is now shorter).
fn read_from(path: &Path, offset: &mut u64) -> std::io::Result<Vec<u8>> {
	let mut file = std::fs::File::open(path)?;
	let size = file.metadata()?.len();
	if size < *offset {
		*offset = 0;
	}
	file.seek(SeekFrom::Start(*offset))?;
	let mut bytes = Vec::new();
	file.take(FOLLOW_CHUNK).read_to_end(&mut bytes)?;
	*offset += bytes.len() as u64;
	Ok(bytes)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::workload::LogFormat;
	use std::io::Write;

	#[test]
	fn a_follower_sends_whole_new_lines_and_starts_again_after_a_rotation() {
		let dir = tempfile::tempdir().expect("a directory");
		let path = dir.path().join("web-0.log");
		std::fs::write(&path, "before\n").expect("written");
		let source =
			LogSource { label: "web-0".into(), path: path.clone(), format: LogFormat::Plain };
		let mut follower = Follower::at_end(source);
		assert_eq!(follower.read_new(), "");
		let mut file = std::fs::OpenOptions::new().append(true).open(&path).expect("opens");
		file.write_all(b"one\ntw").expect("written");
		assert_eq!(follower.read_new(), "web-0 | one\n");
		file.write_all(b"o\n").expect("written");
		assert_eq!(follower.read_new(), "web-0 | two\n");
		std::fs::write(&path, "new\n").expect("rotated");
		assert_eq!(follower.read_new(), "web-0 | new\n");
	}
}
