//! Bad input to the node gives a clear error and a non-zero exit, never a panic trace.

use std::{net::TcpListener, time::Duration};

use ccre_e2e::{free_port, run_node_command, Node};

fn assert_clean_failure(stderr: &str, expected: &str) {
	assert!(stderr.contains(expected), "expected `{expected}` in:\n{stderr}");
	assert!(!stderr.contains("panicked"), "panic trace in:\n{stderr}");
	assert!(!stderr.contains("RUST_BACKTRACE"), "panic trace in:\n{stderr}");
}

#[test]
fn an_invalid_chain_spec_path_is_a_clear_error() {
	let (status, _, stderr) =
		run_node_command(&["--chain", "/nonexistent/ccre-spec.json", "--tmp"]);
	assert!(!status.success());
	assert_clean_failure(&stderr, "chain spec `/nonexistent/ccre-spec.json`");
}

#[test]
fn a_malformed_chain_spec_is_a_clear_error() {
	let dir = tempfile::tempdir().expect("temporary directory");
	let spec = dir.path().join("spec.json");
	std::fs::write(&spec, "{ not json").expect("write the spec");
	let (status, _, stderr) =
		run_node_command(&["--chain", spec.to_str().unwrap_or_default(), "--tmp"]);
	assert!(!status.success());
	assert_clean_failure(&stderr, "Error parsing spec file");
}

#[test]
fn a_dev_block_time_below_the_minimum_or_off_the_dev_chain_is_a_clear_error() {
	let (status, _, stderr) = run_node_command(&["--dev", "--dev-block-time", "100"]);
	assert!(!status.success());
	assert_clean_failure(&stderr, "--dev-block-time must be at least 500 ms, got 100");

	let (status, _, stderr) =
		run_node_command(&["--chain", "local", "--tmp", "--dev-block-time", "1000"]);
	assert!(!status.success());
	assert_clean_failure(&stderr, "--dev-block-time applies only to the development chain");
}

/// Starts a dev node with the port given by `taken_flag` already bound on `bind_address`, and
/// checks that it refuses to start, naming what it could not do.
fn assert_taken_port_is_refused(
	bind_address: &str,
	taken_flag: &str,
	free_flag: &str,
	expected: &str,
) {
	let taken = TcpListener::bind(bind_address).expect("bind a port");
	let port = taken.local_addr().expect("local address").port().to_string();
	let free = free_port().to_string();
	let (status, _, stderr) = run_node_command(&[
		"--dev",
		"--tmp",
		taken_flag,
		&port,
		free_flag,
		&free,
		"--no-prometheus",
	]);
	assert!(!status.success());
	assert_clean_failure(&stderr, expected);
	assert_clean_failure(&stderr, "Address already in use");
}

#[test]
fn an_rpc_port_in_use_is_a_clear_error() {
	assert_taken_port_is_refused("127.0.0.1:0", "--rpc-port", "--port", "cannot serve JSON-RPC");
}

#[test]
fn a_p2p_port_in_use_is_a_clear_error() {
	assert_taken_port_is_refused("0.0.0.0:0", "--port", "--rpc-port", "cannot listen for peers");
}

#[test]
fn a_corrupt_database_is_a_clear_error() {
	let dir = tempfile::tempdir().expect("temporary directory");
	let mut node = Node::start("corrupt", dir.path(), &["--dev"]);
	node.wait_until("block 2 is imported", Duration::from_secs(90), |node| node.best_number() >= 2);
	node.stop();

	// Overwrite every file of the database with garbage.
	let db = node.base_path.join("chains/ccre_dev/paritydb/full");
	let entries = std::fs::read_dir(&db).unwrap_or_else(|e| panic!("{}: {e}", db.display()));
	for entry in entries.flatten() {
		if entry.path().is_file() {
			std::fs::write(entry.path(), b"this is not a ParityDB file").expect("corrupt a file");
		}
	}

	let base_path = node.base_path.to_str().expect("UTF-8 path");
	let rpc = free_port().to_string();
	let p2p = free_port().to_string();
	let (status, _, stderr) = run_node_command(&[
		"--dev",
		"--base-path",
		base_path,
		"--rpc-port",
		&rpc,
		"--port",
		&p2p,
		"--no-prometheus",
	]);
	assert!(!status.success());
	assert_clean_failure(&stderr, "Corruption");
}
