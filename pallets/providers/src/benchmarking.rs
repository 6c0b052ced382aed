//! Benchmarks for every call and for the interfaces other pallets call, each at its worst
//! case.

use super::*;
use alloc::vec;
use ccre_primitives::{
	Capacities, Capacity, LeaseOutcome, Properties, Property, ReputationRecorder, SlashReason,
	StakeSlashing, MAX_PROPERTY_VALUE_LEN,
};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::RawOrigin;
use sp_runtime::traits::{Bounded, Saturating};

const SEED: u32 = 0;

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who = account(name, index, SEED);
	// Enough for any deposit and stake, with room for many accounts in the total issuance.
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1024u32.into());
	who
}

/// The largest attributes the resource model allows: every capacity and every property at
/// its longest.
fn largest_attributes() -> (Capacities, Properties) {
	let capacities = Capacity::ALL.iter().map(|capacity| (*capacity, u64::MAX)).collect();
	let properties = Property::ALL
		.iter()
		.map(|property| {
			let value = vec![b'p'; MAX_PROPERTY_VALUE_LEN as usize];
			(*property, BoundedVec::truncate_from(value))
		})
		.collect();
	(BoundedVec::truncate_from(capacities), BoundedVec::truncate_from(properties))
}

fn smallest_attributes() -> (Capacities, Properties) {
	let region = BoundedVec::truncate_from(b"r".to_vec());
	(BoundedVec::new(), BoundedVec::truncate_from(vec![(Property::Region, region)]))
}

fn longest<S: Get<u32>>() -> BoundedVec<u8, S> {
	BoundedVec::truncate_from(vec![b'u'; S::get() as usize])
}

fn registered<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who = funded::<T>(name, index);
	let (capacities, properties) = largest_attributes();
	let registration = Pallet::<T>::do_register(
		who.clone(),
		longest::<T::MaxHostUriLen>(),
		capacities,
		properties,
		longest::<T::MaxContactLen>(),
	);
	assert!(registration.is_ok(), "register: {registration:?}");
	who
}

/// A registered provider with `stake` active and every unbonding chunk in use.
fn staked_with_full_ledger<T: Config>(stake: BalanceOf<T>) -> T::AccountId {
	let who = registered::<T>("provider", 0);
	assert!(Pallet::<T>::do_bond(who.clone(), stake.saturating_mul(2u32.into())).is_ok());
	let chunk = stake / T::MaxUnlockingChunks::get().max(1).into();
	for block in 1..=T::MaxUnlockingChunks::get() {
		frame_system::Pallet::<T>::set_block_number(block.into());
		assert!(Pallet::<T>::do_unbond(who.clone(), chunk).is_ok());
	}
	who
}

fn stake_amount<T: Config>() -> BalanceOf<T> {
	T::MinimumStake::get().max(1_000_000u32.into())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register() {
		let who = funded::<T>("provider", 0);
		let (capacities, properties) = largest_attributes();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(who.clone()),
			longest::<T::MaxHostUriLen>(),
			capacities,
			properties,
			longest::<T::MaxContactLen>(),
		);

		assert!(Providers::<T>::contains_key(&who));
	}

	#[benchmark]
	fn update() {
		let who = funded::<T>("provider", 0);
		let (small_capacities, small_properties) = smallest_attributes();
		assert!(Pallet::<T>::do_register(
			who.clone(),
			BoundedVec::truncate_from(b"h".to_vec()),
			small_capacities,
			small_properties,
			BoundedVec::new()
		)
		.is_ok());
		let (capacities, properties) = largest_attributes();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(who.clone()),
			longest::<T::MaxHostUriLen>(),
			capacities,
			properties,
			longest::<T::MaxContactLen>(),
		);

		let record = Providers::<T>::get(&who).expect("registered");
		assert_eq!(record.contact.len() as u32, T::MaxContactLen::get());
	}

	#[benchmark]
	fn deregister(a: Linear<0, { T::MaxAuditors::get() }>) {
		let who = registered::<T>("provider", 0);
		assert!(Pallet::<T>::do_bond(who.clone(), stake_amount::<T>()).is_ok());
		for index in 0..a {
			let auditor = funded::<T>("auditor", index);
			assert!(Pallet::<T>::do_add_auditor(auditor.clone()).is_ok());
			assert!(Pallet::<T>::do_attest(auditor, who.clone()).is_ok());
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(!Providers::<T>::contains_key(&who));
		assert_eq!(AttestationCount::<T>::get(&who), 0);
	}

	#[benchmark]
	fn bond() {
		let who = registered::<T>("provider", 0);
		assert!(Pallet::<T>::do_bond(who.clone(), stake_amount::<T>()).is_ok());

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), stake_amount::<T>());

		assert_eq!(
			Stakes::<T>::get(&who).expect("ledger").active,
			stake_amount::<T>().saturating_mul(2u32.into())
		);
	}

	#[benchmark]
	fn unbond() {
		let who = registered::<T>("provider", 0);
		assert!(Pallet::<T>::do_bond(who.clone(), stake_amount::<T>()).is_ok());
		// Every chunk but one in use, so the call searches and pushes.
		for block in 1..T::MaxUnlockingChunks::get() {
			frame_system::Pallet::<T>::set_block_number(block.into());
			assert!(Pallet::<T>::do_unbond(who.clone(), 1u32.into()).is_ok());
		}
		frame_system::Pallet::<T>::set_block_number(T::MaxUnlockingChunks::get().into());

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), 1u32.into());

		assert_eq!(
			Stakes::<T>::get(&who).expect("ledger").unlocking.len() as u32,
			T::MaxUnlockingChunks::get()
		);
	}

	#[benchmark]
	fn withdraw_unbonded() {
		let who = staked_with_full_ledger::<T>(stake_amount::<T>());
		let after_all = T::UnbondingPeriod::get()
			.saturating_add(T::MaxUnlockingChunks::get().into())
			.saturating_add(1u32.into());
		frame_system::Pallet::<T>::set_block_number(after_all);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(Stakes::<T>::get(&who).expect("ledger").unlocking.is_empty());
	}

	#[benchmark]
	fn add_auditor() -> Result<(), BenchmarkError> {
		let origin =
			T::AuditorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let auditor: T::AccountId = account("auditor", 0, SEED);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, auditor.clone());

		assert!(Auditors::<T>::contains_key(&auditor));
		Ok(())
	}

	#[benchmark]
	fn remove_auditor() -> Result<(), BenchmarkError> {
		let origin =
			T::AuditorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let auditor: T::AccountId = account("auditor", 0, SEED);
		assert!(Pallet::<T>::do_add_auditor(auditor.clone()).is_ok());

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, auditor.clone());

		assert!(!Auditors::<T>::contains_key(&auditor));
		Ok(())
	}

	#[benchmark]
	fn attest() {
		let provider = registered::<T>("provider", 0);
		let auditor = funded::<T>("auditor", 0);
		assert!(Pallet::<T>::do_add_auditor(auditor.clone()).is_ok());

		#[extrinsic_call]
		_(RawOrigin::Signed(auditor.clone()), provider.clone());

		assert!(Attestations::<T>::contains_key(&provider, &auditor));
	}

	#[benchmark]
	fn withdraw_attestation() {
		let provider = registered::<T>("provider", 0);
		let auditor = funded::<T>("auditor", 0);
		assert!(Pallet::<T>::do_add_auditor(auditor.clone()).is_ok());
		assert!(Pallet::<T>::do_attest(auditor.clone(), provider.clone()).is_ok());

		#[extrinsic_call]
		_(RawOrigin::Signed(auditor.clone()), provider.clone());

		assert!(!Attestations::<T>::contains_key(&provider, &auditor));
	}

	/// Slashing everything: active stake and every unbonding chunk.
	#[benchmark]
	fn slash() {
		let stake = stake_amount::<T>();
		let provider = staked_with_full_ledger::<T>(stake);
		let beneficiary = funded::<T>("pool", 0);
		let total = Pallet::<T>::ledger_total(&Stakes::<T>::get(&provider).expect("ledger"));

		#[block]
		{
			assert!(<Pallet<T> as StakeSlashing<_, _>>::slash(
				&provider,
				total,
				&beneficiary,
				SlashReason::UpheldClaim
			)
			.is_ok());
		}

		assert!(Stakes::<T>::get(&provider).is_none());
	}

	#[benchmark]
	fn record_outcome() {
		let provider = registered::<T>("provider", 0);
		assert!(<Pallet<T> as ReputationRecorder<_, _>>::record_outcome(
			&provider,
			LeaseOutcome::Success,
			1u32.into()
		)
		.is_ok());
		// Far enough on that the record is discounted first.
		frame_system::Pallet::<T>::set_block_number(
			T::ReputationPeriod::get().saturating_mul(1_000u32.into()),
		);

		#[block]
		{
			assert!(<Pallet<T> as ReputationRecorder<_, _>>::record_outcome(
				&provider,
				LeaseOutcome::Failure,
				BalanceOf::<T>::max_value()
			)
			.is_ok());
		}
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
