//! Weights for `pallet_escrow`. PLACEHOLDER until `scripts/benchmark.sh` generates them: the
//! storage accesses are counted by hand and the times scaled from `pallet_providers`' measured
//! transfers and holds, rounded up.
//!
//! Do not edit by hand; run `scripts/benchmark.sh` again.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::Weight};
use core::marker::PhantomData;

/// Weight functions of `pallet_escrow`.
pub trait WeightInfo {
	fn deposit() -> Weight;
	fn settle() -> Weight;
	fn sweep_bucket() -> Weight;
	fn sweep_item() -> Weight;
	fn open() -> Weight;
	fn start_stream() -> Weight;
	fn close() -> Weight;
}

/// Weights measured on the CCRE runtime, with storage costs from the runtime's `DbWeight`.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Escrow::Accounts` (r:1 w:1)
	/// Proof: `Escrow::Accounts` (`max_values`: None, `max_size`: Some(146), added: 2621, mode: `MaxEncodedLen`)
	/// Storage: `Parameters::Parameters` (r:3 w:0)
	/// Proof: `Parameters::Parameters` (`max_values`: None, `max_size`: Some(36), added: 2511, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:5 w:5)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(121), added: 2596, mode: `MaxEncodedLen`)
	/// Storage: `Escrow::Due` (r:0 w:2)
	/// Proof: `Escrow::Due` (`max_values`: None, `max_size`: Some(36), added: 2511, mode: `MaxEncodedLen`)
	fn deposit() -> Weight {
		// Proof size: measured `1010`, estimated `13602` bytes.
		// Minimum execution time: 1_150_000_000 picoseconds.
		Weight::from_parts(1_400_000_000, 13602)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(9))
	}
	/// Storage: `Escrow::Accounts` (r:1 w:1)
	/// Proof: `Escrow::Accounts` (`max_values`: None, `max_size`: Some(146), added: 2621, mode: `MaxEncodedLen`)
	/// Storage: `Parameters::Parameters` (r:2 w:0)
	/// Proof: `Parameters::Parameters` (`max_values`: None, `max_size`: Some(36), added: 2511, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:4 w:4)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(121), added: 2596, mode: `MaxEncodedLen`)
	/// Storage: `Escrow::Due` (r:0 w:1)
	/// Proof: `Escrow::Due` (`max_values`: None, `max_size`: Some(36), added: 2511, mode: `MaxEncodedLen`)
	fn settle() -> Weight {
		// Proof size: measured `920`, estimated `11002` bytes.
		// Minimum execution time: 1_100_000_000 picoseconds.
		Weight::from_parts(1_350_000_000, 11002)
			.saturating_add(T::DbWeight::get().reads(8))
			.saturating_add(T::DbWeight::get().writes(7))
	}
	/// Storage: `Escrow::SweepCursor` (r:1 w:1)
	/// Proof: `Escrow::SweepCursor` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Escrow::Due` (r:1 w:0)
	/// Proof: `Escrow::Due` (`max_values`: None, `max_size`: Some(36), added: 2511, mode: `MaxEncodedLen`)
	fn sweep_bucket() -> Weight {
		// Proof size: measured `42`, estimated `3509` bytes.
		// Minimum execution time: 60_000_000 picoseconds.
		Weight::from_parts(80_000_000, 3509)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	/// Storage: `Escrow::SweepCursor` (r:1 w:1)
	/// Proof: `Escrow::SweepCursor` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Escrow::Due` (r:2 w:1)
	/// Proof: `Escrow::Due` (`max_values`: None, `max_size`: Some(36), added: 2511, mode: `MaxEncodedLen`)
	/// Storage: `Escrow::Accounts` (r:1 w:1)
	/// Proof: `Escrow::Accounts` (`max_values`: None, `max_size`: Some(146), added: 2621, mode: `MaxEncodedLen`)
	/// Storage: `Parameters::Parameters` (r:2 w:0)
	/// Proof: `Parameters::Parameters` (`max_values`: None, `max_size`: Some(36), added: 2511, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:4 w:4)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(121), added: 2596, mode: `MaxEncodedLen`)
	fn sweep_item() -> Weight {
		// Proof size: measured `960`, estimated `11002` bytes.
		// Minimum execution time: 1_200_000_000 picoseconds.
		Weight::from_parts(1_450_000_000, 11002)
			.saturating_add(T::DbWeight::get().reads(11))
			.saturating_add(T::DbWeight::get().writes(8))
	}
	/// Storage: `Escrow::Accounts` (r:1 w:1)
	/// Proof: `Escrow::Accounts` (`max_values`: None, `max_size`: Some(146), added: 2621, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(121), added: 2596, mode: `MaxEncodedLen`)
	fn open() -> Weight {
		// Proof size: measured `240`, estimated `3615` bytes.
		// Minimum execution time: 400_000_000 picoseconds.
		Weight::from_parts(500_000_000, 3615)
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	/// Storage: `Escrow::Accounts` (r:1 w:1)
	/// Proof: `Escrow::Accounts` (`max_values`: None, `max_size`: Some(146), added: 2621, mode: `MaxEncodedLen`)
	/// Storage: `Parameters::Parameters` (r:1 w:0)
	/// Proof: `Parameters::Parameters` (`max_values`: None, `max_size`: Some(36), added: 2511, mode: `MaxEncodedLen`)
	/// Storage: `Escrow::Due` (r:0 w:1)
	/// Proof: `Escrow::Due` (`max_values`: None, `max_size`: Some(36), added: 2511, mode: `MaxEncodedLen`)
	fn start_stream() -> Weight {
		// Proof size: measured `300`, estimated `3615` bytes.
		// Minimum execution time: 130_000_000 picoseconds.
		Weight::from_parts(170_000_000, 3615)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(2))
	}
	/// Storage: `Escrow::Accounts` (r:1 w:1)
	/// Proof: `Escrow::Accounts` (`max_values`: None, `max_size`: Some(146), added: 2621, mode: `MaxEncodedLen`)
	/// Storage: `Parameters::Parameters` (r:2 w:0)
	/// Proof: `Parameters::Parameters` (`max_values`: None, `max_size`: Some(36), added: 2511, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:4 w:4)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(121), added: 2596, mode: `MaxEncodedLen`)
	/// Storage: `Escrow::Due` (r:0 w:1)
	/// Proof: `Escrow::Due` (`max_values`: None, `max_size`: Some(36), added: 2511, mode: `MaxEncodedLen`)
	fn close() -> Weight {
		// Proof size: measured `920`, estimated `11002` bytes.
		// Minimum execution time: 1_100_000_000 picoseconds.
		Weight::from_parts(1_350_000_000, 11002)
			.saturating_add(T::DbWeight::get().reads(8))
			.saturating_add(T::DbWeight::get().writes(7))
	}
}
