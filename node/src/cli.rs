//! Command-line interface: sc-cli's standard node flags and subcommands, with the node's own
//! defaults where sc-cli's do not fit a market.

use clap::{CommandFactory, FromArgMatches};
use sc_cli::SubstrateCli;

/// The transaction pool's default capacity, in transactions. sc-cli's 8 192 is too small for
/// a market: a burst of bids or orders larger than a few blocks' worth filled it, and the
/// pool keeps a tenth of its capacity for transactions whose nonce is ahead of their
/// account's (which arrive first when a client submits over several connections); what did
/// not fit was dropped after `author_submitExtrinsic` had accepted it.
pub const POOL_LIMIT: usize = 65_536;

/// The transaction pool's default capacity, in KiB (sc-cli's is 20 MiB).
pub const POOL_KBYTES: usize = 131_072;

/// The subcommands `ccre-node` offers besides running a node.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect and insert keys.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification, with the node's boot node address added.
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export the chain specification of a built-in chain (`dev`, `local`) or a spec file.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Database metadata: the columns and their sizes.
	ChainInfo(sc_cli::ChainInfoCmd),

	/// Runtime benchmarks (`benchmark pallet`), to generate the pallets' weights. Built only
	/// with the `runtime-benchmarks` feature; see `scripts/benchmark.sh`.
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),
}

#[derive(Debug, clap::Parser)]
pub struct Cli {
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	#[clap(flatten)]
	pub run: sc_cli::RunCmd,

	/// Block time of the development chain (`--dev` or `--chain dev`), in milliseconds.
	/// Defaults to the `development` preset's one second; at least 500.
	#[arg(long, value_name = "MILLIS")]
	pub dev_block_time: Option<u64>,
}

impl Cli {
	/// Parses the command line as sc-cli does, with the node's defaults for the pool's
	/// capacity (`--pool-limit`, `--pool-kbytes`), which a user may still override.
	pub fn parse() -> Cli {
		let command = Cli::setup_command(Cli::command())
			.mut_arg("pool_limit", |arg| arg.default_value(POOL_LIMIT.to_string()))
			.mut_arg("pool_kbytes", |arg| arg.default_value(POOL_KBYTES.to_string()));
		let matches = command.try_get_matches().unwrap_or_else(|error| error.exit());
		Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit())
	}
}
