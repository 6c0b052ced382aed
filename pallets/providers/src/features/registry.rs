//! Registering, updating and deregistering providers.

use crate::*;
use ccre_primitives::{
	storage_deposit, ActiveLeases, Capacities, Properties, Property, ResourceSet, ResourceSetError,
};
use codec::Encode;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_register(
		who: T::AccountId,
		host_uri: BoundedVec<u8, T::MaxHostUriLen>,
		capacities: Capacities,
		properties: Properties,
		contact: BoundedVec<u8, T::MaxContactLen>,
	) -> DispatchResult {
		ensure!(!Providers::<T>::contains_key(&who), Error::<T>::AlreadyRegistered);
		let now = frame_system::Pallet::<T>::block_number();
		let record = Self::build_record(host_uri, capacities, properties, contact, now)?;
		let deposit = record.deposit;
		T::Currency::hold(&HoldReason::ProviderDeposit.into(), &who, deposit)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		Providers::<T>::insert(&who, record);
		Self::deposit_event(Event::ProviderRegistered { provider: who, deposit });
		Ok(())
	}

	pub(crate) fn do_update(
		who: T::AccountId,
		host_uri: BoundedVec<u8, T::MaxHostUriLen>,
		capacities: Capacities,
		properties: Properties,
		contact: BoundedVec<u8, T::MaxContactLen>,
	) -> DispatchResult {
		let old = Providers::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
		let record =
			Self::build_record(host_uri, capacities, properties, contact, old.registered_at)?;
		let reason = HoldReason::ProviderDeposit.into();
		if record.deposit > old.deposit {
			T::Currency::hold(&reason, &who, record.deposit.saturating_sub(old.deposit))
				.map_err(|_| Error::<T>::InsufficientBalance)?;
		} else if record.deposit < old.deposit {
			T::Currency::release(
				&reason,
				&who,
				old.deposit.saturating_sub(record.deposit),
				Precision::Exact,
			)?;
		}
		let deposit = record.deposit;
		Providers::<T>::insert(&who, record);
		Self::deposit_event(Event::ProviderUpdated { provider: who, deposit });
		Ok(())
	}

	/// Deregisters `who`, returning how many attestations were removed (for the weight).
	pub(crate) fn do_deregister(who: T::AccountId) -> Result<u32, DispatchError> {
		let record = Providers::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
		ensure!(T::ActiveLeases::active_leases(&who) == 0, Error::<T>::HasActiveLeases);
		// Everything that can fail is checked before anything is written.
		let unlock_at = Self::unlock_block();
		let ledger = match Stakes::<T>::get(&who) {
			Some(mut ledger) if !ledger.active.is_zero() => {
				let amount = core::mem::replace(&mut ledger.active, Zero::zero());
				Self::push_unlocking(&mut ledger, amount, unlock_at)?;
				Some((ledger, amount))
			},
			_ => None,
		};

		T::Currency::release(
			&HoldReason::ProviderDeposit.into(),
			&who,
			record.deposit,
			Precision::Exact,
		)?;
		let mut removed = 0u32;
		for (auditor, attestation) in Attestations::<T>::drain_prefix(&who) {
			T::Currency::release(
				&HoldReason::AttestationDeposit.into(),
				&auditor,
				attestation.deposit,
				Precision::Exact,
			)?;
			removed = removed.saturating_add(1);
			Self::deposit_event(Event::AttestationWithdrawn { provider: who.clone(), auditor });
		}
		AttestationCount::<T>::remove(&who);
		if let Some((ledger, amount)) = ledger {
			Stakes::<T>::insert(&who, ledger);
			Self::deposit_event(Event::Unbonded { provider: who.clone(), amount, unlock_at });
		}
		Providers::<T>::remove(&who);
		Self::deposit_event(Event::ProviderDeregistered { provider: who, deposit: record.deposit });
		Ok(removed)
	}

	/// A validated record with its deposit worked out.
	fn build_record(
		host_uri: BoundedVec<u8, T::MaxHostUriLen>,
		capacities: Capacities,
		properties: Properties,
		contact: BoundedVec<u8, T::MaxContactLen>,
		registered_at: BlockNumberFor<T>,
	) -> Result<ProviderRecordOf<T>, DispatchError> {
		ensure!(!host_uri.is_empty(), Error::<T>::EmptyHostUri);
		let properties =
			properties.into_iter().map(|(property, value)| (property, value.into_inner()));
		let attributes = ResourceSet::new(capacities, properties).map_err(|error| match error {
			ResourceSetError::DuplicateCapacity(_) | ResourceSetError::DuplicateProperty(_) => {
				Error::<T>::DuplicateAttribute
			},
			ResourceSetError::EmptyPropertyValue(_) => Error::<T>::EmptyAttributeValue,
			ResourceSetError::PropertyValueTooLong(_) => Error::<T>::AttributeValueTooLong,
		})?;
		ensure!(attributes.property(Property::Region).is_some(), Error::<T>::MissingRegion);
		let mut record =
			ProviderRecord { host_uri, attributes, contact, deposit: Zero::zero(), registered_at };
		record.deposit = Self::registration_deposit(record.encoded_size())?;
		Ok(record)
	}

	/// The deposit for a record of `bytes` bytes.
	fn registration_deposit(bytes: usize) -> Result<BalanceOf<T>, DispatchError> {
		let bytes = u32::try_from(bytes).map_err(|_| Error::<T>::Overflow)?;
		storage_deposit(T::RegistrationDeposit::get(), T::DepositPerByte::get(), bytes)
			.ok_or_else(|| Error::<T>::Overflow.into())
	}

	/// The hash an auditor's signature covers.
	pub(crate) fn attributes_hash(attributes: &ResourceSet) -> AttributesHash {
		sp_io::hashing::blake2_256(&attributes.encode())
	}
}
