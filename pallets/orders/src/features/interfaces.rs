//! What other pallets call: the lease pallet removes a deployment once its lease is reaped;
//! the exchange opens the deployment a spot fill buys.

use crate::features::matching::Award;
use crate::*;
use ccre_primitives::{
	exchange::{SpotDeployments, SpotFill},
	ClearingRule, Deployments, OrderId, OrderState, OrderType,
};
#[cfg(feature = "runtime-benchmarks")]
use frame_support::traits::fungible::MutateHold;
use frame_support::{ensure, pallet_prelude::*, storage::with_storage_layer};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::Zero, Perbill};

impl<T: Config> Deployments<T::AccountId> for Pallet<T> {
	fn remove_deployment(id: OrderId) -> DispatchResult {
		let order = Orders::<T>::get(id).ok_or(Error::<T>::UnknownOrder)?;
		ensure!(order.state != OrderState::Open, Error::<T>::OrderStillOpen);
		Orders::<T>::remove(id);
		Self::release_order_deposit(&order)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn matched_for_benchmark(id: OrderId, tenant: &T::AccountId, provider: &T::AccountId) {
		use ccre_primitives::{AuditorRule, Capacity, ClearingRule, OrderType, ResourceSet};
		let resources = ResourceSet::new([(Capacity::CpuMillicores, 1)], []).unwrap_or_default();
		let order = Order {
			tenant: tenant.clone(),
			terms: TermsOf::<T> {
				resources: resources.clone(),
				units: 1,
				placement: ResourceSet::default(),
				auditors: Default::default(),
				auditor_rule: AuditorRule::AnyOf,
				min_reputation: Default::default(),
				max_price: 1u32.into(),
				duration: None,
				bid_window: 1u32.into(),
				manifest_hash: [0; 32],
				order_type: OrderType::GoodTillWindow,
				clearing: ClearingRule::PayBid,
				sla: Some(T::SlaDefaults::get()),
			},
			requirement: resources,
			created_at: frame_system::Pallet::<T>::block_number(),
			closes_at: frame_system::Pallet::<T>::block_number(),
			deposit: T::OrderDeposit::get(),
			state: OrderState::Leased { provider: provider.clone() },
			standing_offer: None,
		};
		let held = T::Currency::hold(&HoldReason::OrderDeposit.into(), tenant, order.deposit);
		assert!(held.is_ok(), "the benchmark tenant pays the order deposit: {held:?}");
		Orders::<T>::insert(id, order);
		NextOrderId::<T>::mutate(|next| *next = (*next).max(id.saturating_add(1)));
	}
}

impl<T: Config> SpotDeployments<T::AccountId, BalanceOf<T>, BlockNumberFor<T>> for Pallet<T> {
	fn open_filled(
		fill: SpotFill<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>,
		funding: BalanceOf<T>,
	) -> Result<OrderId, DispatchError> {
		with_storage_layer(|| {
			let auditors =
				BoundedVec::try_from(fill.auditors).map_err(|_| Error::<T>::TooManyAuditors)?;
			// A fill is an immediate match at the trade price: recorded as an
			// immediate-or-cancel order that got its lease at once.
			let terms = TermsOf::<T> {
				resources: fill.resources,
				units: fill.lots,
				placement: fill.placement,
				auditors,
				auditor_rule: fill.auditor_rule,
				min_reputation: Perbill::zero(),
				max_price: fill.lot_price,
				duration: Some(fill.duration),
				bid_window: Zero::zero(),
				manifest_hash: fill.manifest_hash,
				order_type: OrderType::ImmediateOrCancel,
				clearing: ClearingRule::PayBid,
				sla: Some(fill.sla),
			};
			let (terms, requirement) = Self::validate_terms(terms)?;
			let now = frame_system::Pallet::<T>::block_number();
			let mut order = Order {
				tenant: fill.tenant,
				terms,
				requirement,
				created_at: now,
				closes_at: now,
				deposit: Zero::zero(),
				state: OrderState::Open,
				standing_offer: None,
			};
			let id = Self::store_order(&mut order, funding)?;
			Self::award(
				id,
				&mut order,
				Award {
					provider: fill.provider,
					unit_price: fill.lot_price,
					units: fill.lots,
					offer: None,
				},
			)?;
			Ok(id)
		})
	}
}
