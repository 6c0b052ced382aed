//! What the calls and the matching hook charge, from their benchmarked parts. Checking a
//! provider against an order's auditors costs the same wherever it happens, and every
//! candidate an order meets is checked: what the auditors add to a check is benchmarked once
//! (`check_auditors`) and charged per check, so the product of candidates and auditors is
//! charged exactly rather than fitted by a line.

use crate::*;
use ccre_primitives::OrderType;
use frame_support::weights::Weight;

impl<T: Config> Pallet<T> {
	/// What `auditors` auditors, all of whom may have to be checked (`AllOf`), add to
	/// `checks` eligibility checks. The rest of each check is in the benchmarks of the calls
	/// and the hook themselves, which check providers against orders naming no auditor.
	fn auditor_checks(checks: u32, auditors: u32) -> Weight {
		let per_check = T::WeightInfo::check_auditors(auditors)
			.saturating_sub(T::WeightInfo::check_auditors(0));
		per_check.saturating_mul(checks.into())
	}

	/// Placing an order of `order_type`, scanning `offers` standing offers, each checked
	/// against the order's `auditors`.
	pub fn create_order_weight(order_type: OrderType, offers: u32, auditors: u32) -> Weight {
		let base = match order_type {
			OrderType::GoodTillWindow => T::WeightInfo::create_order(offers),
			OrderType::ImmediateOrCancel | OrderType::FillOrKill => {
				T::WeightInfo::create_immediate_order(offers)
			},
		};
		base.saturating_add(Self::auditor_checks(offers, auditors))
	}

	/// A bid on an order naming `auditors` auditors.
	pub fn place_bid_weight(auditors: u32) -> Weight {
		T::WeightInfo::place_bid().saturating_add(Self::auditor_checks(1, auditors))
	}

	/// Matching an order naming `auditors` auditors with `bids` bids and a standing offer.
	pub fn match_order_weight(bids: u32, auditors: u32) -> Weight {
		T::WeightInfo::match_order(bids)
			.saturating_add(Self::auditor_checks(bids.saturating_add(1), auditors))
	}
}
