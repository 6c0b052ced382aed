//! The invariants of the whole runtime: every pallet's own `try_state`, and what must hold
//! between pallets, which no single pallet can check. Runtime tests and the runtime fuzzer
//! check them after every block; `try-runtime` checks them through [`check`].
//!
//! Between pallets:
//! - an active lease has an escrow account, owned by its tenant; a started one streams to its
//!   provider at its price, up to its end; one not started has no stream yet;
//! - a closed lease has no escrow account: it settled and refunded when it closed;
//! - a leased order has its lease, with the same tenant and provider; an open order has none;
//!   every lease and every escrow account has its order;
//! - a lease's held earnings are held on its tenant for its provider;
//! - the standing offers are within their bounds;
//! - the accounts add up to the total issuance.

#![cfg(any(feature = "std", feature = "try-runtime"))]

use crate::{
	AccountId, Balance, Balances, Certificates, Escrow, Leases, Orders, Providers, Runtime, Sla,
};
use ccre_primitives::{LeaseState, OrderState};
use frame_support::{ensure, traits::Get};
use sp_runtime::TryRuntimeError;

/// Checks every invariant of the runtime's state.
pub fn check() -> Result<(), TryRuntimeError> {
	Certificates::do_try_state()?;
	Providers::do_try_state()?;
	Escrow::do_try_state()?;
	Leases::do_try_state()?;
	Orders::do_try_state()?;
	Sla::do_try_state()?;
	leases_match_their_orders_and_escrow()?;
	offers_within_bounds()?;
	accounts_add_up_to_the_issuance()
}

fn leases_match_their_orders_and_escrow() -> Result<(), TryRuntimeError> {
	for (id, lease) in pallet_leases::Leases::<Runtime>::iter() {
		let order = pallet_orders::Orders::<Runtime>::get(id).ok_or("a lease without its order")?;
		ensure!(order.tenant == lease.tenant, "a lease's tenant is not its order's");
		ensure!(
			order.state == OrderState::Leased { provider: lease.provider.clone() },
			"a lease's order is not leased to its provider"
		);
		let account = pallet_escrow::Accounts::<Runtime>::get(id);
		match lease.state {
			LeaseState::Active => {
				let account = account.ok_or("an active lease without an escrow account")?;
				ensure!(account.owner == lease.tenant, "an escrow account not its tenant's");
				match (lease.started_at, account.stream) {
					(Some(started_at), Some(stream)) => {
						ensure!(stream.payee == lease.provider, "a stream pays someone else");
						ensure!(stream.rate == lease.price, "a stream's rate is not the price");
						ensure!(
							stream.ends_at
								== lease.duration.map(|blocks| started_at.saturating_add(blocks)),
							"a stream ends elsewhere than its lease"
						);
					},
					(None, None) => {},
					(Some(_), None) => return Err("a started lease without a stream".into()),
					(None, Some(_)) => return Err("a stream for a lease not started".into()),
				}
			},
			LeaseState::InsufficientFunds { .. } | LeaseState::Closed { .. } => {
				ensure!(account.is_none(), "a closed lease still has an escrow account");
			},
		}
		if let Some(ledger) = pallet_escrow::Vesting::<Runtime>::get(id) {
			ensure!(ledger.owner == lease.tenant, "earnings held on someone but the tenant");
			ensure!(ledger.payee == lease.provider, "earnings held for someone but the provider");
		}
	}
	for (id, order) in pallet_orders::Orders::<Runtime>::iter() {
		let lease = pallet_leases::Leases::<Runtime>::get(id);
		match order.state {
			OrderState::Open => ensure!(lease.is_none(), "an open order has a lease"),
			OrderState::Leased { .. } => ensure!(lease.is_some(), "a leased order without lease"),
		}
	}
	for (id, account) in pallet_escrow::Accounts::<Runtime>::iter() {
		let order = pallet_orders::Orders::<Runtime>::get(id).ok_or("escrow without an order")?;
		ensure!(order.tenant == account.owner, "an escrow account not its order's tenant's");
	}
	Ok(())
}

fn offers_within_bounds() -> Result<(), TryRuntimeError> {
	type MaxOffers = <Runtime as pallet_orders::Config>::MaxOffers;
	type MaxOffersPerProvider = <Runtime as pallet_orders::Config>::MaxOffersPerProvider;
	ensure!(pallet_orders::Offers::<Runtime>::count() <= MaxOffers::get(), "too many offers");
	for (_, count) in pallet_orders::OfferCount::<Runtime>::iter() {
		ensure!(count <= MaxOffersPerProvider::get(), "a provider has too many offers");
	}
	Ok(())
}

/// Every account's free and reserved balance (holds included) together is the total issuance:
/// no balance is created or lost outside of `pallet-balances`' own accounting.
fn accounts_add_up_to_the_issuance() -> Result<(), TryRuntimeError> {
	let total = frame_system::Account::<Runtime>::iter().fold(0 as Balance, |sum, (_, info)| {
		sum.saturating_add(info.data.free).saturating_add(info.data.reserved)
	});
	ensure!(
		total == Balances::total_issuance(),
		"the accounts do not add up to the total issuance"
	);
	Ok(())
}

/// Everything `who` owns: free and held.
pub fn wealth(who: &AccountId) -> Balance {
	let data = frame_system::Account::<Runtime>::get(who).data;
	data.free.saturating_add(data.reserved)
}
