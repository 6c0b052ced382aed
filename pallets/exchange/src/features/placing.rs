//! Placing and cancelling: an order is checked, its funds held, and queued for the next
//! matching; a cancel removes an order at once, resting or queued.

use crate::*;
use ccre_primitives::{
	exchange::{Lots, Price, Side, TimeInForce},
	ManifestHash,
};
use frame_support::{pallet_prelude::*, traits::fungible::MutateHold};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_buy(
		buyer: T::AccountId,
		class_id: ClassId,
		price: Price,
		lots: Lots,
		time_in_force: TimeInForce<BlockNumberFor<T>>,
		manifest_hash: ManifestHash,
		duration: BlockNumberFor<T>,
	) -> DispatchResult {
		let class = Self::open_class(class_id)?;
		Self::check_order(&class, price, lots, &time_in_force)?;
		ensure!(!duration.is_zero(), Error::<T>::ZeroDuration);
		let held = Self::purchase_funds(price, lots, duration).ok_or(Error::<T>::Overflow)?;
		T::Currency::hold(&HoldReason::Purchase.into(), &buyer, held)?;
		Self::place(BookOrder {
			class: class_id,
			owner: buyer,
			side: Side::Buy,
			price,
			lots,
			time_in_force,
			placed_at: frame_system::Pallet::<T>::block_number(),
			resting: false,
			purchase: Some(Purchase { manifest_hash, duration, held }),
			deposit: T::OrderDeposit::get(),
		})
	}

	pub(crate) fn do_sell(
		seller: T::AccountId,
		class_id: ClassId,
		price: Price,
		lots: Lots,
		time_in_force: TimeInForce<BlockNumberFor<T>>,
	) -> DispatchResult {
		let class = Self::open_class(class_id)?;
		Self::check_order(&class, price, lots, &time_in_force)?;
		ensure!(Self::seller_eligible(&seller, &class, lots, price), Error::<T>::NotEligible);
		Self::place(BookOrder {
			class: class_id,
			owner: seller,
			side: Side::Sell,
			price,
			lots,
			time_in_force,
			placed_at: frame_system::Pallet::<T>::block_number(),
			resting: false,
			purchase: None,
			deposit: T::OrderDeposit::get(),
		})
	}

	/// Checks an order's price, size and expiry against its class.
	fn check_order(
		class: &ClassOf<T>,
		price: Price,
		lots: Lots,
		time_in_force: &TimeInForce<BlockNumberFor<T>>,
	) -> DispatchResult {
		ensure!(price > 0 && price % class.tick == 0, Error::<T>::OffTick);
		ensure!(lots > 0 && lots <= class.max_lots, Error::<T>::BadLots);
		Self::lease_price(price, lots).ok_or(Error::<T>::Overflow)?;
		if let TimeInForce::GoodTillBlock(expiry) = time_in_force {
			// Matched at the start of the next block, expired at the start of `expiry`.
			let next = frame_system::Pallet::<T>::block_number().saturating_add(1u32.into());
			ensure!(*expiry > next, Error::<T>::ExpiryPassed);
		}
		Ok(())
	}

	/// What a buy order holds for `lots` lots at `price` for `duration` blocks.
	pub(crate) fn purchase_funds(
		price: Price,
		lots: Lots,
		duration: BlockNumberFor<T>,
	) -> Option<BalanceOf<T>> {
		let blocks: u128 = duration.try_into().ok()?;
		let total = price.checked_mul(u128::from(lots))?.checked_mul(blocks)?;
		BalanceOf::<T>::try_from(total).ok()
	}

	/// Gives a checked order an id, holds its deposit and queues it for the next matching.
	fn place(order: BookOrderOf<T>) -> DispatchResult {
		let id = NextOrderId::<T>::get();
		NextOrderId::<T>::put(id.checked_add(1).ok_or(Error::<T>::Overflow)?);
		T::Currency::hold(&HoldReason::OrderDeposit.into(), &order.owner, order.deposit)?;
		AccountOrders::<T>::try_append(&order.owner, id)
			.map_err(|_| Error::<T>::TooManyOpenOrders)?;
		Incoming::<T>::try_append(id).map_err(|_| Error::<T>::MatchingQueueFull)?;
		if let TimeInForce::GoodTillBlock(expiry) = order.time_in_force {
			Expiries::<T>::try_append(expiry, id).map_err(|_| Error::<T>::TooManyExpiries)?;
		}
		Self::deposit_event(Event::OrderPlaced {
			order: id,
			class: order.class,
			owner: order.owner.clone(),
			side: order.side,
			price: order.price,
			lots: order.lots,
		});
		Orders::<T>::insert(id, order);
		Ok(())
	}

	pub(crate) fn do_cancel(owner: T::AccountId, id: BookOrderId) -> DispatchResult {
		let order = Orders::<T>::get(id).ok_or(Error::<T>::UnknownOrder)?;
		ensure!(order.owner == owner, Error::<T>::NotOwner);
		Self::remove_order(id, order, Removal::Cancelled)
	}
}
