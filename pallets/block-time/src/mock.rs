use crate as pallet_block_time;
use frame_support::derive_impl;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		BlockTime: pallet_block_time,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

impl pallet_block_time::Config for Test {}

/// Externalities built from a genesis config with the given slot duration.
pub fn new_test_ext(slot_duration_millis: u64) -> sp_io::TestExternalities {
	RuntimeGenesisConfig {
		block_time: pallet_block_time::GenesisConfig { slot_duration_millis, ..Default::default() },
		..Default::default()
	}
	.build_storage()
	.map(Into::into)
	.unwrap_or_else(|e| panic!("genesis storage: {e}"))
}
