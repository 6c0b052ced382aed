//! The built-in chain specifications, built from the runtime's genesis presets.

use ccre_runtime::{
	genesis_config_presets::development_config_genesis, SS58_PREFIX, TOKEN_DECIMALS, TOKEN_SYMBOL,
	WASM_BINARY,
};
use pallet_block_time::MIN_SLOT_DURATION_MILLIS;
use sc_service::ChainType;

/// A chain spec of the CCRE runtime, without extensions.
pub type ChainSpec = sc_service::GenericChainSpec;

/// The chain properties polkadot-js reads to show amounts and addresses.
fn properties() -> sc_chain_spec::Properties {
	let mut properties = sc_chain_spec::Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_PREFIX.into());
	properties
}

fn wasm_binary() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"The runtime's wasm binary is not available; build without SKIP_WASM_BUILD".to_string()
	})
}

/// The development chain: Alice validates alone. `block_time_millis` replaces the preset's
/// block time when given.
pub fn development_chain_spec(block_time_millis: Option<u64>) -> Result<ChainSpec, String> {
	let builder = ChainSpec::builder(wasm_binary()?, None)
		.with_name("CCRE Development")
		.with_id("ccre_dev")
		.with_chain_type(ChainType::Development)
		.with_properties(properties());
	let builder = match block_time_millis {
		None => builder.with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET),
		Some(millis) if millis < MIN_SLOT_DURATION_MILLIS => {
			return Err(format!(
				"--dev-block-time must be at least {MIN_SLOT_DURATION_MILLIS} ms, got {millis}"
			))
		},
		Some(millis) => {
			let mut genesis = development_config_genesis();
			genesis["blockTime"]["slotDurationMillis"] = millis.into();
			builder.with_genesis_config_patch(genesis)
		},
	};
	Ok(builder.build())
}

/// The local testnet: Alice, Bob and Charlie validate.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("CCRE Local Testnet")
		.with_id("ccre_local")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}
