fn main() {
	#[cfg(feature = "std")]
	{
		// The runtime must come out byte-for-byte the same wherever the clone lives (a second
		// checkout, CI), or the checked-in chain specs, which embed it, would not match. Panic
		// locations embed source paths, so map the workspace's path to a fixed name; symbol names
		// carry hashes of the crates' paths, so strip them (production builds strip them anyway).
		let runtime_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
		let workspace = runtime_dir.parent().unwrap_or(runtime_dir);
		substrate_wasm_builder::WasmBuilder::init_with_defaults()
			.append_to_rust_flags(format!("--remap-path-prefix={}=ccre", workspace.display()))
			.append_to_rust_flags("-C strip=symbols")
			.build();
	}
}
