//! Weights for `pallet_certificates`.
//!
//! PLACEHOLDER: these values are replaced by generated weights from `scripts/benchmark.sh`.
//! Until then they are deliberately conservative: tens of milliseconds of compute per call
//! (parsing and hashing a certificate take well under one), every storage access the call
//! makes, and a proof size that covers a record at the 4096-byte certificate limit. `publish`
//! is benchmarked at its worst case, the 3868-byte `primitives/fixtures/large.der`.

#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::Weight};

/// Weight functions of `pallet_certificates`.
pub trait WeightInfo {
	fn publish() -> Weight;
	fn revoke() -> Weight;
	fn remove() -> Weight;
}

/// Weights measured on the runtime's own database weights. PLACEHOLDER, see the module docs.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	// Reads: Timestamp::Now, Certificates, CertificatesOf, System::Account, Balances::Holds.
	// Writes: System::Account, Balances::Holds, Certificates, CertificatesOf.
	fn publish() -> Weight {
		Weight::from_parts(50_000_000_000, 16_384)
			.saturating_add(T::DbWeight::get().reads_writes(5, 4))
	}
	// Reads: Certificates. Writes: Certificates.
	fn revoke() -> Weight {
		Weight::from_parts(20_000_000_000, 8_192)
			.saturating_add(T::DbWeight::get().reads_writes(1, 1))
	}
	// Reads: Certificates, Timestamp::Now, CertificatesOf, System::Account, Balances::Holds.
	// Writes: Certificates, CertificatesOf, System::Account, Balances::Holds.
	fn remove() -> Weight {
		Weight::from_parts(20_000_000_000, 16_384)
			.saturating_add(T::DbWeight::get().reads_writes(5, 4))
	}
}
