//! Builds the runtime to wasm, reproducibly: the same sources give the same bytes wherever the
//! clone lives (a second checkout, CI), because the checked-in chain specs embed the runtime and
//! must match what any clone builds.
//!
//! Two things would otherwise carry the clone's path into the wasm: panic locations, and the
//! hashes cargo derives from a path dependency's location (they order and name symbols). So the
//! wasm project builds the runtime through a symlink at a fixed place in the shared target
//! directory, that path is mapped to `ccre` in panic locations, and symbol names are stripped.
//! (As with srtool, identical bytes need the same toolchain and the same target directory.)

#[cfg(feature = "std")]
fn main() {
	use std::path::PathBuf;

	// Read at run time: `env!` would bake in the clone that compiled this script.
	let runtime_dir =
		PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
	let workspace = runtime_dir.parent().unwrap_or(&runtime_dir);
	// OUT_DIR is <target>/<profile>/build/<package>-<hash>/out.
	let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
	let profile_dir = out_dir.ancestors().nth(3).expect("OUT_DIR is inside the target directory");
	// Outside `wbuild`: the wasm builder only watches dependencies that live outside it.
	let link = profile_dir.join("ccre-source");
	point_symlink_at(&link, workspace);
	// The project's scripts export the clone's root as CCRE_ROOT: building from another clone
	// must rerun this script to point the link there (cargo keys this package by its path
	// relative to the workspace, which is the same in every clone).
	println!("cargo:rerun-if-env-changed=CCRE_ROOT");

	substrate_wasm_builder::WasmBuilder::new()
		.with_project(link.join("runtime").join("Cargo.toml"))
		.expect("the runtime's manifest exists")
		.import_memory()
		.export_heap_base()
		.append_to_rust_flags(format!("--remap-path-prefix={}=ccre", link.display()))
		.append_to_rust_flags("-C strip=symbols")
		.build();
}

/// Makes `link` a symlink to `target`, replacing what was there in one step.
#[cfg(feature = "std")]
fn point_symlink_at(link: &std::path::Path, target: &std::path::Path) {
	if std::fs::read_link(link).is_ok_and(|current| current == target) {
		return;
	}
	let parent = link.parent().expect("the link has a parent directory");
	std::fs::create_dir_all(parent).expect("create the profile directory");
	let staging = parent.join(format!(".ccre-source.{}", std::process::id()));
	let _ = std::fs::remove_file(&staging);
	std::os::unix::fs::symlink(target, &staging).expect("create the source symlink");
	std::fs::rename(&staging, link).expect("move the source symlink into place");
}

#[cfg(not(feature = "std"))]
fn main() {}
