//! The one way to change a market parameter: governance names a value, and it is stored only if
//! it lies within the bounds that keep every safety on (`parameters::WithinBounds`), so not even
//! a captured referendum can, say, set the unbonding period to zero and disable slashing.
//! pallet-parameters stores the values and emits `Parameters.Updated`; its own `set_parameter`
//! accepts only the origin this pallet dispatches with.

#[frame_support::pallet]
pub mod pallet {
	use frame_support::{pallet_prelude::*, traits::Contains};
	use frame_system::pallet_prelude::*;
	use pallet_parameters::WeightInfo as _;

	#[pallet::config]
	pub trait Config:
		frame_system::Config<RuntimeOrigin: From<Origin>> + pallet_parameters::Config
	{
		/// Who may change parameters: governance.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The parameter values that may be set.
		type Bounds: Contains<Self::RuntimeParameters>;
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// What a value that passed the bounds is set as.
	#[derive(
		PartialEq, Eq, Clone, MaxEncodedLen, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug,
	)]
	#[pallet::origin]
	pub enum Origin {
		/// A governance decision whose value is within its bounds.
		BoundsChecked,
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The value is outside the bounds that keep the market's safeties on (see the
		/// runtime's `parameters` module for each parameter's range).
		OutOfBounds,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Sets a market parameter, as `parameters.setParameter` would, if its value is within
		/// bounds; `None` restores the default. Governance only.
		#[pallet::call_index(0)]
		#[pallet::weight(<T as pallet_parameters::Config>::WeightInfo::set_parameter())]
		pub fn set_parameter(
			origin: OriginFor<T>,
			key_value: T::RuntimeParameters,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(T::Bounds::contains(&key_value), Error::<T>::OutOfBounds);
			pallet_parameters::Pallet::<T>::set_parameter(Origin::BoundsChecked.into(), key_value)
		}
	}
}

pub use pallet::*;

/// Passes only for a value [`Pallet::set_parameter`] checked.
pub struct EnsureBoundsChecked;

impl<O: Into<Result<Origin, O>> + From<Origin>> frame_support::traits::EnsureOrigin<O>
	for EnsureBoundsChecked
{
	type Success = ();

	fn try_origin(origin: O) -> Result<Self::Success, O> {
		origin.into().map(|Origin::BoundsChecked| ())
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<O, ()> {
		Ok(Origin::BoundsChecked.into())
	}
}
