//! `ccre-provider`: the CCRE provider daemon.
//!
//! ```text
//! ccre-provider init --dir DIR ...     write a configuration, key and certificate; register, stake, publish
//! ccre-provider run --config FILE      bid, serve manifests, run workloads, heartbeat, get paid
//! ```
//!
//! Logs go to standard error, one structured line per event; `RUST_LOG` filters them (for
//! example `RUST_LOG=ccre_provider=debug`).

use ccre_primitives::ResourceSet;
use ccre_provider::{
	config::{self, Config},
	daemon::Daemon,
	gateway,
	init::{self, InitOptions},
	metrics,
	workload::process::ProcessBackend,
};
use clap::{Parser, Subcommand};
use std::{path::PathBuf, process::ExitCode, sync::Arc};
use tracing::{error, info};

#[derive(Parser)]
#[command(name = "ccre-provider", version, about = "The CCRE provider daemon.")]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Runs the daemon.
	Run {
		/// The configuration file.
		#[arg(long, env = "CCRE_PROVIDER_CONFIG")]
		config: PathBuf,
	},
	/// Writes a configuration, a key (unless CCRE_PROVIDER_SEED is set) and a gateway
	/// certificate in DIR, then registers the provider, bonds its stake and publishes the
	/// certificate. Safe to run again: it never overwrites a file and skips what is done.
	Init {
		/// Where the files go.
		#[arg(long)]
		dir: PathBuf,
		/// The node's RPC endpoint.
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		node: String,
		/// The host tenants reach the gateway and services on.
		#[arg(long, default_value = "127.0.0.1")]
		public_host: String,
		/// The gateway's port.
		#[arg(long, default_value_t = 8443)]
		gateway_port: u16,
		/// The Prometheus endpoint's port.
		#[arg(long, default_value_t = 9616)]
		metrics_port: u16,
		/// What the provider offers, JSON, with a region:
		/// '{"cpu_millicores":2000,"memory_mib":4096,"region":"local"}'.
		#[arg(long)]
		attributes: String,
		/// How to reach the provider's operators.
		#[arg(long, default_value = "")]
		contact: String,
		/// The stake to bond, in the smallest unit (at least the chain's minimum to bid).
		#[arg(long)]
		stake: u128,
		/// Prices per unit of each capacity and block, JSON: '{"cpu_millicores":1}'.
		#[arg(long, default_value = r#"{"cpu_millicores":1,"memory_mib":1}"#)]
		prices: String,
		/// The first and last host port for services, FIRST-LAST.
		#[arg(long, default_value = "20000-20999")]
		ports: String,
		/// Offer more than this host has (test networks on one machine).
		#[arg(long)]
		overcommit: bool,
	},
}

fn main() -> ExitCode {
	tracing_subscriber::fmt()
		.with_env_filter(
			tracing_subscriber::EnvFilter::try_from_default_env()
				.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
		)
		.with_writer(std::io::stderr)
		.init();
	let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
		Ok(runtime) => runtime,
		Err(failure) => {
			eprintln!("error: no async runtime: {failure}");
			return ExitCode::FAILURE;
		},
	};
	match runtime.block_on(run(Cli::parse())) {
		Ok(()) => ExitCode::SUCCESS,
		Err(failure) => {
			eprintln!("error: {failure}");
			ExitCode::FAILURE
		},
	}
}

async fn run(cli: Cli) -> Result<(), String> {
	match cli.command {
		Command::Init {
			dir,
			node,
			public_host,
			gateway_port,
			metrics_port,
			attributes,
			contact,
			stake,
			prices,
			ports,
			overcommit,
		} => {
			let attributes: ResourceSet = serde_json::from_str(&attributes)
				.map_err(|error| format!("--attributes: {error}"))?;
			let prices: serde_json::Map<String, serde_json::Value> =
				serde_json::from_str(&prices).map_err(|error| format!("--prices: {error}"))?;
			let prices = prices
				.iter()
				.map(|(name, price)| format!("{name} = {price}"))
				.collect::<Vec<_>>()
				.join(", ");
			let ports = ports
				.split_once('-')
				.and_then(|(first, last)| Some([first.parse().ok()?, last.parse().ok()?]))
				.ok_or_else(|| format!("--ports {ports}: not FIRST-LAST"))?;
			init::init(InitOptions {
				dir,
				node,
				public_host,
				gateway_port,
				metrics_port,
				attributes,
				contact,
				stake,
				pricing: format!("strategy = \"scale\"\nprices = {{ {prices} }}"),
				ports,
				overcommit,
			})
			.await
			.map(|_| ())
		},
		Command::Run { config } => {
			let config = Config::load(&config)?;
			let signer = match std::env::var(config::SEED_VARIABLE) {
				Ok(uri) => ccre_client::chain::signer_from_uri(&uri)
					.map_err(|reason| format!("{} {reason}", config::SEED_VARIABLE))?,
				Err(_) => {
					let key_file = config.key_file.as_ref().ok_or_else(|| {
						format!("no key: set key_file or {}", config::SEED_VARIABLE)
					})?;
					init::read_key(key_file)?
				},
			};
			let [first, last] = config.workloads.ports;
			let backend = ProcessBackend::open(
				config.data_dir.join("workloads"),
				config.workloads.host.clone(),
				first..=last,
			)
			.map_err(|error| error.to_string())?;
			let listener = gateway::bind(config.gateway.listen).await?;
			let metrics_listen = config.metrics.as_ref().map(|metrics| metrics.listen);
			let daemon = Daemon::new(config, signer, Arc::new(backend))?;
			info!(provider = %daemon.address, "starting");
			if let Some(listen) = metrics_listen {
				tokio::spawn(metrics::serve(daemon.clone(), listen));
			}
			tokio::spawn(daemon.clone().supervise());
			let chain = tokio::spawn(daemon.clone().run());
			let gateway = gateway::serve(daemon.clone(), listener);
			tokio::select! {
				outcome = gateway => outcome,
				_ = chain => Err("the chain follower stopped".into()),
				_ = tokio::signal::ctrl_c() => {
					// Services keep running: they belong to the leases, not to this process,
					// and the next start adopts them.
					info!("stopping; services keep running");
					Ok(())
				},
			}
			.inspect_err(|failure| error!(%failure, "stopped"))
		},
	}
}
