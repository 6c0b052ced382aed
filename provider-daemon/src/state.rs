//! What the daemon remembers across restarts, in `state.json` in its data directory: its
//! open bids and its leases with their manifests. Written atomically after every change, so a
//! crash leaves the previous or the next state, never half of one. The chain is the truth
//! for everything else; this is what the chain does not hold (manifests) or what saves
//! asking it again.

use ccre_client::gateway::DeploymentState;
use ccre_primitives::{
	exchange::{BookOrderId, ClassId, Lots, Price},
	OrderId, ResourceSet,
};
use serde::{Deserialize, Serialize};
use std::{
	collections::BTreeMap,
	path::{Path, PathBuf},
};

/// A bid the daemon placed and whose order has not been decided.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct BidRecord {
	/// What the order needs in all, reserved in the inventory while the bid stands.
	pub requirement: ResourceSet,
	/// The price bid, per unit and block.
	pub price: u128,
	/// The block the order's window closes at: its outcome is known after it.
	pub closes_at: u32,
}

/// An ask the daemon keeps on a class's book.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct AskRecord {
	/// Its order on the book, once the chain placed it.
	pub order: Option<BookOrderId>,
	/// Its lots left, whose resources are reserved in the inventory while it rests.
	pub lots: Lots,
	/// What those lots need in all.
	pub requirement: ResourceSet,
	/// Its price per lot per block.
	pub price: Price,
}

/// A lease the daemon serves, from the match until it is torn down.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct LeaseRecord {
	/// What the order needs in all, reserved in the inventory until the lease closes.
	pub requirement: ResourceSet,
	/// Who pays.
	pub tenant: String,
	/// The manifest as the tenant sent it, once the gateway accepted it.
	pub manifest: Option<String>,
	/// The hash of the version deployed (`0x` hex, the chain's at acceptance); a new one on
	/// chain admits a new manifest, which is deployed in its place.
	#[serde(default)]
	pub manifest_hash: Option<String>,
	/// Where its deployment is.
	pub phase: DeploymentState,
	/// Why it failed, if it did.
	pub message: Option<String>,
	/// Whether the daemon marked it started on chain.
	pub started: bool,
}

/// Everything the daemon remembers.
#[derive(Serialize, Deserialize, Clone, Default, PartialEq, Eq, Debug)]
pub struct State {
	/// Open bids, by order.
	pub bids: BTreeMap<OrderId, BidRecord>,
	/// Leases not yet torn down, by id.
	pub leases: BTreeMap<OrderId, LeaseRecord>,
	/// The last SLA epoch the daemon sent a heartbeat in.
	pub heartbeat_epoch: Option<u32>,
	/// The block the daemon last withdrew its earnings at.
	pub settled_at: u32,
	/// Its asks, by class.
	#[serde(default)]
	pub asks: BTreeMap<ClassId, AskRecord>,
	/// The last block whose trades the daemon has read (its fills become leases).
	#[serde(default)]
	pub trades_read_to: u32,
}

/// Creates `dir` if needed and makes it private to the daemon's user (0700): it holds the
/// state, keys and workloads' files.
pub fn create_private_dir(dir: &Path) -> Result<(), String> {
	use std::os::unix::fs::PermissionsExt;
	std::fs::create_dir_all(dir)
		.and_then(|()| std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)))
		.map_err(|error| format!("cannot create {} privately: {error}", dir.display()))
}

/// A new file at `path` (truncating one there) that only its owner reads and writes (0600).
pub fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
	use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
	let file = std::fs::OpenOptions::new()
		.write(true)
		.create(true)
		.truncate(true)
		.mode(0o600)
		.open(path)?;
	// The mode above applies only to a file it creates.
	file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
	Ok(file)
}

/// The state file in a data directory.
pub fn path_in(data_dir: &Path) -> PathBuf {
	data_dir.join("state.json")
}

impl State {
	/// Reads the state at `path`; a missing file is a fresh start.
	pub fn load(path: &Path) -> Result<Self, String> {
		match std::fs::read(path) {
			Ok(bytes) => serde_json::from_slice(&bytes)
				.map_err(|error| format!("{} is damaged: {error}", path.display())),
			Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(State::default()),
			Err(error) => Err(format!("cannot read {}: {error}", path.display())),
		}
	}

	/// Writes the state to `path` atomically: a temporary file, synced, then renamed.
	pub fn save(&self, path: &Path) -> Result<(), String> {
		use std::io::Write;
		let failed = |error: std::io::Error| format!("cannot write {}: {error}", path.display());
		let bytes = serde_json::to_vec_pretty(self).map_err(|error| error.to_string())?;
		let temporary = path.with_extension("json.tmp");
		// Private: it holds every tenant's manifest and environment.
		let mut file = private_file(&temporary).map_err(failed)?;
		file.write_all(&bytes).and_then(|()| file.sync_all()).map_err(failed)?;
		std::fs::rename(&temporary, path).map_err(failed)
	}

	/// Everything reserved: the requirements of the open bids, the asks and the leases.
	pub fn reservations(&self) -> impl Iterator<Item = &ResourceSet> {
		self.bids
			.values()
			.map(|bid| &bid.requirement)
			.chain(self.asks.values().map(|ask| &ask.requirement))
			.chain(
				self.leases
					.values()
					.filter(|lease| lease.phase != DeploymentState::Closed)
					.map(|lease| &lease.requirement),
			)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use ccre_primitives::Capacity;

	#[test]
	fn state_survives_a_save_and_load_and_a_missing_file_is_a_fresh_start() {
		let dir = tempfile::tempdir().expect("temp dir");
		let path = path_in(dir.path());
		assert_eq!(State::load(&path), Ok(State::default()));
		let cpu = ResourceSet::new([(Capacity::CpuMillicores, 500)], []).expect("valid");
		let mut state = State::default();
		state
			.bids
			.insert(3, BidRecord { requirement: cpu.clone(), price: u128::MAX, closes_at: 9 });
		state.leases.insert(
			2,
			LeaseRecord {
				requirement: cpu,
				tenant: "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y".into(),
				manifest: Some("version: 1".into()),
				manifest_hash: Some(format!("0x{}", "09".repeat(32))),
				phase: DeploymentState::Running,
				message: None,
				started: true,
			},
		);
		state.heartbeat_epoch = Some(4);
		state.save(&path).expect("saved");
		assert_eq!(State::load(&path), Ok(state.clone()));
		assert_eq!(state.reservations().count(), 2);
		std::fs::write(&path, b"{ half").expect("written");
		assert!(State::load(&path).is_err_and(|error| error.contains("damaged")));
	}

	#[test]
	fn the_state_and_its_directory_are_private() {
		use std::os::unix::fs::PermissionsExt;
		let dir = tempfile::tempdir().expect("temp dir");
		let data = dir.path().join("data");
		std::fs::create_dir(&data).expect("created");
		std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).expect("set");
		create_private_dir(&data).expect("made private");
		let mode =
			|path: &Path| std::fs::metadata(path).expect("exists").permissions().mode() & 0o777;
		assert_eq!(mode(&data), 0o700);
		let path = path_in(&data);
		std::fs::write(&path, "{}").expect("written");
		std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("set");
		State::default().save(&path).expect("saved");
		assert_eq!(mode(&path), 0o600);
	}
}
