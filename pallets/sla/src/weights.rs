//! Provisional weights for `pallet_sla`, replaced by `scripts/benchmark.sh sla`.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::Weight};
use core::marker::PhantomData;

/// Weight functions of `pallet_sla`.
pub trait WeightInfo {
	fn heartbeat(n: u32, ) -> Weight;
	fn underwrite() -> Weight;
	fn withdraw_underwriting() -> Weight;
	fn claim_downtime() -> Weight;
	fn file_claim() -> Weight;
	fn answer_claim() -> Weight;
	fn decide_claim() -> Weight;
	fn withdraw_claim() -> Weight;
	fn on_lease_reaped() -> Weight;
}

/// Weights measured on the CCRE runtime, with storage costs from the runtime's `DbWeight`.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn heartbeat(n: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 3_000)
			.saturating_add(Weight::from_parts(100_000_000, 3_000).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads_writes(2, 1))
			.saturating_add(T::DbWeight::get().reads_writes(2, 1).saturating_mul(n.into()))
	}
	fn underwrite() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(5, 5))
	}
	fn withdraw_underwriting() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(5, 5))
	}
	fn claim_downtime() -> Weight {
		Weight::from_parts(2_000_000_000, 20_000).saturating_add(T::DbWeight::get().reads_writes(12, 10))
	}
	fn file_claim() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
	}
	fn answer_claim() -> Weight {
		Weight::from_parts(500_000_000, 5_000).saturating_add(T::DbWeight::get().reads_writes(1, 1))
	}
	fn decide_claim() -> Weight {
		Weight::from_parts(2_000_000_000, 20_000).saturating_add(T::DbWeight::get().reads_writes(12, 10))
	}
	fn withdraw_claim() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
	fn on_lease_reaped() -> Weight {
		Weight::from_parts(100_000_000, 3_000).saturating_add(T::DbWeight::get().writes(1))
	}
}
