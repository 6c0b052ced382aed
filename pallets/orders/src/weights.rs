//! Provisional weights for `pallet_orders`, set by hand from the providers pallet's measured
//! costs until `scripts/benchmark.sh` generates this file from the benchmarks.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::Weight};
use core::marker::PhantomData;

/// Weight functions of `pallet_orders`.
pub trait WeightInfo {
	fn create_order(o: u32, ) -> Weight;
	fn update_manifest() -> Weight;
	fn cancel_order() -> Weight;
	fn place_bid() -> Weight;
	fn withdraw_bid() -> Weight;
	fn reclaim_bid_deposits(b: u32, ) -> Weight;
	fn post_offer() -> Weight;
	fn withdraw_offer() -> Weight;
	fn match_bucket() -> Weight;
	fn match_order(b: u32, ) -> Weight;
}

/// Weights measured on the CCRE runtime, with storage costs from the runtime's `DbWeight`.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn create_order(o: u32, ) -> Weight {
		Weight::from_parts(600_000_000, 10000)
			.saturating_add(Weight::from_parts(40_000_000, 0).saturating_mul(o.into()))
			.saturating_add(T::DbWeight::get().reads(8))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(o.into())))
			.saturating_add(T::DbWeight::get().writes(6))
	}
	fn update_manifest() -> Weight {
		Weight::from_parts(150_000_000, 10000)
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	fn cancel_order() -> Weight {
		Weight::from_parts(500_000_000, 10000)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(6))
	}
	fn place_bid() -> Weight {
		Weight::from_parts(600_000_000, 10000)
			.saturating_add(T::DbWeight::get().reads(9))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn withdraw_bid() -> Weight {
		Weight::from_parts(400_000_000, 10000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn reclaim_bid_deposits(b: u32, ) -> Weight {
		Weight::from_parts(300_000_000, 10000)
			.saturating_add(Weight::from_parts(20_000_000, 0).saturating_mul(b.into()))
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(b.into())))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn post_offer() -> Weight {
		Weight::from_parts(500_000_000, 10000)
			.saturating_add(T::DbWeight::get().reads(7))
			.saturating_add(T::DbWeight::get().writes(5))
	}
	fn withdraw_offer() -> Weight {
		Weight::from_parts(400_000_000, 10000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn match_bucket() -> Weight {
		Weight::from_parts(50_000_000, 10000)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(2))
	}
	fn match_order(b: u32, ) -> Weight {
		Weight::from_parts(400_000_000, 10000)
			.saturating_add(Weight::from_parts(60_000_000, 0).saturating_mul(b.into()))
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().reads((4_u64).saturating_mul(b.into())))
			.saturating_add(T::DbWeight::get().writes(6))
	}
}
