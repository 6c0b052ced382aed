//! What the runtime API shows tenants, providers' daemons and auditors.

use crate::*;
use alloc::vec::Vec;
use ccre_primitives::{BidView, Escrow, OrderId, OrderState, OrderView};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Zero;

/// The most orders one page of [`Pallet::open_order_views`] returns.
pub const MAX_ORDERS_PAGE: u32 = 100;

pub type OrderViewOf<T> =
	OrderView<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

impl<T: Config> Pallet<T> {
	/// One order, open or leased, with its bids and escrow balance.
	pub fn order_view(id: OrderId) -> Option<OrderViewOf<T>> {
		Orders::<T>::get(id).map(|order| Self::view_of(id, order))
	}

	/// The manifest hash of order `id`, which its lease deploys.
	pub fn manifest_hash(id: OrderId) -> Option<ccre_primitives::ManifestHash> {
		Orders::<T>::get(id).map(|order| order.terms.manifest_hash)
	}

	/// Up to `limit` (at most [`MAX_ORDERS_PAGE`]) open orders in storage order, starting
	/// after order `start_after`; page on by passing the last id returned.
	pub fn open_order_views(start_after: Option<OrderId>, limit: u32) -> Vec<OrderViewOf<T>> {
		let limit = limit.min(MAX_ORDERS_PAGE) as usize;
		let orders = match start_after {
			Some(id) => Orders::<T>::iter_from(Orders::<T>::hashed_key_for(id)),
			None => Orders::<T>::iter(),
		};
		orders
			.filter(|(_, order)| order.state == OrderState::Open)
			.take(limit)
			.map(|(id, order)| Self::view_of(id, order))
			.collect()
	}

	fn view_of(id: OrderId, order: OrderOf<T>) -> OrderViewOf<T> {
		let bids = Bids::<T>::get(id)
			.into_iter()
			.map(|bid| BidView {
				provider: bid.provider,
				price: bid.price,
				placed_at: bid.placed_at,
			})
			.collect();
		OrderView {
			id,
			tenant: order.tenant,
			terms: order
				.terms
				.try_map_auditors(|auditors| {
					Ok::<_, core::convert::Infallible>(auditors.into_inner())
				})
				.unwrap_or_else(|never| match never {}),
			created_at: order.created_at,
			closes_at: order.closes_at,
			deposit: order.deposit,
			state: order.state,
			bids,
			escrow_balance: T::Escrow::balance(id).unwrap_or_else(Zero::zero),
		}
	}
}
