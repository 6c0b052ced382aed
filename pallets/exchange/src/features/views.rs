//! What the runtime API reports: classes with where their market stands, the top of each
//! book, the index's history and an account's open orders.

use crate::*;
use ccre_primitives::exchange::{BookView, ClassView, IndexEntry, Level, Side};
use frame_system::pallet_prelude::BlockNumberFor;

/// The most a view returns in one call: levels per side, prints or classes.
const MAX_VIEW_ITEMS: u32 = 1_024;

impl<T: Config> Pallet<T> {
	/// A class's terms, halt, band, latest print and moving averages.
	pub fn class_view(id: ClassId) -> Option<ClassView<T::AccountId, BlockNumberFor<T>>> {
		let class = Classes::<T>::get(id)?;
		let (_, next) = PrintRange::<T>::get(id);
		let last_print = next.checked_sub(1).and_then(|last| Prints::<T>::get(id, last));
		Some(ClassView {
			id,
			name: class.name.into_inner(),
			resources: class.resources,
			placement: class.placement,
			auditors: class.auditors.into_inner(),
			auditor_rule: class.auditor_rule,
			tick: class.tick,
			max_lots: class.max_lots,
			sla: class.sla,
			retired: class.trading == Trading::Retired,
			halt: Halts::<T>::get(id),
			band: Self::band(id),
			last_print,
			averages: Averages::<T>::get(id),
		})
	}

	/// Every class (at most `MaxClasses`), by id.
	pub fn class_views() -> alloc::vec::Vec<ClassView<T::AccountId, BlockNumberFor<T>>> {
		let mut ids: alloc::vec::Vec<ClassId> = Classes::<T>::iter_keys().collect();
		ids.sort_unstable();
		ids.into_iter().filter_map(Self::class_view).collect()
	}

	/// The best `depth` levels of each side of a class's book (at most [`MAX_VIEW_ITEMS`]).
	pub fn book_view(class: ClassId, depth: u32) -> BookView {
		let depth = usize::try_from(depth.min(MAX_VIEW_ITEMS)).unwrap_or(0);
		let level = |(price, lots): (&_, &_)| Level { price: *price, lots: *lots };
		let bids = Depth::<T>::get((class, Side::Buy));
		let asks = Depth::<T>::get((class, Side::Sell));
		BookView {
			class,
			bids: bids.iter().rev().take(depth).map(level).collect(),
			asks: asks.iter().take(depth).map(level).collect(),
		}
	}

	/// A class's prints from interval `from` (its oldest kept by default), at most `limit`
	/// (and [`MAX_VIEW_ITEMS`]), oldest first.
	pub fn index_view(
		class: ClassId,
		from: Option<u32>,
		limit: u32,
	) -> alloc::vec::Vec<IndexEntry<BlockNumberFor<T>>> {
		let (first, next) = PrintRange::<T>::get(class);
		let start = from.unwrap_or(first).max(first);
		(start..next)
			.take(usize::try_from(limit.min(MAX_VIEW_ITEMS)).unwrap_or(0))
			.filter_map(|interval| {
				Some(IndexEntry { interval, print: Prints::<T>::get(class, interval)? })
			})
			.collect()
	}

	/// An account's open orders, resting or waiting, oldest first.
	pub fn orders_of(who: &T::AccountId) -> alloc::vec::Vec<(BookOrderId, BookOrderOf<T>)> {
		AccountOrders::<T>::get(who)
			.into_iter()
			.filter_map(|id| Some((id, Orders::<T>::get(id)?)))
			.collect()
	}
}
