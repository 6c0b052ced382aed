//! Weights for `pallet_providers`. PLACEHOLDER until `scripts/benchmark.sh` generates them:
//! a conservative 100 ms of compute per call.

#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::weights::Weight;

/// Weight functions of `pallet_providers`.
pub trait WeightInfo {
	fn register() -> Weight;
	fn update() -> Weight;
	fn deregister(a: u32) -> Weight;
	fn bond() -> Weight;
	fn unbond() -> Weight;
	fn withdraw_unbonded() -> Weight;
	fn add_auditor() -> Weight;
	fn remove_auditor() -> Weight;
	fn attest() -> Weight;
	fn withdraw_attestation() -> Weight;
	fn slash() -> Weight;
	fn record_outcome() -> Weight;
}

/// Placeholder weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register() -> Weight {
		Weight::from_parts(100_000_000_000, 10_000)
	}
	fn update() -> Weight {
		Weight::from_parts(100_000_000_000, 10_000)
	}
	fn deregister(_a: u32) -> Weight {
		Weight::from_parts(100_000_000_000, 10_000)
	}
	fn bond() -> Weight {
		Weight::from_parts(100_000_000_000, 10_000)
	}
	fn unbond() -> Weight {
		Weight::from_parts(100_000_000_000, 10_000)
	}
	fn withdraw_unbonded() -> Weight {
		Weight::from_parts(100_000_000_000, 10_000)
	}
	fn add_auditor() -> Weight {
		Weight::from_parts(100_000_000_000, 10_000)
	}
	fn remove_auditor() -> Weight {
		Weight::from_parts(100_000_000_000, 10_000)
	}
	fn attest() -> Weight {
		Weight::from_parts(100_000_000_000, 10_000)
	}
	fn withdraw_attestation() -> Weight {
		Weight::from_parts(100_000_000_000, 10_000)
	}
	fn slash() -> Weight {
		Weight::from_parts(100_000_000_000, 10_000)
	}
	fn record_outcome() -> Weight {
		Weight::from_parts(100_000_000_000, 10_000)
	}
}
