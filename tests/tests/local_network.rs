//! The three-validator `local` network on the real Aura + GRANDPA path, from the checked-in
//! chain spec: peering, finality, a validator stopped and restarted.

use std::time::Duration;

use ccre_e2e::{repo_root, Node};

const TIMEOUT: Duration = Duration::from_secs(180);

/// A node key (ed25519 secret, hex) distinct per `index`.
fn node_key(index: u8) -> String {
	format!("{index:064x}")
}

#[test]
fn three_validators_peer_finalize_and_survive_a_restart() {
	let spec = repo_root().join("chain-specs/local.json");
	let spec = spec.to_str().expect("UTF-8 path");
	let dir = tempfile::tempdir().expect("temporary directory");

	// Validators need a stable network identity; these keys are for this test only.
	let validator = |name: &str, key: &str, extra: &[&str]| {
		let mut args = vec!["--chain", spec, "--validator", "--node-key", key];
		let flag = format!("--{name}");
		args.push(&flag);
		args.extend_from_slice(extra);
		Node::start(name, dir.path(), &args)
	};
	let mut alice = validator("alice", &node_key(1), &[]);
	let bootnode = alice.multiaddr();
	let mut bob = validator("bob", &node_key(2), &["--bootnodes", &bootnode]);
	let mut charlie = validator("charlie", &node_key(3), &["--bootnodes", &bootnode]);

	for node in [&mut alice, &mut bob, &mut charlie] {
		node.wait_until("it has two peers", TIMEOUT, |node| node.peer_count() >= 2);
	}
	alice.wait_until("block 3 is finalized", TIMEOUT, |node| node.finalized_number() >= 3);

	// Charlie stops. Aura keeps authoring in Alice's and Bob's slots. GRANDPA needs more than
	// two thirds of the voters: with three equal voters that is all three, so finality waits.
	charlie.stop();
	// A finalized block had Charlie's vote, so he has it in his database.
	let charlie_height = alice.finalized_number();
	let best_before = alice.best_number();
	let charlie_block = alice.block_hash(charlie_height).expect("a finalized block");
	alice.wait_until("two more blocks are authored without Charlie", TIMEOUT, |node| {
		node.best_number() >= best_before + 2
	});
	// Blocks authored after Charlie stopped cannot have his vote, so none of them is final.
	assert!(alice.finalized_number() <= best_before, "finalized without a two-thirds majority");

	// Charlie restarts from its own database: the blocks it had are still there, it catches up
	// with the others, and finality resumes past everything authored while it was away.
	charlie.restart();
	assert_eq!(charlie.block_hash(charlie_height), Some(charlie_block), "Charlie lost its data");
	let target = alice.best_number();
	charlie.wait_until("it catches up with Alice", TIMEOUT, |node| node.best_number() >= target);
	for node in [&mut alice, &mut bob, &mut charlie] {
		node.wait_until(
			"finality passes the blocks authored while Charlie was away",
			TIMEOUT,
			|node| node.finalized_number() >= target,
		);
	}
}
