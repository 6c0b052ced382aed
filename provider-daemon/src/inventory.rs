//! The inventory: what the provider offers, and whether an order's requirement still fits
//! beside what its bids and leases hold. Reservations are not kept as a separate tally: they
//! are derived from the daemon's state (every open bid and every lease not torn down), so a
//! reservation cannot outlive its bid or lease, and a restart rebuilds them exactly.

use crate::state::State;
use ccre_primitives::{Capacity, ResourceSet};

/// What the provider offers in all.
#[derive(Clone, Debug)]
pub struct Inventory {
	offered: ResourceSet,
}

impl Inventory {
	/// An inventory of `offered` (its properties are ignored: they are checked by the
	/// eligibility rule, not consumed).
	pub fn new(offered: ResourceSet) -> Self {
		Inventory { offered }
	}

	/// What is free of additive capacity `capacity` given `state`'s reservations.
	pub fn free(&self, state: &State, capacity: Capacity) -> u64 {
		let offered = self.offered.capacity(capacity).unwrap_or(0);
		let reserved = state
			.reservations()
			.filter_map(|reserved| reserved.capacity(capacity))
			.fold(0u64, u64::saturating_add);
		offered.saturating_sub(reserved)
	}

	/// Whether `requirement` fits beside `state`'s reservations: every additive capacity it
	/// names is free in that amount. (A quality such as clock speed is not used up; the
	/// match predicate compares it.)
	pub fn fits(&self, state: &State, requirement: &ResourceSet) -> bool {
		requirement
			.capacities()
			.filter(|(capacity, _)| capacity.is_additive())
			.all(|(capacity, needed)| self.free(state, capacity) >= needed)
	}

	/// Free capacity for the metrics: (capacity, free) for every capacity offered.
	pub fn free_all(&self, state: &State) -> Vec<(Capacity, u64)> {
		self.offered
			.capacities()
			.filter(|(capacity, _)| capacity.is_additive())
			.map(|(capacity, _)| (capacity, self.free(state, capacity)))
			.collect()
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::state::{BidRecord, LeaseRecord};
	use ccre_client::gateway::DeploymentState;
	use proptest::prelude::*;

	fn cpu(millicores: u64) -> ResourceSet {
		ResourceSet::new([(Capacity::CpuMillicores, millicores)], []).expect("valid")
	}

	fn lease(requirement: ResourceSet, phase: DeploymentState) -> LeaseRecord {
		LeaseRecord {
			requirement,
			tenant: String::new(),
			manifest: None,
			manifest_hash: None,
			phase,
			message: None,
			started: false,
		}
	}

	#[test]
	fn bids_and_leases_hold_capacity_until_they_end() {
		let inventory = Inventory::new(cpu(1000));
		let mut state = State::default();
		assert!(inventory.fits(&state, &cpu(1000)));
		state.bids.insert(1, BidRecord { requirement: cpu(600), price: 1, closes_at: 5 });
		assert!(!inventory.fits(&state, &cpu(500)));
		assert!(inventory.fits(&state, &cpu(400)));
		// The bid won: the reservation moves to the lease.
		let won = state.bids.remove(&1).expect("bid");
		state.leases.insert(1, lease(won.requirement, DeploymentState::Running));
		assert_eq!(inventory.free(&state, Capacity::CpuMillicores), 400);
		// Torn down: released.
		state.leases.get_mut(&1).expect("lease").phase = DeploymentState::Closed;
		assert_eq!(inventory.free(&state, Capacity::CpuMillicores), 1000);
		// A capacity not offered never fits.
		let gpu = ResourceSet::new([(Capacity::Gpus, 1)], []).expect("valid");
		assert!(!inventory.fits(&state, &gpu));
	}

	proptest! {
		/// However bids are placed, lost and won and leases closed, the free capacity is the
		/// offer less exactly what the open bids and leases hold: nothing leaks.
		#[test]
		fn reservations_never_leak(steps in prop::collection::vec((0u8..4, 1u64..400), 1..60)) {
			let inventory = Inventory::new(cpu(2000));
			let mut state = State::default();
			for (id, (action, amount)) in steps.into_iter().enumerate() {
				let id = id as u64;
				match action {
					0 if inventory.fits(&state, &cpu(amount)) => {
						state.bids.insert(id, BidRecord { requirement: cpu(amount), price: 1, closes_at: 0 });
					},
					1 => { state.bids.pop_first(); },
					2 => if let Some((order, bid)) = state.bids.pop_last() {
						state.leases.insert(order, lease(bid.requirement, DeploymentState::Running));
					},
					_ => if let Some(lease) = state.leases.values_mut().next() {
						lease.phase = DeploymentState::Closed;
					},
				}
				let held: u64 = state.reservations().filter_map(|r| r.capacity(Capacity::CpuMillicores)).sum();
				prop_assert!(held <= 2000);
				prop_assert_eq!(inventory.free(&state, Capacity::CpuMillicores), 2000 - held);
			}
		}
	}
}
