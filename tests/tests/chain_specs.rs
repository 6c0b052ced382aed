//! The checked-in chain specs are what the runtime generates now.
//! Regenerate them with `scripts/generate-chain-specs.sh` after changing the runtime.

use ccre_e2e::{repo_root, run_node_command};

fn assert_spec_is_current(chain: &str) {
	let (status, generated, stderr) = run_node_command(&["export-chain-spec", "--chain", chain]);
	assert!(status.success(), "export-chain-spec --chain {chain} failed:\n{stderr}");
	let path = repo_root().join(format!("chain-specs/{chain}.json"));
	let checked_in =
		std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
	let generated: serde_json::Value = serde_json::from_str(&generated).expect("generated JSON");
	let checked_in: serde_json::Value = serde_json::from_str(&checked_in).expect("checked-in JSON");
	assert!(
		generated == checked_in,
		"chain-specs/{chain}.json is out of date with the runtime: run scripts/generate-chain-specs.sh"
	);
}

#[test]
fn dev_spec_is_current() {
	assert_spec_is_current("dev");
}

#[test]
fn local_spec_is_current() {
	assert_spec_is_current("local");
}
