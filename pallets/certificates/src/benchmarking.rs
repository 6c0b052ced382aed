//! Benchmarks for every call, each at its worst case: the largest certificate under the
//! runtime's 4096-byte limit (`primitives/fixtures/large.der`, 3981 bytes, whose key proves the
//! caller's ownership) and an owner index one short of full.
//!
//! No benchmark sets the clock. In a runtime benchmark the timestamp is 0, earlier than the
//! fixture's notBefore; that is fine because publishing only refuses certificates whose notAfter
//! has passed (a not-yet-valid certificate is the gateway's business, at use time).

use super::*;
use codec::Encode;
use frame_benchmarking::v2::*;
use frame_support::{
	ensure,
	traits::{
		fungible::{Inspect, Mutate},
		Get,
	},
	BoundedVec,
};
use frame_system::RawOrigin;
use sp_runtime::traits::Saturating;

/// The benchmarks' certificate: P-256 with 119 subjectAltNames, 3981 bytes of DER.
const LARGE: &[u8] = include_bytes!("../../../primitives/fixtures/large.der");
/// Its key, the 32 bytes of the P-256 scalar.
const LARGE_KEY: &[u8; 32] = include_bytes!("../../../primitives/fixtures/large.key");

/// [`LARGE`] and its key's proof that `owner` may publish it, as a call takes them.
fn large_for<T: Config>(owner: &T::AccountId) -> Result<(DerOf<T>, ProofOf), BenchmarkError> {
	let proof = owner
		.using_encoded(|account| {
			ccre_primitives::certificate::prove_ownership(LARGE_KEY, account, LARGE)
		})
		.ok_or(BenchmarkError::Stop("the fixture's key signs"))?;
	let der = DerOf::<T>::try_from(LARGE.to_vec()).map_err(|_| BenchmarkError::Stop("length"))?;
	let proof = ProofOf::try_from(proof).map_err(|_| BenchmarkError::Stop("proof length"))?;
	Ok((der, proof))
}

/// The caller, funded for the deposit of [`LARGE`] twice over plus the existential deposit.
fn funded_caller<T: Config>() -> Result<T::AccountId, BenchmarkError>
where
	T::Currency: Mutate<T::AccountId>,
{
	let caller: T::AccountId = whitelisted_caller();
	let len = u32::try_from(LARGE.len()).map_err(|_| BenchmarkError::Stop("fixture length"))?;
	let deposit = Pallet::<T>::deposit_for(len)
		.map_err(|_| BenchmarkError::Stop("the fixture's deposit overflows"))?;
	let amount = deposit.saturating_mul(2u32.into()).saturating_add(T::Currency::minimum_balance());
	T::Currency::set_balance(&caller, amount);
	Ok(caller)
}

/// Fills `owner`'s index with made-up fingerprints, leaving room for one more: the index is
/// read, scanned and written in full by `publish` and `remove`, so its size is part of the
/// worst case. The fingerprints have no records; these calls never look them up.
fn fill_index_but_one<T: Config>(owner: &T::AccountId) -> Result<(), BenchmarkError> {
	let mut index = BoundedVec::<Fingerprint, T::MaxCertificatesPerAccount>::new();
	for i in 0..T::MaxCertificatesPerAccount::get().saturating_sub(1) {
		let mut made_up = [0xee; 32];
		made_up[..4].copy_from_slice(&i.to_le_bytes());
		index.try_push(made_up).map_err(|_| BenchmarkError::Stop("index bound"))?;
	}
	CertificatesOf::<T>::insert(owner, index);
	Ok(())
}

/// A funded caller with a nearly full index whose last entry is [`LARGE`], published.
fn caller_with_large<T: Config>() -> Result<T::AccountId, BenchmarkError>
where
	T::Currency: Mutate<T::AccountId>,
{
	let caller = funded_caller::<T>()?;
	fill_index_but_one::<T>(&caller)?;
	let (der, proof) = large_for::<T>(&caller)?;
	Pallet::<T>::do_publish(caller.clone(), der, proof)
		.map_err(|_| BenchmarkError::Stop("publishing the fixture failed"))?;
	Ok(caller)
}

#[benchmarks(where T::Currency: frame_support::traits::fungible::Mutate<T::AccountId>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn publish() -> Result<(), BenchmarkError> {
		let caller = funded_caller::<T>()?;
		fill_index_but_one::<T>(&caller)?;
		let (der, proof) = large_for::<T>(&caller)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), der, proof);

		let fingerprint = ccre_primitives::fingerprint(LARGE);
		ensure!(
			Certificates::<T>::contains_key(fingerprint),
			BenchmarkError::Stop("not published")
		);
		ensure!(
			CertificatesOf::<T>::get(&caller).last() == Some(&fingerprint),
			BenchmarkError::Stop("not indexed")
		);
		Ok(())
	}

	#[benchmark]
	fn revoke() -> Result<(), BenchmarkError> {
		let caller = caller_with_large::<T>()?;
		let fingerprint = ccre_primitives::fingerprint(LARGE);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), fingerprint);

		let revoked = Certificates::<T>::get(fingerprint).is_some_and(|r| r.revoked_at.is_some());
		ensure!(revoked, BenchmarkError::Stop("not revoked"));
		Ok(())
	}

	#[benchmark]
	fn remove() -> Result<(), BenchmarkError> {
		let caller = caller_with_large::<T>()?;
		let fingerprint = ccre_primitives::fingerprint(LARGE);
		Pallet::<T>::do_revoke(caller.clone(), fingerprint)
			.map_err(|_| BenchmarkError::Stop("revoking the fixture failed"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), fingerprint);

		ensure!(!Certificates::<T>::contains_key(fingerprint), BenchmarkError::Stop("not removed"));
		ensure!(
			!CertificatesOf::<T>::get(&caller).contains(&fingerprint),
			BenchmarkError::Stop("still indexed")
		);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
