//! The registry's stored types.

use crate::Config;
use ccre_primitives::Validity;
use core::fmt;
use frame_support::{pallet_prelude::*, traits::fungible};
use frame_system::pallet_prelude::BlockNumberFor;

/// The balance type of the currency deposits are held in.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A published certificate.
///
/// Generic over plain types rather than `T: Config` so a runtime API can name it with the
/// runtime's concrete types. `Clone`, `PartialEq`, `Eq` and `Debug` are implemented by hand
/// because deriving them would also demand them of `MaxLen`, which `ConstU32` does not provide.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxLen))]
pub struct CertificateRecord<AccountId, Balance, BlockNumber, MaxLen: Get<u32>> {
	/// The account that published it, and the only one allowed to present it.
	pub owner: AccountId,
	/// The certificate, DER-encoded, exactly as published.
	pub der: BoundedVec<u8, MaxLen>,
	/// Its validity window, read from `der` at publication.
	pub validity: Validity,
	/// The block it was published in.
	pub published_at: BlockNumber,
	/// The block its owner revoked it in, if they have.
	pub revoked_at: Option<BlockNumber>,
	/// The deposit held from `owner` for it.
	pub deposit: Balance,
}

/// The record type as this pallet stores it.
pub type CertificateRecordOf<T> = CertificateRecord<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as Config>::MaxCertificateLen,
>;

impl<AccountId, Balance, BlockNumber, MaxLen> Clone
	for CertificateRecord<AccountId, Balance, BlockNumber, MaxLen>
where
	AccountId: Clone,
	Balance: Clone,
	BlockNumber: Clone,
	MaxLen: Get<u32>,
{
	fn clone(&self) -> Self {
		Self {
			owner: self.owner.clone(),
			der: self.der.clone(),
			validity: self.validity,
			published_at: self.published_at.clone(),
			revoked_at: self.revoked_at.clone(),
			deposit: self.deposit.clone(),
		}
	}
}

impl<AccountId, Balance, BlockNumber, MaxLen> PartialEq
	for CertificateRecord<AccountId, Balance, BlockNumber, MaxLen>
where
	AccountId: PartialEq,
	Balance: PartialEq,
	BlockNumber: PartialEq,
	MaxLen: Get<u32>,
{
	fn eq(&self, other: &Self) -> bool {
		self.owner == other.owner
			&& self.der == other.der
			&& self.validity == other.validity
			&& self.published_at == other.published_at
			&& self.revoked_at == other.revoked_at
			&& self.deposit == other.deposit
	}
}

impl<AccountId, Balance, BlockNumber, MaxLen> Eq
	for CertificateRecord<AccountId, Balance, BlockNumber, MaxLen>
where
	AccountId: Eq,
	Balance: Eq,
	BlockNumber: Eq,
	MaxLen: Get<u32>,
{
}

impl<AccountId, Balance, BlockNumber, MaxLen> fmt::Debug
	for CertificateRecord<AccountId, Balance, BlockNumber, MaxLen>
where
	AccountId: fmt::Debug,
	Balance: fmt::Debug,
	BlockNumber: fmt::Debug,
	MaxLen: Get<u32>,
{
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.debug_struct("CertificateRecord")
			.field("owner", &self.owner)
			.field("der_len", &self.der.len())
			.field("validity", &self.validity)
			.field("published_at", &self.published_at)
			.field("revoked_at", &self.revoked_at)
			.field("deposit", &self.deposit)
			.finish()
	}
}

/// A certificate's DER as a call takes it, bounded at decode by `MaxCertificateLen`.
pub type DerOf<T> = frame_support::BoundedVec<u8, <T as crate::Config>::MaxCertificateLen>;

/// A proof of ownership as a call takes it, bounded at decode.
pub type ProofOf = frame_support::BoundedVec<
	u8,
	frame_support::traits::ConstU32<{ ccre_primitives::certificate::MAX_OWNERSHIP_PROOF_LEN }>,
>;
