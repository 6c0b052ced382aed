//! What the node's `ccre_*` RPC methods return beyond the runtime APIs' views, for the node
//! (which writes them) and the CLI and daemon (which read them).

use crate::{CertificateRefusal, CertificateView, ProviderView};
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

/// A provider with its published certificates: what `ccre_provider` returns.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct ProviderDetails<AccountId, Balance, BlockNumber> {
	/// The provider's record, stake, attestations and reputation.
	#[serde(flatten)]
	pub provider: ProviderView<AccountId, Balance, BlockNumber>,
	/// Its certificates, revoked ones included.
	pub certificates: Vec<CertificateView<AccountId, BlockNumber>>,
}

/// The outcome of `ccre_checkCertificate`.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
pub struct CertificateCheck {
	/// Whether a client presenting the certificate may act as the owner now.
	pub accepted: bool,
	/// Why not, if not.
	pub refusal: Option<CertificateRefusal>,
}
