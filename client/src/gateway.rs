//! The manifest gateway's HTTP API, shared by the provider daemon (which serves it) and the
//! CLI (which calls it): its paths, its typed errors and the lease status it reports.
//!
//! | method and path | who may call | what |
//! | --- | --- | --- |
//! | `PUT /leases/{id}/manifest` | the lease's tenant | send the manifest (YAML or JSON, at most 64 KiB); deployed if its hash is the lease's |
//! | `GET /leases/{id}/status` | the lease's tenant | the deployment's state, instances and endpoints |
//! | `GET /leases/{id}/logs?tail=N` | the lease's tenant | the last N lines of every instance's output |
//! | `GET /leases/{id}/logs?tail=N&follow=1` | the lease's tenant | the same, then every line written (`service-N \| line`) as it comes, until the lease ends (an hour at most) |
//! | `GET /leases/{id}/manifest?for={other}` | the tenant, or the provider of lease `other` of the same tenant and manifest hash | the manifest as the tenant sent it (relay) |
//!
//! Callers authenticate with a client certificate published on chain (mutual TLS); every
//! refusal is a JSON [`ErrorBody`] with its [`ErrorCode`].

use crate::chain::{Chain, ChainError};
use ccre_primitives::{manifest::Protocol, CertificateView, OrderId, ProviderView};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Why the gateway refused a request; the `error` field of an [`ErrorBody`].
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorCode {
	/// The request presented no client certificate.
	NoClientCertificate,
	/// The certificate is not published on chain.
	CertificateNotPublished,
	/// The certificate belongs to another account than the lease's tenant (or relay peer).
	WrongOwner,
	/// The certificate was revoked.
	CertificateRevoked,
	/// The certificate's validity has ended.
	CertificateExpired,
	/// The certificate's validity has not begun.
	CertificateNotYetValid,
	/// No such lease with this provider.
	UnknownLease,
	/// The lease is closed.
	LeaseClosed,
	/// The manifest's hash is not the one the lease records.
	HashMismatch,
	/// The body is not a valid manifest.
	MalformedManifest,
	/// The manifest needs more than the lease pays for.
	ExceedsLease,
	/// The body is larger than a manifest may be.
	OversizedBody,
	/// The tenant has not sent the manifest yet (relay, logs).
	NoManifest,
	/// No such method or path.
	NotFound,
	/// A malformed request (bad lease id, bad query).
	BadRequest,
	/// The provider could not deploy or answer: its chain connection or a workload failed.
	Unavailable,
}

impl ErrorCode {
	/// The HTTP status the gateway answers this refusal with.
	pub fn status(self) -> u16 {
		match self {
			Self::NoClientCertificate => 401,
			Self::CertificateNotPublished
			| Self::WrongOwner
			| Self::CertificateRevoked
			| Self::CertificateExpired
			| Self::CertificateNotYetValid => 403,
			Self::UnknownLease | Self::NotFound | Self::NoManifest => 404,
			Self::LeaseClosed | Self::HashMismatch => 409,
			Self::MalformedManifest | Self::ExceedsLease | Self::BadRequest => 400,
			Self::OversizedBody => 413,
			Self::Unavailable => 503,
		}
	}
}

/// A refusal's body.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct ErrorBody {
	/// What kind of refusal.
	pub error: ErrorCode,
	/// Details for a person.
	pub message: String,
}

/// Where a deployment is.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "kebab-case")]
pub enum DeploymentState {
	/// Leased, waiting for the tenant's manifest.
	AwaitingManifest,
	/// The manifest was accepted; its services are starting.
	Deploying,
	/// Every instance is running and the lease is started on chain.
	Running,
	/// The services could not be started.
	Failed,
	/// The lease closed and the services were torn down.
	Closed,
}

/// Where a service's port is reachable.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct Endpoint {
	/// The service's name in the manifest.
	pub service: String,
	/// Which instance of the service (0-based).
	pub instance: u32,
	/// The port as the manifest declares it.
	pub port: u16,
	/// Its protocol.
	pub protocol: Protocol,
	/// The host to connect to.
	pub host: String,
	/// The port to connect to on that host.
	pub host_port: u16,
}

/// One running (or restarting) instance of a service.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct InstanceStatus {
	/// The service's name in the manifest.
	pub service: String,
	/// Which instance of the service (0-based).
	pub instance: u32,
	/// Its process, while running.
	pub pid: Option<u32>,
	/// Whether it is running now.
	pub running: bool,
	/// How many times it was restarted after exiting.
	pub restarts: u32,
	/// How it last exited, if it did.
	pub last_exit: Option<String>,
}

/// A lease's deployment as its provider reports it.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct LeaseStatus {
	/// The lease.
	pub lease: OrderId,
	/// Where its deployment is.
	pub state: DeploymentState,
	/// Its instances.
	pub instances: Vec<InstanceStatus>,
	/// Where its services answer.
	pub endpoints: Vec<Endpoint>,
	/// Why it failed, if it did.
	pub message: Option<String>,
}

/// The path of lease `lease`'s `resource` (`manifest`, `status`, `logs`).
pub fn lease_path(lease: OrderId, resource: &str) -> String {
	format!("/leases/{lease}/{resource}")
}

/// Why a request to a gateway failed.
#[derive(Debug)]
pub enum ClientError {
	/// The provider's gateway could not be looked up on chain.
	Chain(ChainError),
	/// The gateway could not be reached, or the TLS handshake failed.
	Connect(String),
	/// The gateway refused the request.
	Refused(ErrorBody),
	/// The gateway answered something that is not its API.
	Protocol(String),
}

impl std::fmt::Display for ClientError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Self::Chain(error) => write!(f, "cannot look the gateway up: {error}"),
			Self::Connect(reason) => write!(f, "cannot reach the gateway: {reason}"),
			Self::Refused(body) => write!(
				f,
				"the gateway refused it ({}): {}",
				serde_json::to_string(&body.error).unwrap_or_default().trim_matches('"'),
				body.message
			),
			Self::Protocol(reason) => write!(f, "the gateway's answer makes no sense: {reason}"),
		}
	}
}

/// A provider's gateway, reached over mutual TLS.
pub struct GatewayClient {
	connector: tokio_rustls::TlsConnector,
	host: String,
	port: u16,
}

/// An open connection to a gateway; requests on it reuse the TLS session.
pub struct Session {
	sender: hyper::client::conn::http1::SendRequest<http_body_util::Full<bytes::Bytes>>,
	authority: String,
}

impl GatewayClient {
	/// A client for the gateway at `uri` (`https://host:port`, a provider's `host_uri`),
	/// presenting `identity` and trusting the gateway's certificate only if it is one of
	/// `trusted` (the provider's published fingerprints, with their validity).
	pub fn new(
		uri: &str,
		identity: crate::tls::Identity,
		trusted: Vec<(ccre_primitives::Fingerprint, ccre_primitives::Validity)>,
	) -> Result<Self, ClientError> {
		let parsed: hyper::Uri =
			uri.parse().map_err(|error| ClientError::Connect(format!("{uri}: {error}")))?;
		if parsed.scheme_str() != Some("https") {
			return Err(ClientError::Connect(format!("{uri}: not an https:// URI")));
		}
		let host = parsed
			.host()
			.ok_or_else(|| ClientError::Connect(format!("{uri}: no host")))?
			.trim_matches(|c| c == '[' || c == ']')
			.to_string();
		let config = crate::tls::client_config(identity, trusted).map_err(ClientError::Connect)?;
		Ok(GatewayClient {
			connector: tokio_rustls::TlsConnector::from(std::sync::Arc::new(config)),
			host,
			port: parsed.port_u16().unwrap_or(443),
		})
	}

	/// A client for the gateway of `provider` as the chain records it: its host URI, trusting
	/// the certificates the provider published and has not revoked.
	pub async fn of_provider(
		chain: &Chain,
		provider: &str,
		identity: crate::tls::Identity,
	) -> Result<Self, ClientError> {
		let view: Option<ProviderView<String, u128, u32>> = chain
			.query_as("ccre_provider", vec![json!(provider)])
			.await
			.map_err(ClientError::Chain)?;
		let view = view.ok_or_else(|| {
			ClientError::Connect(format!("provider {provider} is not registered"))
		})?;
		let uri = String::from_utf8(view.host_uri).map_err(|_| {
			ClientError::Connect(format!("provider {provider}'s host URI is not text"))
		})?;
		let certificates: Vec<CertificateView<String, u32>> = chain
			.query_as("ccre_certificatesOf", vec![json!(provider)])
			.await
			.map_err(ClientError::Chain)?;
		let trusted = certificates
			.into_iter()
			.filter(|certificate| certificate.revoked_at.is_none())
			.map(|certificate| (certificate.fingerprint, certificate.validity))
			.collect();
		Self::new(&uri, identity, trusted)
	}

	/// Opens a connection: TCP, the TLS handshake, HTTP/1.1.
	pub async fn open(&self) -> Result<Session, ClientError> {
		let connect = |error: &dyn std::fmt::Display| ClientError::Connect(error.to_string());
		let tcp = tokio::net::TcpStream::connect((self.host.as_str(), self.port))
			.await
			.map_err(|error| connect(&error))?;
		let _ = tcp.set_nodelay(true);
		let name = rustls::pki_types::ServerName::try_from(self.host.clone())
			.map_err(|error| connect(&error))?;
		let tls = self.connector.connect(name, tcp).await.map_err(|error| connect(&error))?;
		let (sender, connection) =
			hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(tls))
				.await
				.map_err(|error| connect(&error))?;
		// The connection drives itself until the session is dropped.
		tokio::spawn(connection);
		Ok(Session { sender, authority: format!("{}:{}", self.host, self.port) })
	}
}

impl Session {
	/// Sends a request and returns the body of a success; a refusal becomes
	/// [`ClientError::Refused`].
	pub async fn request(
		&mut self,
		method: hyper::Method,
		path: &str,
		body: Vec<u8>,
	) -> Result<Vec<u8>, ClientError> {
		let response = self.send(method, path, body).await?;
		collect(response.into_body()).await
	}

	/// Sends a request and answers the response of a success, its body still to read.
	async fn send(
		&mut self,
		method: hyper::Method,
		path: &str,
		body: Vec<u8>,
	) -> Result<hyper::Response<hyper::body::Incoming>, ClientError> {
		let request = hyper::Request::builder()
			.method(method)
			.uri(path)
			.header(hyper::header::HOST, &self.authority)
			.body(http_body_util::Full::new(bytes::Bytes::from(body)))
			.map_err(|error| ClientError::Protocol(error.to_string()))?;
		self.sender.ready().await.map_err(|error| ClientError::Connect(error.to_string()))?;
		let response = self
			.sender
			.send_request(request)
			.await
			.map_err(|error| ClientError::Connect(error.to_string()))?;
		let status = response.status();
		if status.is_success() {
			return Ok(response);
		}
		let bytes = collect(response.into_body()).await?;
		match serde_json::from_slice::<ErrorBody>(&bytes) {
			Ok(refusal) => Err(ClientError::Refused(refusal)),
			Err(_) => Err(ClientError::Protocol(format!(
				"HTTP {status}: {}",
				String::from_utf8_lossy(&bytes)
			))),
		}
	}

	/// Sends lease `lease`'s manifest (YAML or JSON, as written); answers the deployment's
	/// status once the gateway accepted it.
	pub async fn send_manifest(
		&mut self,
		lease: OrderId,
		manifest: Vec<u8>,
	) -> Result<LeaseStatus, ClientError> {
		let body =
			self.request(hyper::Method::PUT, &lease_path(lease, "manifest"), manifest).await?;
		parse(&body)
	}

	/// Lease `lease`'s deployment status.
	pub async fn status(&mut self, lease: OrderId) -> Result<LeaseStatus, ClientError> {
		let body = self.request(hyper::Method::GET, &lease_path(lease, "status"), vec![]).await?;
		parse(&body)
	}

	/// The last `lines` lines of output of each of lease `lease`'s instances.
	pub async fn logs(&mut self, lease: OrderId, lines: usize) -> Result<String, ClientError> {
		let path = format!("{}?tail={lines}", lease_path(lease, "logs"));
		let body = self.request(hyper::Method::GET, &path, vec![]).await?;
		String::from_utf8(body).map_err(|error| ClientError::Protocol(error.to_string()))
	}

	/// The last `lines` lines of each of lease `lease`'s instances, then each line they write
	/// (`service-N | line`), passed to `each` as they arrive, until the lease ends or the
	/// provider stops following (after an hour).
	pub async fn follow_logs(
		&mut self,
		lease: OrderId,
		lines: usize,
		mut each: impl FnMut(&str),
	) -> Result<(), ClientError> {
		use http_body_util::BodyExt;
		let path = format!("{}?tail={lines}&follow=1", lease_path(lease, "logs"));
		let mut body = self.send(hyper::Method::GET, &path, vec![]).await?.into_body();
		while let Some(frame) = body.frame().await {
			let frame = frame.map_err(|error| ClientError::Connect(error.to_string()))?;
			if let Ok(data) = frame.into_data() {
				each(&String::from_utf8_lossy(&data));
			}
		}
		Ok(())
	}

	/// Lease `lease`'s manifest as its tenant sent it, fetched by the provider of lease
	/// `for_lease` of the same deployment (relay).
	pub async fn relay_manifest(
		&mut self,
		lease: OrderId,
		for_lease: OrderId,
	) -> Result<Vec<u8>, ClientError> {
		let path = format!("{}?for={for_lease}", lease_path(lease, "manifest"));
		self.request(hyper::Method::GET, &path, vec![]).await
	}
}

/// A whole response body.
async fn collect(body: hyper::body::Incoming) -> Result<Vec<u8>, ClientError> {
	use http_body_util::BodyExt;
	Ok(body
		.collect()
		.await
		.map_err(|error| ClientError::Connect(error.to_string()))?
		.to_bytes()
		.to_vec())
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ClientError> {
	serde_json::from_slice(body).map_err(|error| ClientError::Protocol(error.to_string()))
}
