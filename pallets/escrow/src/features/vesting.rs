//! The provider's earnings between settlement and vesting: held on the tenant, at risk of SLA
//! claims, handed over once they vest or the lease is reaped.

use crate::*;
use ccre_primitives::{AtRisk, EarningsAtRisk, OnFundsExhausted, OrderId};
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{CheckedAdd, One, Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Adds a settlement of `order`'s stream, `paid` in all of which `earned` is the payee's, to
	/// the lease's earnings; they vest `VestingPeriod` blocks from `now` (rounded up to the
	/// ledger's step, so one lease keeps at most `MaxVestingChunks` chunks in a period).
	pub(crate) fn add_earnings(
		order: OrderId,
		owner: &T::AccountId,
		payee: &T::AccountId,
		paid: BalanceOf<T>,
		earned: BalanceOf<T>,
		now: BlockNumberFor<T>,
	) -> DispatchResult {
		if paid.is_zero() {
			return Ok(());
		}
		if T::VestingPeriod::get().is_zero() {
			// Nothing is held back: the earnings are the provider's at once.
			return Self::hand_over(order, owner, payee, earned);
		}
		let vests_at = Self::vesting_block(now);
		let mut ledger = Vesting::<T>::get(order).unwrap_or_else(|| VestingLedger {
			owner: owner.clone(),
			payee: payee.clone(),
			chunks: BoundedVec::new(),
			disputed: false,
		});
		let merge = |chunk: &mut VestingChunk<BalanceOf<T>, BlockNumberFor<T>>| {
			chunk.paid = chunk.paid.checked_add(&paid).ok_or(Error::<T>::Overflow)?;
			chunk.earned = chunk.earned.checked_add(&earned).ok_or(Error::<T>::Overflow)?;
			// Merging into a chunk never makes anything vest earlier than it should.
			chunk.vests_at = chunk.vests_at.max(vests_at);
			Ok::<_, Error<T>>(())
		};
		let full = ledger.chunks.is_full();
		match ledger.chunks.last_mut() {
			Some(last) if last.vests_at == vests_at || full => merge(last)?,
			_ => ledger
				.chunks
				.try_push(VestingChunk { vests_at, paid, earned })
				.map_err(|_| Error::<T>::Overflow)?,
		}
		Vesting::<T>::insert(order, ledger);
		Ok(())
	}

	/// The block earnings settled at `now` vest at: `VestingPeriod` later, rounded up to a step
	/// of the period divided among the ledger's chunks.
	fn vesting_block(now: BlockNumberFor<T>) -> BlockNumberFor<T> {
		let period = T::VestingPeriod::get();
		let target = now.saturating_add(period);
		let chunks = T::MaxVestingChunks::get().saturating_sub(1).max(1);
		let step = (period / chunks.into()).max(One::one());
		let past = target % step;
		if past.is_zero() {
			target
		} else {
			target.saturating_add(step.saturating_sub(past))
		}
	}

	/// Hands `order`'s payee every earning that has vested by now, unless a claim on the lease
	/// is pending; returns how much.
	pub(crate) fn release_vested_of(order: OrderId) -> Result<BalanceOf<T>, DispatchError> {
		let now = frame_system::Pallet::<T>::block_number();
		Self::release_earnings_until(order, |chunk| chunk.vests_at <= now)
	}

	/// Whether `chunk` of a ledger is still at risk of claims: not vested, or held back by a
	/// pending claim.
	fn is_at_risk(
		ledger: &VestingLedgerOf<T>,
		chunk: &VestingChunk<BalanceOf<T>, BlockNumberFor<T>>,
		now: BlockNumberFor<T>,
	) -> bool {
		ledger.disputed || chunk.vests_at > now
	}

	/// Hands `order`'s payee the earnings of the leading chunks `vested` accepts.
	fn release_earnings_until(
		order: OrderId,
		vested: impl Fn(&VestingChunk<BalanceOf<T>, BlockNumberFor<T>>) -> bool,
	) -> Result<BalanceOf<T>, DispatchError> {
		let Some(mut ledger) = Vesting::<T>::get(order) else { return Ok(Zero::zero()) };
		if ledger.disputed {
			return Ok(Zero::zero());
		}
		let count = ledger.chunks.iter().take_while(|chunk| vested(chunk)).count();
		if count == 0 {
			return Ok(Zero::zero());
		}
		let amount = ledger
			.chunks
			.iter()
			.take(count)
			.fold(BalanceOf::<T>::zero(), |total, chunk| total.saturating_add(chunk.earned));
		Self::hand_over(order, &ledger.owner, &ledger.payee, amount)?;
		ledger.chunks = BoundedVec::truncate_from(ledger.chunks.into_iter().skip(count).collect());
		Self::store_vesting(order, ledger);
		Ok(amount)
	}

	/// Pays `payee` `amount` of `owner`'s escrowed funds: earnings that are the provider's.
	fn hand_over(
		order: OrderId,
		owner: &T::AccountId,
		payee: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		Self::pay(owner, payee, amount)?;
		Self::deposit_event(Event::EarningsReleased { order, payee: payee.clone(), amount });
		Ok(())
	}

	fn store_vesting(order: OrderId, ledger: VestingLedgerOf<T>) {
		// A disputed ledger stays, even empty, so what the lease earns meanwhile is held too.
		if ledger.chunks.is_empty() && !ledger.disputed {
			Vesting::<T>::remove(order);
		} else {
			Vesting::<T>::insert(order, ledger);
		}
	}

	/// What `order` paid for earnings that have not vested, and the provider's part of it: what
	/// claims can still take.
	pub fn at_risk_of(order: OrderId) -> AtRisk<BalanceOf<T>> {
		let now = frame_system::Pallet::<T>::block_number();
		Vesting::<T>::get(order).map_or_else(Default::default, |ledger| {
			ledger.chunks.iter().filter(|chunk| Self::is_at_risk(&ledger, chunk, now)).fold(
				AtRisk::<BalanceOf<T>>::default(),
				|total, chunk| AtRisk {
					paid: total.paid.saturating_add(chunk.paid),
					earned: total.earned.saturating_add(chunk.earned),
				},
			)
		})
	}

	/// The provider's earnings from `order` still held, vested or not.
	pub fn vesting_of(order: OrderId) -> BalanceOf<T> {
		Vesting::<T>::get(order).map_or_else(Zero::zero, |ledger| {
			ledger
				.chunks
				.iter()
				.fold(Zero::zero(), |total: BalanceOf<T>, chunk| total.saturating_add(chunk.earned))
		})
	}

	/// Takes `amount` of `order`'s at-risk payments for a claim, oldest first: the payee's
	/// earnings in them go back to the owner. Returns how much did.
	pub(crate) fn do_claw_back(
		order: OrderId,
		amount: BalanceOf<T>,
	) -> Result<BalanceOf<T>, DispatchError> {
		// What has vested is the provider's, and not at risk.
		Self::release_vested_of(order)?;
		ensure!(amount <= Self::at_risk_of(order).paid, Error::<T>::AboveAtRisk);
		let Some(mut ledger) = Vesting::<T>::get(order) else { return Ok(Zero::zero()) };
		let mut remaining = amount;
		let mut returned = BalanceOf::<T>::zero();
		for chunk in ledger.chunks.iter_mut() {
			if remaining.is_zero() {
				break;
			}
			let part = remaining.min(chunk.paid);
			// A claim takes the provider's earnings first; what it takes beyond them was the
			// market's take.
			let earned = part.min(chunk.earned);
			chunk.paid = chunk.paid.saturating_sub(part);
			chunk.earned = chunk.earned.saturating_sub(earned);
			remaining = remaining.saturating_sub(part);
			returned = returned.saturating_add(earned);
		}
		ledger.chunks.retain(|chunk| !chunk.paid.is_zero());
		Self::refund(&ledger.owner, returned)?;
		Self::store_vesting(order, ledger);
		Self::deposit_event(Event::EarningsClawedBack { order, amount, returned });
		Ok(returned)
	}

	/// Hands the payee everything `order` still holds for it.
	pub(crate) fn release_all_earnings(order: OrderId) -> DispatchResult {
		Self::release_earnings_until(order, |_| true).map(|_| ())
	}
}

impl<T: Config> EarningsAtRisk<BalanceOf<T>> for Pallet<T> {
	fn settle(lease: OrderId) -> DispatchResult {
		match Accounts::<T>::get(lease) {
			Some(account) if account.stream.is_some() => {
				Self::settle_or_exhaust(lease, account, frame_system::Pallet::<T>::block_number())
			},
			_ => Ok(()),
		}
	}

	fn at_risk(lease: OrderId) -> AtRisk<BalanceOf<T>> {
		Self::at_risk_of(lease)
	}

	fn claw_back(lease: OrderId, amount: BalanceOf<T>) -> Result<BalanceOf<T>, DispatchError> {
		Self::do_claw_back(lease, amount)
	}

	fn set_disputed(lease: OrderId, disputed: bool) {
		if let Some(mut ledger) = Vesting::<T>::get(lease) {
			ledger.disputed = disputed;
			Self::store_vesting(lease, ledger);
		}
	}

	fn weight() -> Weight {
		T::WeightInfo::settle()
			.saturating_add(T::OnFundsExhausted::weight())
			.saturating_add(T::WeightInfo::claw_back())
	}
}
