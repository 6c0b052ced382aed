//! # Block time
//!
//! Holds the chain's block time (the Aura slot duration), chosen once in the genesis config.
//!
//! A development chain wants blocks every second so an end-to-end lease flow finishes in
//! seconds; a public network wants six. Aura reads its slot duration through a `Get`, so the
//! runtime points it at [`SlotDuration`] and one runtime serves both kinds of chain. There is
//! deliberately no call to change the value: Aura slots are numbered from the timestamp
//! divided by the slot duration, so changing it on a live chain would renumber every slot.
//! A network that must change it does so with a runtime upgrade and a migration.

#![cfg_attr(not(feature = "std"), no_std)]

pub use pallet::*;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

/// The slot duration used when genesis does not set one: six seconds, as on public networks.
pub const DEFAULT_SLOT_DURATION_MILLIS: u64 = 6_000;

/// The shortest slot genesis accepts. Shorter slots leave no time to author and gossip a block.
pub const MIN_SLOT_DURATION_MILLIS: u64 = 500;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	#[pallet::config]
	pub trait Config: frame_system::Config {}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::type_value]
	pub fn DefaultSlotDurationMillis() -> u64 {
		DEFAULT_SLOT_DURATION_MILLIS
	}

	/// The Aura slot duration, in milliseconds. Written once, at genesis.
	#[pallet::storage]
	pub type SlotDurationMillis<T> = StorageValue<_, u64, ValueQuery, DefaultSlotDurationMillis>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The slot duration in milliseconds; at least [`MIN_SLOT_DURATION_MILLIS`].
		pub slot_duration_millis: u64,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			// A genesis config is rejected by panicking while the chain spec is built; nothing
			// else can reject it, and a chain with a zero or tiny slot would never make a block.
			let millis = if self.slot_duration_millis == 0 {
				DEFAULT_SLOT_DURATION_MILLIS
			} else {
				self.slot_duration_millis
			};
			assert!(
				millis >= MIN_SLOT_DURATION_MILLIS,
				"slot_duration_millis must be at least {MIN_SLOT_DURATION_MILLIS} ms"
			);
			SlotDurationMillis::<T>::put(millis);
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			ensure!(
				SlotDurationMillis::<T>::get() >= MIN_SLOT_DURATION_MILLIS,
				"slot duration below the minimum"
			);
			Ok(())
		}
	}
}

/// The slot duration for `pallet_aura::Config::SlotDuration`.
pub struct SlotDuration<T>(core::marker::PhantomData<T>);

impl<T: Config> frame_support::traits::Get<u64> for SlotDuration<T> {
	fn get() -> u64 {
		SlotDurationMillis::<T>::get()
	}
}

/// Half the slot duration, for `pallet_timestamp::Config::MinimumPeriod`: Aura needs a
/// timestamp to advance by a whole slot, and timestamp enforces half of that per block.
pub struct MinimumPeriod<T>(core::marker::PhantomData<T>);

impl<T: Config> frame_support::traits::Get<u64> for MinimumPeriod<T> {
	fn get() -> u64 {
		SlotDurationMillis::<T>::get() / 2
	}
}
