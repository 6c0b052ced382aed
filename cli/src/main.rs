//! `ccre`, the CCRE command line for tenants and auditors.
//!
//! ```text
//! ccre manifest hash FILE     the manifest's hash, the `manifestHash` of an order
//! ccre manifest check FILE    whether the manifest is valid, and what it needs in all
//! ```
//!
//! Exit status: 0 on success, 1 when the input is refused (the reason is printed), 2 on a
//! usage error.

use ccre_primitives::manifest::{Manifest, ManifestError, MAX_MANIFEST_LEN};
use clap::{Parser, Subcommand};
use std::{fs, path::PathBuf, process::ExitCode};

#[derive(Parser)]
#[command(name = "ccre", version, about = "The CCRE command line for tenants and auditors.")]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Deployment manifests.
	#[command(subcommand)]
	Manifest(ManifestCommand),
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
}

/// Why a command failed, for the user.
#[derive(Debug)]
enum Failure {
	/// The file could not be read.
	Read(PathBuf, std::io::Error),
	/// The manifest was refused.
	Manifest(PathBuf, ManifestError),
}

impl std::fmt::Display for Failure {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Self::Read(path, error) => write!(f, "cannot read {}: {error}", path.display()),
			Self::Manifest(path, error) => write!(f, "{}: {error}", path.display()),
		}
	}
}

fn main() -> ExitCode {
	match run(Cli::parse()) {
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

fn run(cli: Cli) -> Result<String, Failure> {
	match cli.command {
		Command::Manifest(ManifestCommand::Hash { file }) => {
			Ok(format!("0x{}", hex(&read_manifest(&file)?.hash())))
		},
		Command::Manifest(ManifestCommand::Check { file }) => {
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
			report +=
				&format!("  needs in all: {}\n  hash: 0x{}", json(&total), hex(&manifest.hash()));
			Ok(report)
		},
	}
}

/// Reads and checks the manifest at `path`, refusing files over the size a gateway accepts
/// before reading them whole.
fn read_manifest(path: &PathBuf) -> Result<Manifest, Failure> {
	let size = fs::metadata(path).map_err(|error| Failure::Read(path.clone(), error))?.len();
	if size > MAX_MANIFEST_LEN as u64 {
		return Err(Failure::Manifest(path.clone(), ManifestError::TooLarge));
	}
	let bytes = fs::read(path).map_err(|error| Failure::Read(path.clone(), error))?;
	Manifest::parse(&bytes).map_err(|error| Failure::Manifest(path.clone(), error))
}

fn hex(bytes: &[u8]) -> String {
	bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A resource set in its JSON form, `{"cpu_millicores":500}`.
fn json(set: &ccre_primitives::ResourceSet) -> String {
	serde_json::to_string(set).unwrap_or_default()
}
