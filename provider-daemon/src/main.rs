//! `ccre-provider`: the CCRE provider daemon.
//!
//! ```text
//! ccre-provider init --dir DIR ...     write a configuration, key and certificate; register, stake, publish
//! ccre-provider run --config FILE      bid, serve manifests, run workloads, heartbeat, get paid
//! ```
//!
//! Logs go to standard error, one structured line per event; `RUST_LOG` filters them (for
//! example `RUST_LOG=ccre_provider=debug`).

use ccre_provider::{
	config::{self, Config},
	daemon::Daemon,
	gateway,
	init::{self, InitOptions},
	metrics,
	workload::{container::ContainerBackend, process::ProcessBackend, WorkloadBackend},
};
use clap::{Parser, Subcommand};
use std::{io::IsTerminal, path::PathBuf, process::ExitCode, sync::Arc};
use tracing::{error, info, warn};

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
	Init(InitOptions),
}

fn main() -> ExitCode {
	tracing_subscriber::fmt()
		.with_env_filter(
			tracing_subscriber::EnvFilter::try_from_default_env()
				.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
		)
		.with_writer(std::io::stderr)
		// Colours only on a terminal: a log file or journald gets plain `key=value` fields.
		.with_ansi(std::io::stderr().is_terminal())
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

/// Raises this process's open-files limit to the hard limit: each gateway connection is one,
/// and the default soft limit (often 1 024) is below the gateway's own cap.
fn raise_open_files_limit() {
	let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
	// SAFETY: `limit` is a valid, writable rlimit.
	if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0
		&& limit.rlim_cur < limit.rlim_max
	{
		limit.rlim_cur = limit.rlim_max;
		// SAFETY: `limit` is a valid rlimit.
		unsafe {
			libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
		}
	}
}

async fn run(cli: Cli) -> Result<(), String> {
	match cli.command {
		Command::Init(options) => init::init(options).await.map(|_| ()),
		Command::Run { config } => {
			raise_open_files_limit();
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
			let backend: Arc<dyn WorkloadBackend> = match config.workloads.backend {
				config::Backend::Container => Arc::new(
					ContainerBackend::open(config.container_settings())
						.map_err(|error| error.to_string())?,
				),
				config::Backend::Process => {
					warn!("the process backend runs tenants' code as this user, able to read its keys: never use it with strangers' orders");
					let [first, last] = config.workloads.ports;
					Arc::new(
						ProcessBackend::open(
							config.data_dir.join("workloads"),
							config.workloads.host.clone(),
							first..=last,
						)
						.map_err(|error| error.to_string())?,
					)
				},
			};
			let listener = gateway::bind(config.gateway.listen).await?;
			let metrics_listen = config.metrics.as_ref().map(|metrics| metrics.listen);
			let daemon = Daemon::new(config, signer, backend)?;
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
