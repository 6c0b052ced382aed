//! Runtime APIs of the CCRE pallets. The node's `ccre_*` RPC methods call them; polkadot-js
//! reaches them as `api.call.providersApi.*`, `api.call.certificatesApi.*` and
//! `api.call.marketApi.*`, `api.call.slaApi.*` and `api.call.exchangeApi.*`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use ccre_primitives::{
	certificate::{CertificateRefusal, CertificateView, Fingerprint},
	exchange::{BookOrder, BookOrderId, BookView, ClassId, ClassView, IndexEntry},
	Downtime, LeaseView, OrderId, OrderView, PoolView, ProviderView, StakeView, UnderwritingView,
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

	/// The market: orders with their bids, leases with their escrow, for tenants, provider
	/// daemons and auditors.
	pub trait MarketApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// An order, open or leased, with its bids and escrow balance.
		fn order(id: OrderId) -> Option<OrderView<AccountId, Balance, BlockNumber>>;

		/// Up to `limit` open orders (at most 100) after order `start_after`, in storage
		/// order, with their bids; page on by passing the last id returned.
		fn open_orders(
			start_after: Option<OrderId>,
			limit: u32,
		) -> Vec<OrderView<AccountId, Balance, BlockNumber>>;

		/// A lease with its manifest hash and its escrow account settled to this block: the
		/// balance, the blocks of funding left and the block it runs out at.
		fn lease(id: OrderId) -> Option<LeaseView<AccountId, Balance, BlockNumber>>;
	}

	/// The SLA insurance pool, underwriters' stakes and leases' downtime, for tenants,
	/// underwriters and auditors.
	pub trait SlaApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// What the pool can pay out and its shares.
		fn pool() -> PoolView<Balance>;

		/// An underwriter's shares, what they are worth now and when they unlock.
		fn underwriting(who: AccountId) -> Option<UnderwritingView<Balance, BlockNumber>>;

		/// The whole epochs a downtime claim on the lease would cover now, and in how many of
		/// them it was reported; `None` if it is unknown or not started.
		fn pending_downtime(lease: OrderId) -> Option<Downtime>;
	}

	/// The spot exchange: classes, books, the price index and an account's orders, for
	/// tenants, providers' market makers and anyone watching prices.
	pub trait ExchangeApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// Every class, with its halt, band, latest print and moving averages.
		fn classes() -> Vec<ClassView<AccountId, BlockNumber>>;

		/// One class.
		fn class(id: ClassId) -> Option<ClassView<AccountId, BlockNumber>>;

		/// The best `depth` price levels (at most 1 024) of each side of a class's book.
		fn book(class: ClassId, depth: u32) -> BookView;

		/// A class's prints from interval `from` (its oldest kept by default), at most `limit`
		/// (and 1 024), oldest first.
		fn index(class: ClassId, from: Option<u32>, limit: u32) -> Vec<IndexEntry<BlockNumber>>;

		/// An account's open orders, resting or waiting to be matched, oldest first.
		fn orders_of(who: AccountId) -> Vec<(BookOrderId, BookOrder<AccountId, Balance, BlockNumber>)>;
	}
}
