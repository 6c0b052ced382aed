//! Genesis presets: the `development` chain (one validator, one-second blocks, Sudo) and the
//! `local_testnet` (three validators on the real Aura + GRANDPA path, governed by referenda
//! alone).

use crate::{
	AccountId, ArbitratorsConfig, AuraConfig, BalancesConfig, BlockTimeConfig, ExchangeConfig,
	GrandpaConfig, InsurancePoolAccount, RuntimeGenesisConfig, SudoConfig, TreasuryAccount, CCRE,
	DEV_BLOCK_TIME_MILLIS, EXISTENTIAL_DEPOSIT, LOCAL_BLOCK_TIME_MILLIS,
};
use alloc::{vec, vec::Vec};
use ccre_primitives::{exchange::GenesisClass, Capacity, ResourceSet, SlaTerms};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::Perbill;

/// What each well-known development account starts with.
pub const DEV_ACCOUNT_ENDOWMENT: crate::Balance = 1_000_000 * CCRE;

/// A genesis for a chain with the given validators, sudo key (none: governance alone is root),
/// arbitrators, funded accounts and block time.
fn testnet_genesis(
	authorities: Vec<(AuraId, GrandpaId)>,
	sudo: Option<AccountId>,
	arbitrators: Vec<AccountId>,
	endowed_accounts: Vec<AccountId>,
	slot_duration_millis: u64,
) -> Value {
	let mut balances: Vec<(AccountId, crate::Balance)> =
		endowed_accounts.into_iter().map(|account| (account, DEV_ACCOUNT_ENDOWMENT)).collect();
	// The treasury and the insurance pool must exist before fees and takes are paid in.
	balances.push((TreasuryAccount::get(), EXISTENTIAL_DEPOSIT));
	balances.push((InsurancePoolAccount::get(), EXISTENTIAL_DEPOSIT));
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances },
		aura: AuraConfig {
			authorities: authorities.iter().map(|(aura, _)| aura.clone()).collect::<Vec<_>>(),
		},
		grandpa: GrandpaConfig {
			authorities: authorities
				.into_iter()
				.map(|(_, grandpa)| (grandpa, 1))
				.collect::<Vec<_>>(),
		},
		block_time: BlockTimeConfig { slot_duration_millis },
		sudo: SudoConfig { key: sudo },
		arbitrators: ArbitratorsConfig { members: arbitrators },
		exchange: ExchangeConfig { classes: standard_classes() },
	})
}

/// The classes test networks start with, any region, priced in whole smallest units:
/// `cpu.std`, one vCPU with 4 GiB (the usual cloud ratio), and `cpu.small`, half a vCPU with
/// 512 MiB (room for the example manifest on a small provider).
fn standard_classes() -> Vec<GenesisClass> {
	let sla = SlaTerms { availability: Perbill::from_percent(99), credit_rate: Perbill::one() };
	[("cpu.std", 1_000, 4_096), ("cpu.small", 500, 512)]
		.into_iter()
		.filter_map(|(name, millicores, mib)| {
			let resources = ResourceSet::new(
				[(Capacity::CpuMillicores, millicores), (Capacity::MemoryMib, mib)],
				[],
			)
			.ok()?;
			Some(GenesisClass {
				name: name.into(),
				resources,
				placement: ResourceSet::default(),
				tick: 1,
				max_lots: 64,
				sla,
			})
		})
		.collect()
}

/// The Aura (sr25519) and GRANDPA (ed25519) keys of a well-known development account.
fn authority_keys(aura: Sr25519Keyring, grandpa: Ed25519Keyring) -> (AuraId, GrandpaId) {
	(aura.public().into(), grandpa.public().into())
}

/// Every well-known development account (Alice to Ferdie and their stashes).
fn well_known_accounts() -> Vec<AccountId> {
	Sr25519Keyring::well_known().map(|account| account.to_account_id()).collect()
}

/// The first arbitrators: Dave, Eve and Ferdie, until governance chooses others. They are not
/// the accounts the demo uses as provider (Alice) and tenant (Charlie), so no one judges their
/// own case there.
fn first_arbitrators() -> Vec<AccountId> {
	[Sr25519Keyring::Dave, Sr25519Keyring::Eve, Sr25519Keyring::Ferdie]
		.into_iter()
		.map(|account| account.to_account_id())
		.collect()
}

/// The `development` preset: Alice alone validates, one-second blocks; Alice holds Sudo.
pub fn development_config_genesis() -> Value {
	testnet_genesis(
		vec![authority_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		Some(Sr25519Keyring::Alice.to_account_id()),
		first_arbitrators(),
		well_known_accounts(),
		DEV_BLOCK_TIME_MILLIS,
	)
}

/// The `local_testnet` preset: Alice, Bob and Charlie validate, two-second blocks; no Sudo,
/// so only referenda act as root.
pub fn local_config_genesis() -> Value {
	testnet_genesis(
		vec![
			authority_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			authority_keys(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			authority_keys(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
		],
		None,
		first_arbitrators(),
		well_known_accounts(),
		LOCAL_BLOCK_TIME_MILLIS,
	)
}

/// The JSON of a named preset, or `None` for an unknown name.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	serde_json::to_string(&patch).ok().map(|json| json.into_bytes())
}

/// The names of the presets this runtime offers.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}

/// The storage the named preset builds, as a node does: the preset merged (RFC 7386) into the
/// default genesis config, then built. For the runtime's tests and its fuzzer.
#[cfg(feature = "std")]
pub fn preset_storage(id: &PresetId) -> Result<sp_core::storage::Storage, String> {
	use sp_runtime::BuildStorage;
	fn merge(base: &mut Value, patch: Value) {
		match (base, patch) {
			(Value::Object(base), Value::Object(patch)) => {
				for (key, value) in patch {
					merge(base.entry(key).or_insert(Value::Null), value);
				}
			},
			(base, patch) => *base = patch,
		}
	}
	let patch = get_preset(id).ok_or_else(|| format!("no preset {id:?}"))?;
	let mut config =
		serde_json::to_value(RuntimeGenesisConfig::default()).map_err(|e| e.to_string())?;
	merge(&mut config, serde_json::from_slice(&patch).map_err(|e| e.to_string())?);
	let config: RuntimeGenesisConfig = serde_json::from_value(config).map_err(|e| e.to_string())?;
	config.build_storage()
}
