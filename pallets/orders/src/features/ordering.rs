//! Placing, re-versioning and cancelling orders.

use crate::*;
use ccre_primitives::{
	requirement, storage_deposit, Escrow, ManifestHash, OrderId, OrderState, OrderType, SpecError,
};
use codec::Encode;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision},
};
use sp_runtime::traits::{CheckedMul, Saturating, Zero};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_create_order(
		tenant: T::AccountId,
		terms: TermsOf<T>,
		funding: BalanceOf<T>,
	) -> DispatchResultWithPostInfo {
		let now = frame_system::Pallet::<T>::block_number();
		let (terms, requirement) = Self::validate_terms(terms)?;
		let one_block =
			terms.max_price.checked_mul(&terms.units.into()).ok_or(Error::<T>::PriceOverflow)?;
		ensure!(funding >= one_block, Error::<T>::InsufficientFunding);
		let order_type = terms.order_type;
		let order_auditors = terms.auditors.len();
		let immediate = order_type != OrderType::GoodTillWindow;
		let closes_at = if immediate { now } else { now.saturating_add(terms.bid_window) };
		let mut order = Order {
			tenant,
			terms,
			requirement,
			created_at: now,
			closes_at,
			deposit: Zero::zero(),
			state: OrderState::Open,
			standing_offer: None,
		};
		let offers_examined = if immediate {
			Self::fill_immediately(order, funding)?
		} else {
			let (best, examined) = Self::best_offer(&order, closes_at, true);
			order.standing_offer = best.map(|best| best.0);
			let id = Self::store_order(&mut order, funding)?;
			ClosingAt::<T>::try_mutate(closes_at, |closing| closing.try_push(id))
				.map_err(|_| Error::<T>::TooManyOrdersClosing)?;
			Self::deposit_event(Event::OrderCreated {
				order: id,
				tenant: order.tenant,
				closes_at,
				standing_offer: order.standing_offer,
			});
			examined
		};
		let auditors = u32::try_from(order_auditors).unwrap_or(u32::MAX);
		Ok(Some(Self::create_order_weight(order_type, offers_examined, auditors)).into())
	}

	/// Checks a call's terms, with the requirement they add up to.
	pub(crate) fn validate_terms(
		terms: TermsOf<T>,
	) -> Result<(TermsOf<T>, ccre_primitives::ResourceSet), DispatchError> {
		ensure!(terms.units <= T::MaxUnits::get(), Error::<T>::TooManyUnits);
		let requirement =
			requirement(&terms.resources, terms.units, &terms.placement).map_err(|error| {
				match error {
					SpecError::Empty => Error::<T>::EmptySpec,
					SpecError::ZeroUnits => Error::<T>::ZeroUnits,
					SpecError::TooLarge => Error::<T>::SpecTooLarge,
					SpecError::Invalid => Error::<T>::InvalidSpec,
				}
			})?;
		ensure!(!terms.max_price.is_zero(), Error::<T>::ZeroPrice);
		ensure!(terms.duration.is_none_or(|blocks| !blocks.is_zero()), Error::<T>::ZeroDuration);
		if terms.order_type == OrderType::GoodTillWindow {
			ensure!(!terms.bid_window.is_zero(), Error::<T>::ZeroBidWindow);
			ensure!(terms.bid_window <= T::MaxBidWindow::get(), Error::<T>::BidWindowTooLong);
		}
		// At most `MaxRequiredAuditors`, bounded at decode: quadratic in a small constant.
		for (index, auditor) in terms.auditors.iter().enumerate() {
			ensure!(!terms.auditors[..index].contains(auditor), Error::<T>::DuplicateAuditor);
		}
		let mut terms = terms;
		// Fixed when placed, so a later change of the defaults binds only later orders.
		terms.sla.get_or_insert_with(T::SlaDefaults::get);
		Ok((terms, requirement))
	}

	/// Gives `order` an id, holds its deposit and opens its escrow account with `funding`.
	pub(crate) fn store_order(
		order: &mut OrderOf<T>,
		funding: BalanceOf<T>,
	) -> Result<OrderId, DispatchError> {
		let id = NextOrderId::<T>::get();
		NextOrderId::<T>::put(id.checked_add(1).ok_or(Error::<T>::DepositOverflow)?);
		order.deposit = storage_deposit(
			T::OrderDeposit::get(),
			T::DepositPerByte::get(),
			u32::try_from(order.encoded_size()).unwrap_or(u32::MAX),
		)
		.ok_or(Error::<T>::DepositOverflow)?;
		T::Currency::hold(&HoldReason::OrderDeposit.into(), &order.tenant, order.deposit)?;
		T::Escrow::open(id, &order.tenant, funding)?;
		Orders::<T>::insert(id, &*order);
		Ok(id)
	}

	/// Removes an order that did not become a lease: its deposit and escrow funds go back.
	pub(crate) fn remove_unleased(id: OrderId, order: &OrderOf<T>) -> DispatchResult {
		Orders::<T>::remove(id);
		Bids::<T>::remove(id);
		T::Escrow::close(id)?;
		Self::release_order_deposit(order)
	}

	/// Gives the tenant back the deposit of an order leaving storage.
	pub(crate) fn release_order_deposit(order: &OrderOf<T>) -> DispatchResult {
		T::Currency::release(
			&HoldReason::OrderDeposit.into(),
			&order.tenant,
			order.deposit,
			Precision::Exact,
		)?;
		Ok(())
	}

	pub(crate) fn do_update_manifest(
		tenant: T::AccountId,
		id: OrderId,
		manifest_hash: ManifestHash,
	) -> DispatchResult {
		Orders::<T>::try_mutate(id, |order| {
			let order = order.as_mut().ok_or(Error::<T>::UnknownOrder)?;
			ensure!(order.tenant == tenant, Error::<T>::NotTenant);
			ensure!(order.terms.manifest_hash != manifest_hash, Error::<T>::SameManifest);
			order.terms.manifest_hash = manifest_hash;
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::ManifestUpdated { order: id, manifest_hash });
		Ok(())
	}

	pub(crate) fn do_cancel_order(tenant: T::AccountId, id: OrderId) -> DispatchResult {
		let order = Orders::<T>::get(id).ok_or(Error::<T>::UnknownOrder)?;
		ensure!(order.tenant == tenant, Error::<T>::NotTenant);
		ensure!(order.state == OrderState::Open, Error::<T>::OrderNotOpen);
		ClosingAt::<T>::mutate_exists(order.closes_at, |closing| {
			if let Some(ids) = closing {
				ids.retain(|closing_id| *closing_id != id);
				if ids.is_empty() {
					*closing = None;
				}
			}
		});
		Self::remove_unleased(id, &order)?;
		Self::deposit_event(Event::OrderCancelled { order: id });
		Ok(())
	}
}
