//! `ccre`, the CCRE command line for tenants and auditors.
//!
//! ```text
//! ccre manifest hash FILE            the manifest's hash, the `manifestHash` of an order
//! ccre manifest check FILE           whether the manifest is valid, and what it needs in all
//! ccre manifest send LEASE FILE      send an existing lease's manifest to its provider
//! ccre query order|lease ID          an order with its bids, a lease with its escrow
//! ccre query open-orders             the open orders
//! ccre query provider ACCOUNT        a provider: record, stake, attestations, reputation
//! ccre query certificates ACCOUNT    an account's certificates, revoked ones included
//! ccre query pool                    the SLA insurance pool
//! ccre query underwriting ACCOUNT    an underwriter's shares
//! ccre query downtime LEASE          what a downtime claim would cover now
//! ccre cert new DIR [--days N]       a client certificate and key for manifest gateways
//! ccre cert publish FILE [--key K]   publish a certificate on chain as the signer's
//! ccre cert revoke FINGERPRINT       revoke one of the signer's certificates
//! ccre deploy FILE ...               order, wait for the lease, send the manifest, print the endpoints
//! ccre status LEASE                  a deployment's state and endpoints, from its provider
//! ccre logs LEASE [--tail N] [--follow]   its services' output, from its provider
//! ccre order create FILE ...         place an order for the manifest's deployment
//! ccre order cancel ID               cancel an open order, its funds back
//! ccre order update ID FILE          set FILE as the order's (and its lease's) manifest version
//! ccre lease close ID                close a lease as its tenant
//! ccre escrow deposit ID AMOUNT      add AMOUNT (smallest units) to a deployment's escrow
//! ccre pool underwrite AMOUNT        put AMOUNT (smallest units) into the SLA insurance pool
//! ccre bench [--workload W] ...      load the node with transactions; print what it included
//! ccre market classes                the exchange's classes: lot, tick, halt, band, last print
//! ccre market book CLASS             the best levels of each side of a class's book
//! ccre market index CLASS            a class's price index, a print per 30 s interval
//! ccre market orders ACCOUNT         an account's open orders on the exchange
//! ccre market buy FILE --class C --limit P --duration B [--lots N] [--tif T]
//!                                    buy lots for the manifest; each seller opens a lease
//! ccre market sell CLASS --price P --lots N [--tif T]   sell lots as a provider
//! ccre market cancel ORDER           cancel an order on the exchange
//! ccre market deploy FILE --class C --limit P --duration B   buy at once, send the
//!                                    manifest to each seller, print the endpoints
//! ```
//!
//! Queries print the node's JSON as it wrote it (balances are 128-bit numbers). Calls are signed with the secret URI in `CCRE_SEED`. `--url` (or
//! `CCRE_URL`) names the node, `ws://127.0.0.1:9944` by default.
//!
//! Exit status: 0 on success, 1 when the input or the call is refused (the reason is
//! printed), 2 on a usage error.

mod bench;
mod deploy;
mod market;

use ccre_client::{
	certificate,
	chain::{signer_from_environment, Chain, ChainError, Encoded, Events, Wait},
	gateway::ClientError,
};
use ccre_primitives::manifest::{Manifest, ManifestError, MAX_MANIFEST_LEN};
use ccre_primitives::{
	hex, AuditorRule, ClearingRule, OrderId, OrderTerms, OrderType, Property, ResourceSet,
};
use clap::{Parser, Subcommand};
use codec::{Decode, Encode};
use serde_json::json;
use sp_runtime::Perbill;
use std::{fs, path::PathBuf, process::ExitCode};
use subxt::dynamic::Value as CallValue;

#[derive(Parser)]
#[command(name = "ccre", version, about = "The CCRE command line for tenants and auditors.")]
struct Cli {
	/// The node's RPC endpoint.
	#[arg(long, global = true, env = "CCRE_URL", default_value = "ws://127.0.0.1:9944")]
	url: String,
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Deployment manifests.
	#[command(subcommand)]
	Manifest(ManifestCommand),
	/// Chain state, as JSON: orders, leases, providers, the SLA pool.
	#[command(subcommand)]
	Query(Query),
	/// Client certificates for the providers' manifest gateways (mTLS).
	#[command(subcommand)]
	Cert(CertCommand),
	/// Orders.
	#[command(subcommand)]
	Order(OrderCommand),
	/// Leases.
	#[command(subcommand)]
	Lease(LeaseCommand),
	/// The spot exchange: classes, books, the price index, buying and selling lots.
	#[command(subcommand)]
	Market(market::MarketCommand),
	/// Escrow accounts.
	#[command(subcommand)]
	Escrow(EscrowCommand),
	/// The SLA insurance pool.
	#[command(subcommand)]
	Pool(PoolCommand),
	/// Loads the node with bursts of presigned transfers, orders and bids from accounts the
	/// signer (`CCRE_SEED`) funds, and prints what the chain included: per second, per block,
	/// what limited each block, and each market call's rate over the transfers'.
	Bench(bench::BenchArgs),
	/// Deploys a manifest: places the order, waits for the lease with progress, sends the
	/// manifest to the provider's gateway over mTLS and prints the service endpoints.
	Deploy {
		#[command(flatten)]
		order: OrderArgs,
		#[command(flatten)]
		gateway: GatewayArgs,
		/// How long to wait for the lease and then for the services, in seconds.
		#[arg(long, default_value_t = 300)]
		timeout: u64,
	},
	/// A deployment's state, instances and endpoints, as its provider reports them.
	Status {
		lease: u64,
		#[command(flatten)]
		gateway: GatewayArgs,
	},
	/// The last lines of output of a deployment's instances, from its provider.
	Logs {
		lease: u64,
		/// How many lines per instance.
		#[arg(long, default_value_t = 100)]
		tail: usize,
		/// Then print each line as the instances write it (`service-N | line`), until the
		/// lease ends.
		#[arg(long)]
		follow: bool,
		#[command(flatten)]
		gateway: GatewayArgs,
	},
}

/// What an order asks for, from a manifest.
#[derive(clap::Args)]
struct OrderArgs {
	/// The manifest, YAML or JSON.
	file: PathBuf,
	/// The highest price accepted per block, in the smallest unit (10^-12 CCRE).
	#[arg(long)]
	max_price: u128,
	/// What goes into escrow, in the smallest unit; at least one block at `max-price`.
	#[arg(long)]
	funding: u128,
	/// Blocks during which providers bid.
	#[arg(long, default_value_t = 3)]
	bid_window: u32,
	/// The region the provider must be in.
	#[arg(long)]
	region: Option<String>,
	/// How many blocks the lease runs once started; until closed if not given.
	#[arg(long)]
	duration: Option<u32>,
}

/// How to reach a provider's gateway.
#[derive(clap::Args)]
pub struct GatewayArgs {
	/// The directory with the tenant's published client certificate, `client.crt` and
	/// `client.key` (made by `ccre cert new`).
	#[arg(long, env = "CCRE_CERT_DIR", default_value = ".ccre")]
	pub cert_dir: PathBuf,
}

#[derive(Subcommand)]
enum PoolCommand {
	/// Puts AMOUNT, in the smallest unit, into the pool for shares, locked for the
	/// underwriting lock-up.
	Underwrite { amount: u128 },
}

#[derive(Subcommand)]
enum Query {
	/// An order with its terms, state, bids and escrow balance.
	Order { id: u64 },
	/// The open orders with their bids.
	OpenOrders,
	/// A lease with its state, SLA, manifest hash and escrow.
	Lease { id: u64 },
	/// A provider's record, stake, attestations, reputation and certificates.
	Provider { account: String },
	/// An account's certificates, revoked ones included.
	Certificates { account: String },
	/// What the SLA insurance pool can pay out, and its shares.
	Pool,
	/// An underwriter's shares, their value and when they unlock.
	Underwriting { account: String },
	/// The whole epochs a downtime claim on the lease would cover now, and how many were
	/// reported.
	Downtime { lease: u64 },
}

#[derive(Subcommand)]
enum CertCommand {
	/// Creates a self-signed client certificate (ECDSA P-256) in DIR: `client.crt` and its key
	/// `client.key` (readable by the owner only). Prints its fingerprint.
	New {
		/// Where to write the two files; created if missing.
		dir: PathBuf,
		/// How many days it is valid.
		#[arg(long, default_value_t = 365)]
		days: u32,
		/// How many seconds it is valid, instead of days (short-lived certificates).
		#[arg(long)]
		seconds: Option<u64>,
	},
	/// Publishes a certificate (PEM or DER) on chain as the signer's, holding its deposit, with
	/// its key's proof that the signer may: gateways accept it from then on for the signer's
	/// leases.
	Publish {
		file: PathBuf,
		/// The certificate's private key (PKCS#8 PEM); by default FILE with the extension
		/// `.key`, as `ccre cert new` writes them.
		#[arg(long)]
		key: Option<PathBuf>,
	},
	/// Revokes one of the signer's certificates by its fingerprint (0x-prefixed hex).
	Revoke { fingerprint: String },
}

#[derive(Subcommand)]
enum OrderCommand {
	/// Places a good-till-window, pay-bid order for the manifest's deployment: one unit of
	/// everything its services need, its hash as the manifest version, and FUNDING in escrow.
	Create(OrderArgs),
	/// Cancels an open order: its deposit and funds come back.
	Cancel { id: u64 },
	/// Sets the manifest in FILE as the new version of order ID (and of its lease): its
	/// provider then accepts that manifest (`ccre manifest send`) and redeploys.
	Update {
		/// The order or lease.
		id: u64,
		/// The new manifest, YAML or JSON.
		file: PathBuf,
	},
}

#[derive(Subcommand)]
enum LeaseCommand {
	/// Closes the lease as its tenant: the escrow pays what is due and refunds the rest.
	Close { id: u64 },
}

#[derive(Subcommand)]
enum EscrowCommand {
	/// Adds AMOUNT, in the smallest unit (10^-12 CCRE), to deployment ID's escrow account.
	Deposit { id: u64, amount: u128 },
}

#[derive(Subcommand)]
enum ManifestCommand {
	/// Prints the manifest's hash (0x-prefixed hex): what an order's `manifestHash` must be
	/// for a provider to deploy it.
	Hash {
		/// The manifest, YAML or JSON.
		file: PathBuf,
	},
	/// Checks the manifest and prints its services and the resources they need in all.
	Check {
		/// The manifest, YAML or JSON.
		file: PathBuf,
	},
	/// Sends the manifest of an existing lease to its provider (after `order create`, or to
	/// resume an interrupted `deploy`), waits for its services and prints their endpoints.
	Send {
		/// The lease.
		lease: u64,
		/// The manifest, YAML or JSON, as its hash was ordered.
		file: PathBuf,
		#[command(flatten)]
		gateway: GatewayArgs,
		/// How long to wait for the services, in seconds.
		#[arg(long, default_value_t = 120)]
		timeout: u64,
	},
}

/// Why a command failed, for the user.
#[derive(Debug)]
enum Failure {
	/// The file could not be read.
	Read(PathBuf, std::io::Error),
	/// The file could not be written (an existing one is never overwritten).
	Write(PathBuf, std::io::Error),
	/// The manifest was refused.
	Manifest(PathBuf, ManifestError),
	/// The chain could not be reached, or refused the call.
	Chain(ChainError),
	/// The provider's gateway could not be reached, or refused the request.
	Gateway(ClientError),
	/// An argument or an answer makes no sense.
	Invalid(String),
}

impl From<ChainError> for Failure {
	fn from(error: ChainError) -> Self {
		Failure::Chain(error)
	}
}

impl From<ClientError> for Failure {
	fn from(error: ClientError) -> Self {
		Failure::Gateway(error)
	}
}

impl std::fmt::Display for Failure {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Self::Read(path, error) => write!(f, "cannot read {}: {error}", path.display()),
			Self::Write(path, error) => write!(f, "cannot write {}: {error}", path.display()),
			Self::Manifest(path, error) => write!(f, "{}: {error}", path.display()),
			Self::Chain(error) => write!(f, "{error}"),
			Self::Gateway(error) => write!(f, "{error}"),
			Self::Invalid(reason) => write!(f, "{reason}"),
		}
	}
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
	match run(Cli::parse()).await {
		Ok(output) => {
			println!("{output}");
			ExitCode::SUCCESS
		},
		Err(failure) => {
			eprintln!("error: {failure}");
			ExitCode::FAILURE
		},
	}
}

async fn run(cli: Cli) -> Result<String, Failure> {
	match cli.command {
		Command::Manifest(command) => manifest(&cli.url, command).await,
		Command::Market(command) => market::run(&cli.url, command).await,
		Command::Query(query) => {
			let (method, params) = match query {
				Query::Order { id } => ("ccre_order", vec![json!(id)]),
				Query::OpenOrders => ("ccre_openOrders", vec![]),
				Query::Lease { id } => ("ccre_lease", vec![json!(id)]),
				Query::Provider { account } => ("ccre_provider", vec![json!(account)]),
				Query::Certificates { account } => ("ccre_certificatesOf", vec![json!(account)]),
				Query::Pool => ("ccre_pool", vec![]),
				Query::Underwriting { account } => ("ccre_underwriting", vec![json!(account)]),
				Query::Downtime { lease } => ("ccre_pendingDowntime", vec![json!(lease)]),
			};
			let result = Chain::connect(&cli.url).await?.query(method, params).await?;
			Ok(result.get().to_string())
		},
		Command::Cert(CertCommand::New { dir, days, seconds }) => {
			let valid_for = seconds.map_or(certificate::days(days), std::time::Duration::from_secs);
			let new =
				certificate::create("ccre tenant", vec![], valid_for).map_err(Failure::Invalid)?;
			let write = |name: &str, contents: &str, mode: u32| {
				use std::{io::Write, os::unix::fs::OpenOptionsExt};
				let path = dir.join(name);
				fs::OpenOptions::new()
					.write(true)
					.create_new(true)
					.mode(mode)
					.open(&path)
					.and_then(|mut file| file.write_all(contents.as_bytes()))
					.map_err(|error| Failure::Write(path, error))
			};
			fs::create_dir_all(&dir).map_err(|error| Failure::Write(dir.clone(), error))?;
			write("client.key", &new.key_pem, 0o600)?;
			write("client.crt", &new.certificate_pem, 0o644)?;
			Ok(format!(
				"wrote {0}/client.crt and {0}/client.key\nfingerprint: {1}",
				dir.display(),
				hex::encode(&ccre_primitives::fingerprint(&new.der))
			))
		},
		Command::Bench(args) => {
			let funder = std::env::var(SEED_VARIABLE).map_err(|_| {
				ChainError::NoKey(format!(
					"set {SEED_VARIABLE} to the funding account's secret URI"
				))
			})?;
			let placement = region_placement(args.region.as_deref())?;
			bench::run(&cli.url, &funder, args, placement).await.map_err(Failure::Invalid)
		},
		Command::Cert(CertCommand::Publish { file, key }) => {
			let bytes = fs::read(&file).map_err(|error| Failure::Read(file.clone(), error))?;
			let (der, fingerprint) = certificate::read(&bytes)
				.map_err(|reason| Failure::Invalid(format!("{}: {reason}", file.display())))?;
			let key = key.unwrap_or_else(|| file.with_extension("key"));
			let key_pem =
				fs::read_to_string(&key).map_err(|error| Failure::Read(key.clone(), error))?;
			let signer = signer_from_environment(SEED_VARIABLE)?;
			let proof = certificate::ownership_proof(&key_pem, &signer.public_key().0, &der)
				.map_err(|reason| Failure::Invalid(format!("{}: {reason}", key.display())))?;
			call(&cli.url, "Certificates", "publish", (der, proof)).await?;
			Ok(format!("published {}", hex::encode(&fingerprint)))
		},
		Command::Cert(CertCommand::Revoke { fingerprint }) => {
			let bytes = hex::decode_hash32(&fingerprint).ok_or_else(|| {
				Failure::Invalid(format!("{fingerprint}: not 64 hex digits (0x-prefixed)"))
			})?;
			call(&cli.url, "Certificates", "revoke", (bytes,)).await?;
			Ok(format!("revoked {fingerprint}"))
		},
		Command::Order(OrderCommand::Create(order)) => {
			let (_, order) = place_order(&Chain::connect(&cli.url).await?, &order).await?;
			Ok(format!("order {order} placed"))
		},
		Command::Deploy { order, gateway, timeout } => {
			deploy::deploy(&cli.url, &order, &gateway.cert_dir, timeout).await
		},
		Command::Status { lease, gateway } => {
			let status =
				deploy::session(&Chain::connect(&cli.url).await?, lease, &gateway.cert_dir)
					.await?
					.status(lease)
					.await?;
			Ok(serde_json::to_string_pretty(&status).unwrap_or_default())
		},
		Command::Logs { lease, tail, follow, gateway } => {
			let mut session =
				deploy::session(&Chain::connect(&cli.url).await?, lease, &gateway.cert_dir).await?;
			if !follow {
				return Ok(session.logs(lease, tail).await?);
			}
			session
				.follow_logs(lease, tail, |text| {
					use std::io::Write;
					let mut stdout = std::io::stdout().lock();
					let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
				})
				.await?;
			Ok(format!("lease {lease}'s logs ended"))
		},
		Command::Order(OrderCommand::Cancel { id }) => {
			call(&cli.url, "Orders", "cancel_order", (id,)).await?;
			Ok(format!("order {id} cancelled"))
		},
		Command::Order(OrderCommand::Update { id, file }) => {
			let hash = read_manifest(&file)?.hash();
			call(&cli.url, "Orders", "update_manifest", (id, hash)).await?;
			Ok(format!("order {id} now runs manifest {}", hex::encode(&hash)))
		},
		Command::Lease(LeaseCommand::Close { id }) => {
			let reason = CallValue::unnamed_variant("Tenant", []);
			call(&cli.url, "Leases", "close", (id, reason)).await?;
			Ok(format!("lease {id} closed"))
		},
		Command::Pool(PoolCommand::Underwrite { amount }) => {
			call(&cli.url, "Sla", "underwrite", (amount,)).await?;
			Ok(format!("underwrote {amount}"))
		},
		Command::Escrow(EscrowCommand::Deposit { id, amount }) => {
			call(&cli.url, "Escrow", "deposit", (id, amount)).await?;
			Ok(format!("deposited {amount} into deployment {id}'s escrow"))
		},
	}
}

/// The environment variable with the signing account's secret URI.
const SEED_VARIABLE: &str = "CCRE_SEED";

/// Signs `pallet.call(fields)` with the key in `CCRE_SEED`, sends it to the node at `url` and
/// waits until it is finalized.
async fn call(
	url: &str,
	pallet: &str,
	call: &str,
	fields: impl subxt::ext::scale_encode::EncodeAsFields,
) -> Result<Events, Failure> {
	let signer = signer_from_environment(SEED_VARIABLE)?;
	Ok(Chain::connect(url).await?.submit(&signer, pallet, call, fields, Wait::Finalized).await?)
}

/// Places a good-till-window, pay-bid order for one unit of everything the manifest's
/// services need, with its hash; returns the manifest and the order's id.
async fn place_order(chain: &Chain, args: &OrderArgs) -> Result<(Manifest, OrderId), Failure> {
	let signer = signer_from_environment(SEED_VARIABLE)?;
	let manifest = read_manifest(&args.file)?;
	let resources =
		manifest.total_resources().map_err(|error| Failure::Manifest(args.file.clone(), error))?;
	let placement = region_placement(args.region.as_deref())?;
	let terms = window_order(
		resources,
		placement,
		args.max_price,
		args.duration,
		args.bid_window,
		manifest.hash(),
	);
	let events = chain
		.submit(
			&signer,
			"Orders",
			"create_order",
			Encoded((terms, args.funding).encode()),
			Wait::Finalized,
		)
		.await?;
	let order = events
		.iter()
		.find(|(pallet, event, _)| pallet == "Orders" && event == "OrderCreated")
		.and_then(|(_, _, fields)| OrderId::decode(&mut &fields[..]).ok())
		.ok_or_else(|| Failure::Invalid("the chain reported no OrderCreated".into()))?;
	Ok((manifest, order))
}

/// The placement an order's `--region` asks for: that region, or anywhere.
fn region_placement(region: Option<&str>) -> Result<ResourceSet, Failure> {
	ResourceSet::new([], region.map(|region| (Property::Region, region.as_bytes().to_vec())))
		.map_err(|error| Failure::Invalid(format!("--region: {error:?}")))
}

/// The orders this command line places: good-till-window and pay-bid, for one unit of
/// `resources` at `placement`, with no auditors or reputation required and the default SLA.
fn window_order(
	resources: ResourceSet,
	placement: ResourceSet,
	max_price: u128,
	duration: Option<u32>,
	bid_window: u32,
	manifest_hash: [u8; 32],
) -> OrderTerms<u128, u32, Vec<[u8; 32]>> {
	OrderTerms {
		resources,
		units: 1,
		placement,
		auditors: vec![],
		auditor_rule: AuditorRule::AnyOf,
		min_reputation: Perbill::zero(),
		max_price,
		duration,
		bid_window,
		manifest_hash,
		order_type: OrderType::GoodTillWindow,
		clearing: ClearingRule::PayBid,
		sla: None,
	}
}

async fn manifest(url: &str, command: ManifestCommand) -> Result<String, Failure> {
	match command {
		ManifestCommand::Hash { file } => Ok(hex::encode(&read_manifest(&file)?.hash())),
		ManifestCommand::Send { lease, file, gateway, timeout } => {
			read_manifest(&file)?;
			let chain = Chain::connect(url).await?;
			deploy::send(&chain, lease, &file, &gateway.cert_dir, timeout).await
		},
		ManifestCommand::Check { file } => {
			let manifest = read_manifest(&file)?;
			let total =
				manifest.total_resources().map_err(|error| Failure::Manifest(file, error))?;
			let mut report = String::from("valid manifest\n");
			for (name, service) in &manifest.services {
				let ports: Vec<String> =
					service.ports.iter().map(|port| port.port.to_string()).collect();
				report += &format!(
					"  service {name}: {} × {}, ports [{}]\n",
					service.count,
					json(&service.resources),
					ports.join(", ")
				);
			}
			report += &format!(
				"  needs in all: {}\n  hash: {}",
				json(&total),
				hex::encode(&manifest.hash())
			);
			Ok(report)
		},
	}
}

/// Reads and checks the manifest at `path`, refusing files over the size a gateway accepts
/// before reading them whole.
fn read_manifest(path: &std::path::Path) -> Result<Manifest, Failure> {
	let size = fs::metadata(path).map_err(|error| Failure::Read(path.to_path_buf(), error))?.len();
	if size > MAX_MANIFEST_LEN as u64 {
		return Err(Failure::Manifest(path.to_path_buf(), ManifestError::TooLarge));
	}
	let bytes = fs::read(path).map_err(|error| Failure::Read(path.to_path_buf(), error))?;
	Manifest::parse(&bytes).map_err(|error| Failure::Manifest(path.to_path_buf(), error))
}

/// A resource set in its JSON form, `{"cpu_millicores":500}`.
fn json(set: &ccre_primitives::ResourceSet) -> String {
	serde_json::to_string(set).unwrap_or_default()
}
