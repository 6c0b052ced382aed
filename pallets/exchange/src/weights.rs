//! PLACEHOLDER until scripts/benchmark.sh exchange runs: never commit this file as it is.

#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::weights::Weight;

/// Weight functions of `pallet_exchange`.
pub trait WeightInfo {
	fn create_class() -> Weight;
	fn retire_class() -> Weight;
	fn buy() -> Weight;
	fn sell() -> Weight;
	fn cancel() -> Weight;
	fn set_rules() -> Weight;
	fn matching_base() -> Weight;
	fn expire() -> Weight;
	fn match_order(f: u32) -> Weight;
	fn print_index() -> Weight;
	fn watch_band() -> Weight;
	fn reopen() -> Weight;
	fn auction_fill() -> Weight;
}

pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn create_class() -> Weight {
		Weight::from_parts(500_000_000, 10_000)
	}
	fn retire_class() -> Weight {
		Weight::from_parts(500_000_000, 10_000)
	}
	fn buy() -> Weight {
		Weight::from_parts(500_000_000, 10_000)
	}
	fn sell() -> Weight {
		Weight::from_parts(500_000_000, 10_000)
	}
	fn cancel() -> Weight {
		Weight::from_parts(500_000_000, 10_000)
	}
	fn set_rules() -> Weight {
		Weight::from_parts(500_000_000, 10_000)
	}
	fn matching_base() -> Weight {
		Weight::from_parts(500_000_000, 10_000)
	}
	fn expire() -> Weight {
		Weight::from_parts(500_000_000, 10_000)
	}
	fn match_order(f: u32) -> Weight {
		Weight::from_parts(500_000_000, 10_000).saturating_mul(u64::from(f) + 1)
	}
	fn print_index() -> Weight {
		Weight::from_parts(500_000_000, 10_000)
	}
	fn watch_band() -> Weight {
		Weight::from_parts(500_000_000, 10_000)
	}
	fn reopen() -> Weight {
		Weight::from_parts(500_000_000, 10_000)
	}
	fn auction_fill() -> Weight {
		Weight::from_parts(500_000_000, 10_000)
	}
}
