//! What the lease pallet calls: removing a deployment once its lease is reaped.

use crate::*;
use ccre_primitives::{Deployments, OrderId, OrderState};
#[cfg(feature = "runtime-benchmarks")]
use frame_support::traits::fungible::MutateHold;
use frame_support::{ensure, pallet_prelude::*};

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
