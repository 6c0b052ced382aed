//! The price index: at the end of every interval each class prints its trades' VWAP, or the
//! mid of a narrow spread, or its last print carried forward and marked stale; its EWMA price
//! and variance move with each fresh print.

use crate::*;
use ccre_primitives::exchange::{
	interval_print, per_interval_decay, reference_price, Band, Ewma, Price, PrintSource, Side,
};
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Bounded, Zero},
	Perbill,
};

/// A day, in milliseconds: the variance's decay is set per day.
const DAY_MS: u64 = 86_400_000;

impl<T: Config> Pallet<T> {
	/// `ms` in blocks of the chain's block time, at least one.
	pub(crate) fn blocks_for(ms: u64) -> BlockNumberFor<T> {
		let blocks = ms.checked_div(T::BlockTimeMillis::get()).unwrap_or(ms).max(1);
		blocks.try_into().unwrap_or_else(|_| BlockNumberFor::<T>::max_value())
	}

	/// Prints every trading class if an interval ended at `now`; returns the weight used.
	pub(crate) fn print_if_due(now: BlockNumberFor<T>) -> Weight {
		let rules = Rules::<T>::get();
		let mut used = Weight::zero();
		if !(now % Self::blocks_for(rules.interval_ms)).is_zero() {
			return used;
		}
		let price_decay = per_interval_decay(Perbill::from_percent(50), rules.price_half_life);
		let per_day = u32::try_from(DAY_MS / rules.interval_ms.max(1)).unwrap_or(u32::MAX);
		let variance_decay = per_interval_decay(rules.daily_variance_decay, per_day);
		for (class, info) in Classes::<T>::iter() {
			if info.trading != Trading::Open {
				continue;
			}
			used.saturating_accrue(T::WeightInfo::print_index());
			Self::print(class, now, &rules, price_decay, variance_decay);
		}
		used
	}

	fn print(
		class: ClassId,
		now: BlockNumberFor<T>,
		rules: &MarketRules,
		price_decay: Perbill,
		variance_decay: Perbill,
	) {
		let tally = Tallies::<T>::take(class);
		let mut recent = Recent::<T>::get(class);
		let last = recent.last().copied();
		// A halted class's quotes cannot be hit until its auction, and may rest crossed or
		// locked: they say nothing about the price, and printing their mid would let whoever
		// halted it set the next reference by quoting. It prints its trades or goes stale.
		let (best_bid, best_ask) = if Halts::<T>::contains_key(class) {
			(None, None)
		} else {
			(Self::best_price(class, Side::Buy), Self::best_price(class, Side::Sell))
		};
		let Some((price, source)) =
			interval_print(&tally, best_bid, best_ask, rules.max_mid_spread, last)
		else {
			return;
		};
		// A stale print repeats the last: it carries no news for the averages.
		let ewma = match (Averages::<T>::get(class), last) {
			(Some(ewma), _) if source == PrintSource::Stale => ewma,
			(Some(mut ewma), Some(previous)) => {
				ewma.update(previous, price, price_decay, variance_decay);
				ewma
			},
			_ => Ewma::first(price),
		};
		Averages::<T>::insert(class, ewma);
		// Keeps the latest `reference_prints`, the band's reference.
		let keep = usize::try_from(rules.reference_prints).unwrap_or(usize::MAX);
		let start = recent.len().saturating_add(1).saturating_sub(keep);
		let mut latest: alloc::vec::Vec<Price> = recent.iter().skip(start).copied().collect();
		latest.push(price);
		recent = BoundedVec::truncate_from(latest);
		Recent::<T>::insert(class, recent);
		let (mut first, next) = PrintRange::<T>::get(class);
		Prints::<T>::insert(class, next, Print { at: now, price, source, lots: tally.lots });
		let next = next.saturating_add(1);
		if next.saturating_sub(first) > T::MaxPrints::get() {
			Prints::<T>::remove(class, first);
			first = first.saturating_add(1);
		}
		PrintRange::<T>::insert(class, (first, next));
		Self::deposit_event(Event::IndexPrinted { class, price, source, lots: tally.lots, ewma });
	}

	/// The mean of a class's latest prints, the centre of its band.
	pub(crate) fn reference(class: ClassId) -> Option<Price> {
		reference_price(Recent::<T>::get(class))
	}

	/// The prices a class trades within while it is not halted; `None` before its first
	/// print.
	pub(crate) fn band(class: ClassId) -> Option<Band> {
		Self::reference(class).map(|reference| Band::around(reference, Rules::<T>::get().band))
	}
}

#[cfg(test)]
mod tests {
	use crate::mock::*;

	#[test]
	fn a_block_time_sets_the_interval_in_blocks() {
		new_test_ext().execute_with(|| {
			// The mock's blocks are 6 s: 30 s is 5 blocks; nothing is shorter than a block.
			assert_eq!(Exchange::blocks_for(30_000), 5);
			assert_eq!(Exchange::blocks_for(1), 1);
		});
	}
}
