//! Classes: governance defines and retires them; a seller is eligible for a class exactly
//! when the shared eligibility rule says it may serve the class's lots.

use crate::*;
use ccre_primitives::{
	check_eligibility, exchange::Lots, exchange::Price, requirement, ProviderFacts,
	ProviderInspect, ResourceSet,
};
use frame_support::pallet_prelude::*;
use sp_runtime::{traits::Zero, Perbill};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_create_class(class: ClassOf<T>) -> DispatchResult {
		ensure!(Classes::<T>::count() < T::MaxClasses::get(), Error::<T>::TooManyClasses);
		ensure!(class.tick > 0, Error::<T>::ZeroTick);
		ensure!(class.max_lots > 0, Error::<T>::ZeroMaxLots);
		// The largest order must be a valid requirement too, so no fill can fail on its size.
		Self::lots_requirement(&class, class.max_lots).ok_or(Error::<T>::InvalidLot)?;
		// At most `MaxClassAuditors`, bounded at decode: quadratic in a small constant.
		for (index, auditor) in class.auditors.iter().enumerate() {
			ensure!(!class.auditors[..index].contains(auditor), Error::<T>::DuplicateAuditor);
		}
		let id = NextClassId::<T>::get();
		NextClassId::<T>::put(id.checked_add(1).ok_or(Error::<T>::TooManyClasses)?);
		Self::deposit_event(Event::ClassCreated { class: id, name: class.name.clone() });
		Classes::<T>::insert(id, class);
		Ok(())
	}

	pub(crate) fn do_retire_class(id: ClassId) -> DispatchResult {
		Classes::<T>::try_mutate(id, |class| {
			let class = class.as_mut().ok_or(Error::<T>::UnknownClass)?;
			ensure!(class.trading == Trading::Open, Error::<T>::ClassRetired);
			class.trading = Trading::Retired;
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::ClassRetired { class: id });
		Ok(())
	}

	/// A class that trades.
	pub(crate) fn open_class(id: ClassId) -> Result<ClassOf<T>, DispatchError> {
		let class = Classes::<T>::get(id).ok_or(Error::<T>::UnknownClass)?;
		ensure!(class.trading == Trading::Open, Error::<T>::ClassRetired);
		Ok(class)
	}

	/// What a seller of `lots` lots of `class` must have: the lots' resources and the
	/// class's placement. `None` if that is not a valid set.
	pub(crate) fn lots_requirement(class: &ClassOf<T>, lots: Lots) -> Option<ResourceSet> {
		requirement(&class.resources, u32::try_from(lots).ok()?, &class.placement).ok()
	}

	/// Whether `seller` may sell `lots` lots of `class` at `price` per lot: registered and
	/// staked, with the attributes for all of them, signed by the class's auditors, and able
	/// to take on a lease of that price.
	pub(crate) fn seller_eligible(
		seller: &T::AccountId,
		class: &ClassOf<T>,
		lots: Lots,
		price: Price,
	) -> bool {
		let Some(needed) = Self::lots_requirement(class, lots) else { return false };
		let Some(lease_price) = Self::lease_price(price, lots) else { return false };
		let attributes = T::Providers::attributes(seller);
		let facts = ProviderFacts {
			offered: attributes.as_ref(),
			can_bid: T::Providers::can_bid(seller),
			has_capacity: T::Providers::can_take_lease(seller, lease_price),
			reputation: T::Providers::reputation(seller),
		};
		check_eligibility(
			&needed,
			&class.auditors,
			class.auditor_rule,
			Perbill::zero(),
			&facts,
			|auditor| T::Providers::is_attested_by(seller, auditor),
		)
		.is_ok()
	}

	/// `price × lots` per block in the currency; `None` if it overflows.
	pub(crate) fn lease_price(price: Price, lots: Lots) -> Option<BalanceOf<T>> {
		let total = price.checked_mul(u128::from(lots))?;
		BalanceOf::<T>::try_from(total).ok().filter(|total| !total.is_zero())
	}
}
