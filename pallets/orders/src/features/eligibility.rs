//! Whether a provider may serve an order: the shared rule from `ccre-primitives`, fed with
//! what the provider registry knows, and its refusals as this pallet's errors.

use crate::*;
use ccre_primitives::{
	check_eligibility, offered_by_offer, Ineligibility, ProviderFacts, ProviderInspect, ResourceSet,
};
use sp_runtime::traits::CheckedMul;

impl<T: Config> Pallet<T> {
	/// Checks `provider` against `order` for a lease at `unit_price` per unit, with what it
	/// offers: its registered attributes for a bid, or `offered` for a standing offer.
	pub(crate) fn eligibility(
		order: &OrderOf<T>,
		requirement: &ResourceSet,
		units: u32,
		unit_price: BalanceOf<T>,
		provider: &T::AccountId,
		offered: Option<&ResourceSet>,
	) -> Result<(), Ineligibility> {
		let attributes = T::Providers::attributes(provider);
		let has_capacity = unit_price
			.checked_mul(&units.into())
			.is_some_and(|lease_price| T::Providers::can_take_lease(provider, lease_price));
		let facts = ProviderFacts {
			offered: attributes.as_ref().map(|registered| offered.unwrap_or(registered)),
			can_bid: T::Providers::can_bid(provider),
			has_capacity,
			reputation: T::Providers::reputation(provider),
		};
		check_eligibility(
			requirement,
			&order.terms.auditors,
			order.terms.auditor_rule,
			order.terms.min_reputation,
			&facts,
			|auditor| T::Providers::is_attested_by(provider, auditor),
		)
	}

	/// Checks `offer`'s provider against `order` for `units` of the offer's units, at the
	/// offer's price. The offer must still fit what the provider has registered: attributes
	/// changed since it was posted can take it off the market.
	pub(crate) fn offer_eligibility(
		order: &OrderOf<T>,
		offer: &OfferOf<T>,
		units: u32,
	) -> Result<(), Ineligibility> {
		let attributes =
			T::Providers::attributes(&offer.provider).ok_or(Ineligibility::NotRegistered)?;
		if !ccre_primitives::offer_fits_registration(&offer.unit, offer.units, &attributes) {
			return Err(Ineligibility::RequirementNotMet);
		}
		let offered = offered_by_offer(&offer.unit, units, &attributes)
			.ok_or(Ineligibility::RequirementNotMet)?;
		let requirement =
			ccre_primitives::requirement(&order.terms.resources, units, &order.terms.placement)
				.map_err(|_| Ineligibility::RequirementNotMet)?;
		Self::eligibility(order, &requirement, units, offer.price, &offer.provider, Some(&offered))
	}
}

impl<T> From<Ineligibility> for Error<T> {
	fn from(refusal: Ineligibility) -> Self {
		match refusal {
			Ineligibility::NotRegistered => Error::NotRegistered,
			Ineligibility::InsufficientStake => Error::InsufficientStake,
			Ineligibility::AtCapacity => Error::AtCapacity,
			Ineligibility::RequirementNotMet => Error::RequirementNotMet,
			Ineligibility::MissingAttestation => Error::MissingAttestation,
			Ineligibility::ReputationTooLow => Error::ReputationTooLow,
		}
	}
}
