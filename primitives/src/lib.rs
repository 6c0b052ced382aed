//! Types and rules shared by the CCRE runtime, the provider daemon and the CLI, so that chain
//! and off-chain code agree on what an order asks for and what an offer provides.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod certificate;
pub mod deposit;
pub mod exchange;
pub mod hex;
// Off chain only: the CLI and the daemon read manifests; the chain keeps their hash.
#[cfg(feature = "std")]
pub mod manifest;
pub mod market;
pub mod providers;
pub mod resources;
#[cfg(feature = "std")]
pub mod rpc;
mod serde_text;
pub mod sla;

pub use certificate::{
	check_presented, fingerprint, parse_certificate, CertificateError, CertificateRefusal,
	CertificateView, Fingerprint, PublishedCertificate, Validity,
};
pub use deposit::storage_deposit;
#[cfg(feature = "runtime-benchmarks")]
pub use market::MarketBenchmarkHelper;
pub use market::{
	check_eligibility, clear, offer_fits_registration, offered_by_offer, reputation_effect,
	requirement, AuditorRule, BidView, Candidate, Clearing, ClearingRule, CloseReason, Deployments,
	Escrow, EscrowView, Ineligibility, LeaseOpener, LeaseState, LeaseView, ManifestHash, OfferId,
	OnFundsExhausted, OrderId, OrderState, OrderTerms, OrderType, OrderView, ProviderFacts,
	Settlement, SpecError,
};
pub use providers::{
	ActiveLeases, AttestationView, LeaseOutcome, ProviderInspect, ProviderView, ReputationRecorder,
	ReputationView, SlashReason, StakeSlashing, StakeView,
};
pub use resources::{
	satisfies, Capacities, Capacity, Properties, Property, PropertyValue, ResourceSet,
	ResourceSetError, MAX_PROPERTY_VALUE_LEN,
};
#[cfg(feature = "runtime-benchmarks")]
pub use sla::LeaseBenchmarkHelper;
pub use sla::{
	epoch_of, first_whole_epoch, AtRisk, Downtime, EarningsAtRisk, EpochIndex, LeaseFacts,
	LeaseInspect, OnLeaseReaped, PoolView, SlaTerms, UnderwritingView,
};
