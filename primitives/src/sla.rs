//! Service-level agreements: what a tenant is promised, how downtime is measured from
//! heartbeats, and what a breach is worth. The SLA pallet pays by these rules; the daemon and
//! the CLI use them to show a tenant what a claim would pay.
//!
//! Time is cut into epochs of a fixed number of blocks. A provider reports once per epoch the
//! leases it is serving; an epoch in which a lease was not reported is an epoch of downtime.

use crate::{LeaseState, OrderId};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_runtime::{traits::AtLeast32BitUnsigned, DispatchError, DispatchResult, Perbill, Weight};

/// Numbers the epochs: epoch `e` is blocks `[e × length, (e + 1) × length)`.
pub type EpochIndex = u32;

/// What a tenant is promised for a lease.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct SlaTerms {
	/// The share of epochs the lease must be served in; below it the SLA is breached.
	pub availability: Perbill,
	/// The share of the price of each epoch of downtime credited back on a breach.
	pub credit_rate: Perbill,
}

/// The downtime of one lease over a claim's period of whole epochs.
#[derive(Encode, Decode, TypeInfo, Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
pub struct Downtime {
	/// Whole epochs in the period.
	pub epochs: u32,
	/// Epochs the provider reported the lease in.
	pub served: u32,
}

impl Downtime {
	/// Epochs of downtime.
	pub fn missed(&self) -> u32 {
		self.epochs.saturating_sub(self.served)
	}

	/// The share of the period the lease was served in; full for an empty period.
	pub fn availability(&self) -> Perbill {
		if self.epochs == 0 {
			return Perbill::one();
		}
		Perbill::from_rational(self.served.min(self.epochs), self.epochs)
	}

	/// Whether the period breaches `terms`: served in fewer epochs than promised.
	pub fn breaches(&self, terms: &SlaTerms) -> bool {
		self.availability() < terms.availability
	}

	/// What the downtime is worth under `terms` for a lease paying `price` per block:
	/// the credit rate of the price of every missed epoch. `None` on overflow.
	pub fn credit<Balance: AtLeast32BitUnsigned + Copy>(
		&self,
		terms: &SlaTerms,
		price: Balance,
		epoch_length: u32,
	) -> Option<Balance> {
		let blocks = Balance::from(epoch_length).checked_mul(&Balance::from(self.missed()))?;
		Some(terms.credit_rate.mul_floor(price.checked_mul(&blocks)?))
	}
}

/// The insurance pool as the runtime API reports it.
#[derive(Encode, Decode, TypeInfo, Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct PoolView<Balance> {
	/// What the pool can pay out: its balance above the existential deposit.
	pub value: Balance,
	/// All shares, the market's own included.
	pub total_shares: Balance,
}

/// An underwriter's stake in the pool as the runtime API reports it.
#[derive(Encode, Decode, TypeInfo, Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct UnderwritingView<Balance, BlockNumber> {
	/// Its pool shares.
	pub shares: Balance,
	/// What they would redeem for now.
	pub value: Balance,
	/// The first block it may withdraw them.
	pub unlocks_at: BlockNumber,
}

/// What the SLA pallet needs to know of a lease.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct LeaseFacts<AccountId, Balance, BlockNumber> {
	/// Who pays, and may claim.
	pub tenant: AccountId,
	/// Who serves, and answers for breaches.
	pub provider: AccountId,
	/// What the tenant pays per block once started.
	pub price: Balance,
	/// When the provider started it; downtime counts only from the first whole epoch after.
	pub started_at: Option<BlockNumber>,
	/// Active, out of funds or closed; downtime counts only up to the close.
	pub state: LeaseState<BlockNumber>,
	/// What the tenant was promised.
	pub sla: SlaTerms,
}

/// Read access to leases, for the SLA pallet. The lease pallet implements it.
pub trait LeaseInspect<AccountId, Balance, BlockNumber> {
	/// The lease `lease`, open or closed and not yet reaped.
	fn lease(lease: OrderId) -> Option<LeaseFacts<AccountId, Balance, BlockNumber>>;
}

/// What of a lease's payments claims can still take back.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct AtRisk<Balance> {
	/// What the tenant paid, take included, for earnings not yet the provider's.
	pub paid: Balance,
	/// The provider's part of `paid`, still held on the tenant.
	pub earned: Balance,
}

/// The part of what a lease paid that claims can still take back: what it paid for blocks whose
/// earnings the provider has not been handed yet. A provider's earnings are held on the tenant
/// until they vest, so a credit for a breach comes first from what the provider was paid for
/// the very blocks it failed. The escrow pallet implements it.
pub trait EarningsAtRisk<Balance> {
	/// Brings `lease`'s payments up to the current block, so its latest earnings are at risk
	/// too. Nothing to do for a closed lease.
	fn settle(lease: OrderId) -> DispatchResult;
	/// What claims on `lease` can still take.
	fn at_risk(lease: OrderId) -> AtRisk<Balance>;
	/// Takes `amount`, at most [`AtRisk::paid`], for a claim: the provider's earnings in it go
	/// back to the tenant at once; returns how much did. The rest was the market's take, paid
	/// out already, which the caller makes good from elsewhere.
	fn claw_back(lease: OrderId, amount: Balance) -> Result<Balance, DispatchError>;
	/// Holds every earning of `lease` back from vesting while a claim on it is `disputed`, so
	/// the award has something to come from; lets them vest again when it is not.
	fn set_disputed(lease: OrderId, disputed: bool);
	/// The most any of these can weigh.
	fn weight() -> Weight;
}

/// Sets up started leases for the SLA benchmarks, on whichever runtime they run on.
#[cfg(feature = "runtime-benchmarks")]
pub trait LeaseBenchmarkHelper<AccountId, Balance> {
	/// Opens lease `lease` of `tenant` (funded) with `provider` (eligible) at `price` per
	/// block promising `sla`, funded for far longer than a benchmark runs, and starts it now.
	fn started_lease(
		lease: OrderId,
		tenant: &AccountId,
		provider: &AccountId,
		price: Balance,
		sla: SlaTerms,
	) -> sp_runtime::DispatchResult;
}

/// Told when a closed lease is reaped, or a provider's last active lease ends, so what is kept
/// about them elsewhere can go too.
pub trait OnLeaseReaped<AccountId> {
	/// `lease` is gone.
	fn on_lease_reaped(lease: OrderId);
	/// `provider` serves no lease any more.
	fn on_provider_idle(provider: &AccountId);
	/// The most [`OnLeaseReaped::on_lease_reaped`] or [`OnLeaseReaped::on_provider_idle`] can
	/// weigh.
	fn weight() -> Weight;
}

/// Nothing else keeps anything about leases (test runtimes without the SLA pallet).
impl<AccountId> OnLeaseReaped<AccountId> for () {
	fn on_lease_reaped(_: OrderId) {}
	fn on_provider_idle(_: &AccountId) {}
	fn weight() -> Weight {
		Weight::zero()
	}
}

/// The epoch that block `block` is in; the last one if the index overflows.
pub fn epoch_of(block: u64, epoch_length: u32) -> EpochIndex {
	let index = block.checked_div(u64::from(epoch_length)).unwrap_or(0);
	EpochIndex::try_from(index).unwrap_or(EpochIndex::MAX)
}

/// The first whole epoch starting at or after block `block`.
pub fn first_whole_epoch(block: u64, epoch_length: u32) -> EpochIndex {
	let epoch = epoch_of(block, epoch_length);
	if block.checked_rem(u64::from(epoch_length)).unwrap_or(0) == 0 {
		epoch
	} else {
		epoch.saturating_add(1)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::CloseReason;
	use proptest::prelude::*;

	const TERMS: SlaTerms = SlaTerms {
		availability: Perbill::from_percent(90),
		credit_rate: Perbill::from_percent(50),
	};

	#[test]
	fn epochs_cut_blocks_and_whole_epochs_start_on_a_boundary() {
		assert_eq!(epoch_of(0, 10), 0);
		assert_eq!(epoch_of(19, 10), 1);
		assert_eq!(epoch_of(20, 10), 2);
		assert_eq!(first_whole_epoch(20, 10), 2);
		assert_eq!(first_whole_epoch(21, 10), 3);
		assert_eq!(epoch_of(5, 0), 0, "a zero length never divides by zero");
	}

	#[test]
	fn a_lease_is_closed_at_its_close_or_out_of_funds_block() {
		assert_eq!(LeaseState::<u64>::Active.closed_at(), None);
		let closed = LeaseState::Closed { reason: CloseReason::Tenant, at: 27u64 };
		assert_eq!(closed.closed_at(), Some(27));
		assert_eq!(LeaseState::InsufficientFunds { at: 40u64 }.closed_at(), Some(40));
	}

	#[test]
	fn a_breach_is_credited_at_the_rate_of_the_missed_epochs_price() {
		let downtime = Downtime { epochs: 10, served: 8 };
		assert_eq!(downtime.missed(), 2);
		assert_eq!(downtime.availability(), Perbill::from_percent(80));
		assert!(downtime.breaches(&TERMS));
		// 2 epochs × 10 blocks × 3 per block × 50%.
		assert_eq!(downtime.credit(&TERMS, 3u64, 10), Some(30));
		assert!(!Downtime { epochs: 10, served: 9 }.breaches(&TERMS));
		assert!(!Downtime { epochs: 0, served: 0 }.breaches(&TERMS));
		assert_eq!(Downtime { epochs: 10, served: 0 }.credit(&TERMS, u64::MAX, 10), None);
	}

	proptest! {
		#[test]
		fn more_downtime_never_credits_less(
			epochs in 1u32..1_000, served in 0u32..1_000, price in 1u64..1_000_000,
		) {
			let served = served.min(epochs);
			let less = Downtime { epochs, served };
			let more = Downtime { epochs, served: served.saturating_sub(1) };
			prop_assert!(more.availability() <= less.availability());
			prop_assert!(more.credit(&TERMS, price, 10) >= less.credit(&TERMS, price, 10));
			prop_assert!(
				less.credit(&TERMS, price, 10).unwrap_or(0) <= price * 10 * u64::from(epochs)
			);
		}
	}
}
