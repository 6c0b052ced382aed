//! Standing offers: posted capacity that orders match against without a fresh bid.

use crate::*;
use ccre_primitives::{clear, offer_fits_registration, Candidate, Clearing, OfferId, ResourceSet};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Saturating, Zero};

/// The best standing offer for an order: its id, and what it clears at.
pub(crate) type BestOffer<Balance> = (OfferId, Clearing<Balance>, u32);

impl<T: Config> Pallet<T> {
	pub(crate) fn do_post_offer(
		provider: T::AccountId,
		unit: ResourceSet,
		units: u32,
		price: BalanceOf<T>,
		available_from: BlockNumberFor<T>,
		available_until: BlockNumberFor<T>,
	) -> DispatchResultWithPostInfo {
		use ccre_primitives::ProviderInspect;
		ensure!(!unit.is_empty(), Error::<T>::EmptySpec);
		ensure!(unit.is_canonical(), Error::<T>::InvalidSpec);
		ensure!(units > 0, Error::<T>::ZeroUnits);
		ensure!(!price.is_zero(), Error::<T>::ZeroPrice);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			available_from <= available_until
				&& available_until >= now
				&& available_until <= now.saturating_add(T::MaxOfferLifetime::get()),
			Error::<T>::InvalidAvailability
		);
		let attributes = T::Providers::attributes(&provider).ok_or(Error::<T>::NotRegistered)?;
		ensure!(T::Providers::can_bid(&provider), Error::<T>::InsufficientStake);
		ensure!(
			offer_fits_registration(&unit, units, &attributes),
			Error::<T>::OfferExceedsRegistration
		);
		let count = OfferCount::<T>::get(&provider);
		ensure!(count < T::MaxOffersPerProvider::get(), Error::<T>::TooManyOffers);
		// A full market makes way for the new offer by dropping its oldest: an offer stays at
		// most until as many have been posted after it as the market holds, however many
		// accounts try to keep the list full.
		let full = Offers::<T>::count() >= T::MaxOffers::get();
		let offers_examined = if full { T::MaxOffers::get() } else { 0 };
		if full {
			let oldest = Offers::<T>::iter()
				.min_by_key(|(_, offer)| offer.sequence)
				.ok_or(Error::<T>::TooManyOffers)?;
			Self::remove_offer(oldest.0, &oldest.1)?;
			Self::deposit_event(Event::OfferEvicted {
				offer: oldest.0,
				provider: oldest.1.provider,
			});
		}
		let count = OfferCount::<T>::get(&provider);
		let deposit = T::OfferDeposit::get();
		T::Currency::hold(&HoldReason::OfferDeposit.into(), &provider, deposit)?;
		let id = NextOfferId::<T>::get();
		NextOfferId::<T>::put(id.saturating_add(1));
		OfferCount::<T>::insert(&provider, count.saturating_add(1));
		let offer = Offer {
			provider: provider.clone(),
			unit,
			units,
			price,
			available_from,
			available_until,
			sequence: Self::next_sequence(),
			deposit,
		};
		Offers::<T>::insert(id, offer);
		Self::deposit_event(Event::OfferPosted { offer: id, provider, units, price });
		Ok(Some(T::WeightInfo::post_offer(offers_examined)).into())
	}

	pub(crate) fn do_withdraw_offer(caller: T::AccountId, id: OfferId) -> DispatchResult {
		let offer = Offers::<T>::get(id).ok_or(Error::<T>::UnknownOffer)?;
		let lapsed = offer.available_until < frame_system::Pallet::<T>::block_number();
		ensure!(caller == offer.provider || lapsed, Error::<T>::NotOfferOwner);
		Self::remove_offer(id, &offer)
	}

	pub(crate) fn remove_offer(id: OfferId, offer: &OfferOf<T>) -> DispatchResult {
		Offers::<T>::remove(id);
		OfferCount::<T>::mutate_exists(&offer.provider, |count| {
			*count = count.and_then(|count| count.checked_sub(1)).filter(|count| *count > 0);
		});
		T::Currency::release(
			&HoldReason::OfferDeposit.into(),
			&offer.provider,
			offer.deposit,
			Precision::Exact,
		)?;
		Self::deposit_event(Event::OfferRemoved { offer: id });
		Ok(())
	}

	/// The standing offer `order` would match at block `at`: available then, priced within
	/// the order's maximum, from an eligible provider, with every unit (`whole`) or at least
	/// one. Among those, the auction rule picks, as it does for bids.
	pub(crate) fn best_offer(
		order: &OrderOf<T>,
		at: BlockNumberFor<T>,
		whole: bool,
	) -> Option<BestOffer<BalanceOf<T>>> {
		let wanted = order.terms.units;
		let mut ids = alloc::vec::Vec::new();
		let mut candidates = alloc::vec::Vec::new();
		for (id, offer) in Offers::<T>::iter() {
			let units = if whole { wanted } else { offer.units.min(wanted) };
			let usable = offer.units >= units
				&& offer.available_from <= at
				&& at <= offer.available_until
				&& offer.price <= order.terms.max_price
				&& Self::offer_eligibility(order, &offer, units).is_ok();
			if usable {
				ids.push((id, units));
				candidates.push(Candidate { price: offer.price, sequence: offer.sequence });
			}
		}
		let clearing = clear(&candidates, order.terms.clearing, order.terms.max_price)?;
		let (id, units) = ids.get(clearing.winner).copied()?;
		Some((id, clearing, units))
	}

	/// Takes `units` from a standing offer, removing it once empty.
	pub(crate) fn take_from_offer(id: OfferId, units: u32) -> DispatchResult {
		let mut offer = Offers::<T>::get(id).ok_or(Error::<T>::UnknownOffer)?;
		offer.units = offer.units.checked_sub(units).ok_or(Error::<T>::UnknownOffer)?;
		if offer.units == 0 {
			Self::remove_offer(id, &offer)
		} else {
			Offers::<T>::insert(id, offer);
			Ok(())
		}
	}

	/// A fresh market-wide sequence number.
	pub(crate) fn next_sequence() -> u64 {
		let sequence = NextSequence::<T>::get();
		NextSequence::<T>::put(sequence.saturating_add(1));
		sequence
	}
}
