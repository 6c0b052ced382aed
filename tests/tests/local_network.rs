//! The three-validator `local` network on the real Aura + GRANDPA path, from the checked-in
//! chain spec: peering, finality, a validator stopped and restarted.

use std::time::Duration;

use ccre_e2e::{repo_root, Node};

const TIMEOUT: Duration = Duration::from_secs(180);

#[test]
fn three_validators_peer_finalize_and_survive_a_restart() {
	let spec = repo_root().join("chain-specs/local.json");
	let spec = spec.to_str().expect("UTF-8 path");
	let dir = tempfile::tempdir().expect("temporary directory");

	let mut alice = Node::start("alice", dir.path(), &["--chain", spec, "--validator", "--alice"]);
	let bootnode = alice.multiaddr();
	let mut bob = Node::start(
		"bob",
		dir.path(),
		&["--chain", spec, "--validator", "--bob", "--bootnodes", &bootnode],
	);
	let mut charlie = Node::start(
		"charlie",
		dir.path(),
		&["--chain", spec, "--validator", "--charlie", "--bootnodes", &bootnode],
	);

	for node in [&mut alice, &mut bob, &mut charlie] {
		node.wait_until("it has two peers", TIMEOUT, |node| node.peer_count() >= 2);
	}
	alice.wait_until("block 3 is finalized", TIMEOUT, |node| node.finalized_number() >= 3);

	// Charlie stops. Aura keeps authoring in Alice's and Bob's slots. GRANDPA needs more than
	// two thirds of the voters: with three equal voters that is all three, so finality waits.
	charlie.stop();
	let finalized_before = alice.finalized_number();
	let best_before = alice.best_number();
	let charlie_height = finalized_before.min(best_before);
	let charlie_block = alice.block_hash(charlie_height).expect("a finalized block");
	alice.wait_until("two more blocks are authored without Charlie", TIMEOUT, |node| {
		node.best_number() >= best_before + 2
	});

	// Charlie restarts from its own database: the blocks it had are still there, it catches up
	// with the others, and finality resumes past everything authored while it was away.
	charlie.restart();
	assert_eq!(charlie.block_hash(charlie_height), Some(charlie_block), "Charlie lost its data");
	let target = alice.best_number();
	charlie.wait_until("it catches up with Alice", TIMEOUT, |node| node.best_number() >= target);
	for node in [&mut alice, &mut bob, &mut charlie] {
		node.wait_until("finality passes the blocks authored while Charlie was away", TIMEOUT, |node| {
			node.finalized_number() >= target
		});
	}
}
