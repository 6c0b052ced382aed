//! `ccre-node --dev`: blocks are produced and finalized at the configured interval.

use std::time::Duration;

use ccre_e2e::Node;
use serde_json::json;

/// The Aura slot duration the runtime reports, in milliseconds.
fn slot_duration_millis(node: &Node) -> u64 {
	let result = node.rpc("state_call", json!(["AuraApi_slot_duration", "0x"]));
	let hex = result.as_str().unwrap_or_default().trim_start_matches("0x");
	let bytes: Vec<u8> = (0..hex.len())
		.step_by(2)
		.filter_map(|i| hex.get(i..i + 2).and_then(|byte| u8::from_str_radix(byte, 16).ok()))
		.collect();
	let mut le = [0u8; 8];
	le.copy_from_slice(bytes.get(..8).expect("a SCALE u64"));
	u64::from_le_bytes(le)
}

#[test]
fn dev_chain_produces_and_finalizes_blocks_every_second() {
	let dir = tempfile::tempdir().expect("temporary directory");
	let mut node = Node::start("dev", dir.path(), &["--dev"]);

	assert_eq!(slot_duration_millis(&node), 1_000);
	node.wait_until("block 5 is finalized", Duration::from_secs(90), |node| {
		node.finalized_number() >= 5
	});
	assert!(node.best_number() >= node.finalized_number());

	let properties = node.rpc("system_properties", json!([]));
	assert_eq!(properties["tokenSymbol"], "CCRE");
	assert_eq!(properties["tokenDecimals"], 12);
	assert_eq!(node.rpc("system_chain", json!([])), "CCRE Development");
}

#[test]
fn dev_block_time_is_configurable() {
	let dir = tempfile::tempdir().expect("temporary directory");
	let mut node = Node::start("dev-2s", dir.path(), &["--dev", "--dev-block-time", "2000"]);

	assert_eq!(slot_duration_millis(&node), 2_000);
	node.wait_until("block 2 is finalized", Duration::from_secs(90), |node| {
		node.finalized_number() >= 2
	});
}
