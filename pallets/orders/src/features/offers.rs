//! Standing offers: posted capacity that orders match against without a fresh bid.

use crate::*;
use ccre_primitives::{
	clear, offer_fits_registration, Candidate, Clearing, ClearingRule, OfferId, ResourceSet,
};
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
			let oldest = OfferBook::<T>::get()
				.iter()
				.min_by_key(|(_, sequence, _)| *sequence)
				.map(|(_, _, id)| *id)
				.ok_or(Error::<T>::TooManyOffers)?;
			let offer = Offers::<T>::get(oldest).ok_or(Error::<T>::UnknownOffer)?;
			Self::remove_offer(oldest, &offer)?;
			Self::deposit_event(Event::OfferEvicted { offer: oldest, provider: offer.provider });
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
		OfferBook::<T>::try_mutate(|book| {
			let entry = (price, offer.sequence, id);
			let position = book.partition_point(|listed| (listed.0, listed.1) < (price, entry.1));
			book.try_insert(position, entry)
		})
		.map_err(|_| Error::<T>::TooManyOffers)?;
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
		OfferBook::<T>::mutate(|book| book.retain(|(_, _, listed)| *listed != id));
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
	/// one. Among those, the auction rule picks, as it does for bids. Offers are read from the
	/// book, cheapest first, until the rule has what it needs: the first usable offer wins,
	/// and a second-price rule also needs the next. Also returns how many offers were read.
	pub(crate) fn best_offer(
		order: &OrderOf<T>,
		at: BlockNumberFor<T>,
		whole: bool,
	) -> (Option<BestOffer<BalanceOf<T>>>, u32) {
		let wanted = order.terms.units;
		let needed = match order.terms.clearing {
			ClearingRule::PayBid => 1,
			ClearingRule::SecondPrice => 2,
		};
		let mut examined = 0u32;
		let mut ids = alloc::vec::Vec::new();
		let mut candidates = alloc::vec::Vec::new();
		for (price, sequence, id) in OfferBook::<T>::get() {
			if price > order.terms.max_price || candidates.len() >= needed {
				break;
			}
			examined = examined.saturating_add(1);
			let Some(offer) = Offers::<T>::get(id) else { continue };
			let units = if whole { wanted } else { offer.units.min(wanted) };
			let usable = offer.units >= units
				&& offer.available_from <= at
				&& at <= offer.available_until
				&& Self::offer_eligibility(order, &offer, units).is_ok();
			if usable {
				ids.push((id, units));
				candidates.push(Candidate { price, sequence });
			}
		}
		let best =
			clear(&candidates, order.terms.clearing, order.terms.max_price).and_then(|clearing| {
				ids.get(clearing.winner).map(|&(id, units)| (id, clearing, units))
			});
		(best, examined)
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
