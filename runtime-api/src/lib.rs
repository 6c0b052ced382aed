//! Runtime APIs of the CCRE pallets. The node's `ccre_*` RPC methods call them; polkadot-js
//! reaches them as `api.call.providersApi.*` and `api.call.certificatesApi.*`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use ccre_primitives::{
	certificate::{CertificateRefusal, CertificateView, Fingerprint},
	ProviderView, StakeView,
};
use codec::Codec;

sp_api::decl_runtime_apis! {
	/// The provider registry, for auditors, tenants and provider daemons.
	pub trait ProvidersApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// A registered provider's record, stake, attestations and reputation.
		fn provider(who: AccountId) -> Option<ProviderView<AccountId, Balance, BlockNumber>>;

		/// Up to `limit` providers (at most 100) after `start_after`, in storage order; page on
		/// by passing the last account returned.
		fn providers(
			start_after: Option<AccountId>,
			limit: u32,
		) -> Vec<ProviderView<AccountId, Balance, BlockNumber>>;

		/// An account's stake, whether or not it is still registered.
		fn stake(who: AccountId) -> Option<StakeView<Balance, BlockNumber>>;
	}

	/// The certificate registry, for manifest gateways checking mTLS clients.
	pub trait CertificatesApi<AccountId, BlockNumber>
	where
		AccountId: Codec,
		BlockNumber: Codec,
	{
		/// A published certificate, revoked or not.
		fn certificate(fingerprint: Fingerprint) -> Option<CertificateView<AccountId, BlockNumber>>;

		/// Every certificate `owner` has published.
		fn certificates_of(owner: AccountId) -> Vec<CertificateView<AccountId, BlockNumber>>;

		/// Whether a client presenting the certificate with `fingerprint` may act as `owner`
		/// now: published by `owner`, not revoked, within its validity.
		fn check_presented(
			owner: AccountId,
			fingerprint: Fingerprint,
		) -> Result<(), CertificateRefusal>;
	}
}
