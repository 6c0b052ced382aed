//! Beta reputation (Jøsang and Ismail): a provider's record is a count of successes `s` and
//! failures `f`, its score the mean of Beta(s + 1, f + 1), `(s + 1) / (s + f + 2)`. A
//! provider with no history scores one half.
//!
//! Two refinements make it fit a market:
//! - *Weighted by value*: an outcome counts in proportion to the lease's value, in units of
//!   a governed lease value, capped so one large lease cannot make or break a provider.
//! - *Discounted over time*: every whole period both counts are multiplied by a retention
//!   factor, so old behaviour fades and the score drifts back toward one half. Discounting
//!   is lazy (applied when the record is read or written) and only in whole periods, with the
//!   record's clock advanced by whole periods, so it does not depend on how often it is read.

use ccre_primitives::LeaseOutcome;
use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::pallet_prelude::*;
use sp_runtime::{
	traits::{AtLeast32BitUnsigned, Saturating, UniqueSaturatedInto, Zero},
	FixedPointNumber, FixedU128, Perbill,
};

/// A provider's discounted, value-weighted outcome counts.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Reputation<BlockNumber> {
	pub successes: FixedU128,
	pub failures: FixedU128,
	/// The block the counts were last discounted to; always a whole number of periods after
	/// the first outcome was recorded.
	pub updated_at: BlockNumber,
}

/// How fast reputation fades.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Discount<BlockNumber> {
	/// Blocks per discount step; zero disables discounting.
	pub period: BlockNumber,
	/// The fraction of both counts kept at each step.
	pub retention: Perbill,
}

impl<BlockNumber: AtLeast32BitUnsigned + Copy> Reputation<BlockNumber> {
	/// The record discounted to `now`: both counts scaled by `retention` once per whole period
	/// elapsed since `updated_at`.
	pub fn discounted(self, now: BlockNumber, discount: Discount<BlockNumber>) -> Self {
		if discount.period.is_zero() || now <= self.updated_at {
			return self;
		}
		if self.successes.is_zero() && self.failures.is_zero() {
			// Nothing to fade; start the clock now so the first outcome is not discounted.
			return Self { updated_at: now, ..self };
		}
		let periods = (now - self.updated_at) / discount.period;
		if periods.is_zero() {
			return self;
		}
		let factor = discount.retention.saturating_pow(periods.unique_saturated_into());
		let scale = |count: FixedU128| FixedU128::from_inner(factor.mul_floor(count.into_inner()));
		Self {
			successes: scale(self.successes),
			failures: scale(self.failures),
			updated_at: self.updated_at.saturating_add(periods.saturating_mul(discount.period)),
		}
	}

	/// The record after an outcome of `weight`.
	pub fn with_outcome(self, outcome: LeaseOutcome, weight: FixedU128) -> Self {
		match outcome {
			LeaseOutcome::Success => {
				Self { successes: self.successes.saturating_add(weight), ..self }
			},
			LeaseOutcome::Failure => {
				Self { failures: self.failures.saturating_add(weight), ..self }
			},
		}
	}

	/// The score `(s + 1) / (s + f + 2)`.
	pub fn score(&self) -> Perbill {
		let one = FixedU128::one();
		let numerator = self.successes.saturating_add(one);
		let denominator = numerator.saturating_add(self.failures).saturating_add(one);
		Perbill::from_rational(numerator.into_inner(), denominator.into_inner())
	}
}

/// The weight of an outcome for a lease worth `value`: `value / unit`, at most `cap`. A zero
/// unit counts every lease at the cap.
pub fn outcome_weight<Balance: UniqueSaturatedInto<u128>>(
	value: Balance,
	unit: Balance,
	cap: u32,
) -> FixedU128 {
	let cap = FixedU128::from_u32(cap);
	FixedU128::checked_from_rational::<u128, u128>(
		value.unique_saturated_into(),
		unit.unique_saturated_into(),
	)
	.map_or(cap, |weight| weight.min(cap))
}

#[cfg(test)]
mod tests {
	use super::*;
	use proptest::prelude::*;

	const DISCOUNT: Discount<u64> = Discount { period: 100, retention: Perbill::from_percent(50) };

	fn record(successes: u64, failures: u64, updated_at: u64) -> Reputation<u64> {
		Reputation {
			successes: FixedU128::from_u32(successes as u32),
			failures: FixedU128::from_u32(failures as u32),
			updated_at,
		}
	}

	#[test]
	fn no_history_scores_one_half() {
		assert_eq!(Reputation::<u64>::default().score(), Perbill::from_percent(50));
	}

	#[test]
	fn score_is_the_beta_mean() {
		// (8 + 1) / (8 + 0 + 2)
		assert_eq!(record(8, 0, 0).score(), Perbill::from_percent(90));
		// (1 + 1) / (1 + 2 + 2)
		assert_eq!(record(1, 2, 0).score(), Perbill::from_percent(40));
	}

	#[test]
	fn discount_applies_per_whole_period_and_keeps_the_remainder() {
		let start = record(8, 4, 10);
		// 99 blocks: no whole period yet.
		assert_eq!(start.discounted(109, DISCOUNT), start);
		// 250 blocks: two periods, clock advanced by exactly 200.
		let later = start.discounted(260, DISCOUNT);
		assert_eq!(later, record(2, 1, 210));
		// Reading in steps gives the same result as reading once.
		assert_eq!(start.discounted(150, DISCOUNT).discounted(260, DISCOUNT), later);
	}

	#[test]
	fn empty_record_starts_its_clock_when_first_read() {
		let fresh = Reputation::<u64>::default().discounted(1_000, DISCOUNT);
		assert_eq!(fresh.updated_at, 1_000);
		assert_eq!(fresh.score(), Perbill::from_percent(50));
	}

	#[test]
	fn zero_period_disables_discounting() {
		let start = record(8, 4, 0);
		let never = Discount { period: 0, retention: Perbill::zero() };
		assert_eq!(start.discounted(u64::MAX, never), start);
	}

	#[test]
	fn weight_is_value_in_units_capped() {
		assert_eq!(outcome_weight(250u64, 100, 10), FixedU128::from_rational(5, 2));
		assert_eq!(outcome_weight(1_000_000u64, 100, 10), FixedU128::from_u32(10));
		assert_eq!(outcome_weight(0u64, 100, 10), FixedU128::zero());
		assert_eq!(outcome_weight(7u64, 0, 10), FixedU128::from_u32(10));
	}

	fn any_record() -> impl Strategy<Value = Reputation<u64>> {
		(0u128..1_000_000_000_000_000_000_000, 0u128..1_000_000_000_000_000_000_000, 0u64..1_000)
			.prop_map(|(s, f, at)| Reputation {
				successes: FixedU128::from_inner(s),
				failures: FixedU128::from_inner(f),
				updated_at: at,
			})
	}

	fn any_weight() -> impl Strategy<Value = FixedU128> {
		(0u128..100_000_000_000_000_000_000).prop_map(FixedU128::from_inner)
	}

	fn distance_from_half(score: Perbill) -> u32 {
		score.deconstruct().abs_diff(Perbill::from_percent(50).deconstruct())
	}

	proptest! {
		#[test]
		fn success_never_lowers_the_score(record in any_record(), weight in any_weight()) {
			prop_assert!(record.with_outcome(LeaseOutcome::Success, weight).score() >= record.score());
		}

		#[test]
		fn failure_never_raises_the_score(record in any_record(), weight in any_weight()) {
			prop_assert!(record.with_outcome(LeaseOutcome::Failure, weight).score() <= record.score());
		}

		#[test]
		fn more_valuable_outcomes_move_the_score_further(
			record in any_record(),
			small in 0u64..1_000_000,
			extra in 0u64..1_000_000,
		) {
			let weight = |value: u64| outcome_weight(value, 1_000, 100);
			let (small_w, large_w) = (weight(small), weight(small + extra));
			prop_assert!(
				record.with_outcome(LeaseOutcome::Success, large_w).score()
					>= record.with_outcome(LeaseOutcome::Success, small_w).score()
			);
			prop_assert!(
				record.with_outcome(LeaseOutcome::Failure, large_w).score()
					<= record.with_outcome(LeaseOutcome::Failure, small_w).score()
			);
		}

		#[test]
		fn discounting_drifts_toward_one_half(
			record in any_record(),
			elapsed in 0u64..100_000,
			retention in 0u32..=1_000_000_000,
		) {
			let discount = Discount { period: 100, retention: Perbill::from_parts(retention) };
			let later = record.discounted(record.updated_at + elapsed, discount);
			// Rounding each count down may move the score by a few parts per billion.
			prop_assert!(
				distance_from_half(later.score()) <= distance_from_half(record.score()) + 2
			);
			prop_assert!(later.updated_at <= record.updated_at + elapsed);
			prop_assert!(record.updated_at + elapsed - later.updated_at < discount.period);
		}
	}
}
