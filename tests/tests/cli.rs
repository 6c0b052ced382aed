//! The `ccre` command line against a real dev node: queries through the `ccre_*` RPC, and
//! calls signed with the key in `CCRE_SEED`, accepted or refused with the pallet's error.

use ccre_e2e::{ccre, Node};
use serde_json::Value;
use std::time::Duration;

/// Ferdie and Charlie, funded development accounts.
const FERDIE: &str = "5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL";
const CHARLIE: &str = "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y";

fn json(text: &str) -> Value {
	serde_json::from_str(text).unwrap_or_else(|error| panic!("not JSON ({error}): {text}"))
}

#[test]
fn the_cli_queries_the_chain_and_signs_calls() {
	let dir = tempfile::tempdir().expect("a temporary directory");
	let mut node = Node::start("dev", dir.path(), &["--dev"]);
	node.wait_until("block 1", Duration::from_secs(60), |node| node.best_number() >= 1);
	let url = format!("ws://127.0.0.1:{}", node.rpc_port);

	let (ok, stdout, stderr) = ccre(&url, None, &["query", "order", "0"]);
	assert!(ok, "{stderr}");
	assert_eq!(json(&stdout), Value::Null);
	let (ok, stdout, stderr) = ccre(&url, None, &["query", "underwriting", FERDIE]);
	assert!(ok, "{stderr}");
	assert_eq!(json(&stdout), Value::Null);

	// A signed call the chain accepts: Ferdie underwrites 10 CCRE and holds shares.
	let (ok, stdout, stderr) =
		ccre(&url, Some("//Ferdie"), &["pool", "underwrite", "10000000000000"]);
	assert!(ok, "{stderr}");
	assert_eq!(stdout.trim(), "underwrote 10000000000000");
	let (ok, stdout, stderr) = ccre(&url, None, &["query", "underwriting", FERDIE]);
	assert!(ok, "{stderr}");
	let stake = json(&stdout);
	assert!(stake["shares"].as_u64().is_some_and(|shares| shares > 0), "{stake}");
	let (ok, stdout, _) = ccre(&url, None, &["query", "pool"]);
	assert!(ok);
	assert!(json(&stdout)["value"].as_u64().is_some_and(|value| value >= 10_000_000_000_000));

	// An order for the example manifest, its hash the manifest version, then cancelled.
	let manifest = ccre_e2e::repo_root().join("examples/web.yaml");
	let manifest = manifest.to_str().expect("UTF-8");
	let (ok, hash, stderr) = ccre(&url, None, &["manifest", "hash", manifest]);
	assert!(ok, "{stderr}");
	let place = |funding: &str| {
		ccre(
			&url,
			Some("//Charlie"),
			&[
				"order",
				"create",
				manifest,
				"--max-price",
				"1000000000000",
				"--funding",
				funding,
				"--region",
				"eu-west",
				"--bid-window",
				"100",
			],
		)
	};
	let (ok, stdout, stderr) = place("100000000000000");
	assert!(ok, "{stderr}");
	assert_eq!(stdout.trim(), "order 0 placed");
	let (ok, stdout, _) = ccre(&url, None, &["query", "order", "0"]);
	assert!(ok);
	let order = json(&stdout);
	assert_eq!(order["terms"]["manifest_hash"].as_str(), Some(hash.trim()));
	assert_eq!(order["terms"]["resources"]["cpu_millicores"], 500);
	assert_eq!(order["terms"]["placement"]["region"], "eu-west");
	let (ok, _, stderr) = place("1");
	assert!(!ok);
	assert!(stderr.contains("InsufficientFunding"), "{stderr}");
	let (ok, _, stderr) = ccre(&url, Some("//Dave"), &["order", "cancel", "0"]);
	assert!(!ok);
	assert!(stderr.contains("NotTenant"), "{stderr}");
	let (ok, stdout, stderr) = ccre(&url, Some("//Charlie"), &["order", "cancel", "0"]);
	assert!(ok, "{stderr}");
	assert_eq!(stdout.trim(), "order 0 cancelled");
	let (ok, stdout, _) = ccre(&url, None, &["query", "order", "0"]);
	assert!(ok);
	assert_eq!(json(&stdout), Value::Null, "a cancelled order is gone");

	// A client certificate created, published as Charlie's, and revoked.
	let certs = dir.path().join("certs");
	let (ok, stdout, stderr) = ccre(&url, None, &["cert", "new", certs.to_str().expect("UTF-8")]);
	assert!(ok, "{stderr}");
	let fingerprint = stdout.lines().last().and_then(|line| line.strip_prefix("fingerprint: "));
	let fingerprint = fingerprint.expect("a fingerprint").to_string();
	let crt = certs.join("client.crt");
	let key_mode = std::fs::metadata(certs.join("client.key")).map(|meta| meta.permissions());
	assert_eq!(
		key_mode.map(|mode| std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777).ok(),
		Some(0o600),
		"the key is readable by its owner only"
	);
	let (ok, stdout, stderr) =
		ccre(&url, Some("//Charlie"), &["cert", "publish", crt.to_str().expect("UTF-8")]);
	assert!(ok, "{stderr}");
	assert_eq!(stdout.trim(), format!("published {fingerprint}"));
	let (ok, stdout, _) = ccre(&url, None, &["query", "certificates", CHARLIE]);
	assert!(ok);
	let published = json(&stdout);
	assert_eq!(published[0]["fingerprint"].as_str(), Some(fingerprint.as_str()));
	assert_eq!(published[0]["revoked_at"], Value::Null);
	let (ok, _, stderr) =
		ccre(&url, Some("//Charlie"), &["cert", "publish", crt.to_str().expect("UTF-8")]);
	assert!(!ok);
	assert!(stderr.contains("AlreadyPublished"), "{stderr}");
	let key = certs.join("client.key");
	let (ok, _, stderr) =
		ccre(&url, Some("//Charlie"), &["cert", "publish", key.to_str().expect("UTF-8")]);
	assert!(!ok);
	assert!(stderr.contains("not a CERTIFICATE"), "{stderr}");
	let (ok, _, stderr) = ccre(&url, None, &["cert", "new", certs.to_str().expect("UTF-8")]);
	assert!(!ok, "an existing key is never overwritten");
	assert!(stderr.contains("cannot write"), "{stderr}");
	let (ok, _, _) = ccre(&url, Some("//Charlie"), &["cert", "revoke", &fingerprint]);
	assert!(ok);
	let (ok, stdout, _) = ccre(&url, None, &["query", "certificates", CHARLIE]);
	assert!(ok);
	assert!(json(&stdout)[0]["revoked_at"].is_u64());

	// Calls the chain refuses, with the pallet's error; and no call without a key.
	let (ok, _, stderr) = ccre(&url, Some("//Charlie"), &["escrow", "deposit", "7", "1000"]);
	assert!(!ok);
	assert!(stderr.contains("UnknownAccount"), "{stderr}");
	let (ok, _, stderr) = ccre(&url, Some("//Charlie"), &["lease", "close", "7"]);
	assert!(!ok);
	assert!(stderr.contains("UnknownLease"), "{stderr}");
	let (ok, _, stderr) = ccre(&url, None, &["lease", "close", "7"]);
	assert!(!ok);
	assert!(stderr.contains("no signing key: set CCRE_SEED"), "{stderr}");
	let (ok, _, stderr) = ccre(&url, Some("not a uri //"), &["lease", "close", "7"]);
	assert!(!ok);
	assert!(stderr.contains("CCRE_SEED is not a secret URI"), "{stderr}");

	// No node there.
	node.stop();
	let (ok, _, stderr) = ccre(&url, None, &["query", "pool"]);
	assert!(!ok);
	assert!(stderr.contains("cannot reach the node"), "{stderr}");
}
