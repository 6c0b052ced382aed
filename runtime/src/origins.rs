//! The governance origins besides root that referenda dispatch with, one per track.

#[frame_support::pallet]
pub mod pallet {
	use frame_support::pallet_prelude::*;

	#[pallet::config]
	pub trait Config: frame_system::Config {}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// What a passed referendum on a track other than root acts as.
	#[derive(
		PartialEq, Eq, Clone, MaxEncodedLen, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug,
	)]
	#[pallet::origin]
	pub enum Origin {
		/// The `market` track: market parameters, auditors and arbitrators, with a lower bar
		/// than root, which can also upgrade the runtime.
		MarketAdmin,
	}
}

pub use pallet::*;
