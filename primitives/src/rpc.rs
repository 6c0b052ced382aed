//! What the node's `ccre_*` RPC methods return beyond the runtime APIs' views, for the node
//! (which writes them) and the CLI and daemon (which read them). (`ccre_provider` adds the
//! provider's certificates to its `ProviderView`; readers take the view and ask
//! `ccre_certificatesOf` for the certificates, as 128-bit balances cannot pass through
//! serde's flattening.)

use crate::CertificateRefusal;
use serde::{Deserialize, Serialize};

/// The outcome of `ccre_checkCertificate`.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
pub struct CertificateCheck {
	/// Whether a client presenting the certificate may act as the owner now.
	pub accepted: bool,
	/// Why not, if not.
	pub refusal: Option<CertificateRefusal>,
}
