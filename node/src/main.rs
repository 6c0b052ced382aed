//! `ccre-node`: the CCRE chain's node.

mod chain_spec;
mod cli;
mod command;
mod preflight;
mod rpc;
mod service;

fn main() {
	// sc-cli errors carry a readable message; print it plainly (not as a Debug dump) and exit
	// non-zero, so operators and scripts see the cause rather than a Rust backtrace.
	if let Err(error) = command::run() {
		eprintln!("Error: {error}");
		std::process::exit(1);
	}
}
