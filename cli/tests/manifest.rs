//! `ccre manifest` run as a user runs it, on the example manifest and on bad ones.

use ccre_primitives::manifest::Manifest;
use std::{path::PathBuf, process::Command};

fn ccre(args: &[&str]) -> (bool, String, String) {
	let output = Command::new(env!("CARGO_BIN_EXE_ccre")).args(args).output().expect("ccre runs");
	(
		output.status.success(),
		String::from_utf8_lossy(&output.stdout).into_owned(),
		String::from_utf8_lossy(&output.stderr).into_owned(),
	)
}

fn example() -> PathBuf {
	// The target directory is shared by clones at different paths and cargo may reuse this
	// test as compiled in another, so the package directory cargo runs it for wins.
	let package = std::env::var_os("CARGO_MANIFEST_DIR")
		.map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
	package.join("../examples/web.yaml")
}

fn scratch(name: &str, contents: &[u8]) -> PathBuf {
	let dir = std::env::temp_dir().join(format!("ccre-cli-{}", std::process::id()));
	std::fs::create_dir_all(&dir).expect("a scratch directory");
	let path = dir.join(name);
	std::fs::write(&path, contents).expect("writes");
	path
}

#[test]
fn hash_prints_the_manifests_hash() {
	let path = example();
	let (ok, stdout, stderr) = ccre(&["manifest", "hash", path.to_str().expect("UTF-8")]);
	assert!(ok, "{stderr}");
	let expected = Manifest::parse(&std::fs::read(&path).expect("reads")).expect("valid").hash();
	assert_eq!(stdout.trim(), ccre_primitives::hex::encode(&expected));
}

#[test]
fn check_prints_the_services_and_what_they_need() {
	let (ok, stdout, stderr) = ccre(&["manifest", "check", example().to_str().expect("UTF-8")]);
	assert!(ok, "{stderr}");
	assert!(
		stdout
			.contains("service web: 1 × {\"cpu_millicores\":500,\"memory_mib\":256}, ports [8080]"),
		"{stdout}"
	);
	assert!(
		stdout.contains("needs in all: {\"cpu_millicores\":500,\"memory_mib\":256}"),
		"{stdout}"
	);
}

#[test]
fn bad_manifests_are_refused_with_their_reason() {
	let cases: [(&str, &[u8], &str); 6] = [
		("malformed.yaml", b"version: 1\nservices: {web: [", "malformed manifest"),
		("empty.yaml", b"version: 1\nservices: {}\n", "the manifest has no services"),
		(
			"zero.yaml",
			b"version: 1\nservices:\n  web: {image: busybox, command: [x], count: 0, resources: {gpus: 1}}\n",
			"service web runs no instance",
		),
		(
			"billions.yaml",
			b"version: 1\nservices:\n  web: {image: busybox, count: 4000000000, resources: {cpu_millicores: 1, memory_mib: 1}}\n",
			"service web runs over 32 instances",
		),
		(
			"idle.yaml",
			b"version: 1\nservices:\n  web: {image: busybox, resources: {cpu_millicores: 0, memory_mib: 1}}\n",
			"service web must ask for more than zero CpuMillicores",
		),
		("huge.yaml", &[b' '; 65 * 1024], "over 65536 bytes"),
	];
	for (name, contents, reason) in cases {
		let path = scratch(name, contents);
		let (ok, _, stderr) = ccre(&["manifest", "hash", path.to_str().expect("UTF-8")]);
		assert!(!ok, "{name}");
		assert!(stderr.contains(reason), "{name}: {stderr}");
	}
	let (ok, _, stderr) = ccre(&["manifest", "check", "/nonexistent/manifest.yaml"]);
	assert!(!ok);
	assert!(stderr.contains("cannot read /nonexistent/manifest.yaml"), "{stderr}");
}
