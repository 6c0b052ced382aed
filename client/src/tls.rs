//! Mutual TLS between tenants and providers' gateways without certificate authorities: each
//! side presents a self-signed certificate it published on chain, and the other side trusts
//! it for what the chain says about it.
//!
//! - A gateway asks every client for a certificate and checks in the handshake only that the
//!   client holds its key; whether that certificate may act on a lease is decided per
//!   request, against the chain (published, unrevoked, unexpired, owned by the lease's
//!   tenant).
//! - A client accepts a gateway's certificate only if its fingerprint is among those the
//!   provider published on chain, and only within the validity the chain recorded for it.

use ccre_primitives::{fingerprint, Fingerprint, Validity};
use rustls::{
	client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier},
	crypto::{ring, verify_tls12_signature, verify_tls13_signature, WebPkiSupportedAlgorithms},
	pki_types::{pem::PemObject, CertificateDer, PrivateKeyDer, ServerName, UnixTime},
	server::danger::{ClientCertVerified, ClientCertVerifier},
	ClientConfig, DigitallySignedStruct, DistinguishedName, ServerConfig, SignatureScheme,
};
use std::{path::Path, sync::Arc};

/// A certificate chain and its private key.
pub struct Identity {
	/// The certificate first, then any intermediates.
	pub chain: Vec<CertificateDer<'static>>,
	/// Its private key.
	pub key: PrivateKeyDer<'static>,
}

impl Identity {
	/// Reads a PEM certificate and a PEM private key.
	pub fn load(certificate: &Path, key: &Path) -> Result<Self, String> {
		let chain = CertificateDer::pem_file_iter(certificate)
			.and_then(|certificates| certificates.collect::<Result<Vec<_>, _>>())
			.map_err(|error| format!("{}: {error}", certificate.display()))?;
		if chain.is_empty() {
			return Err(format!("{}: no certificate in it", certificate.display()));
		}
		let key = PrivateKeyDer::from_pem_file(key)
			.map_err(|error| format!("{}: {error}", key.display()))?;
		Ok(Identity { chain, key })
	}

	/// The fingerprint of the certificate, as the chain records it.
	pub fn fingerprint(&self) -> Option<Fingerprint> {
		self.chain.first().map(|certificate| fingerprint(certificate))
	}
}

fn algorithms() -> WebPkiSupportedAlgorithms {
	ring::default_provider().signature_verification_algorithms
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
	Arc::new(ring::default_provider())
}

/// A gateway's TLS configuration: it serves `identity` and asks clients for a certificate,
/// which it checks against the chain per request (`client_auth_mandatory` is off so that a
/// client without one gets a typed refusal rather than a failed handshake).
pub fn server_config(identity: Identity) -> Result<ServerConfig, String> {
	let mut config = ServerConfig::builder_with_provider(provider())
		.with_safe_default_protocol_versions()
		.map_err(|error| error.to_string())?
		.with_client_cert_verifier(Arc::new(KeyHolderOnly { algorithms: algorithms() }))
		.with_single_cert(identity.chain, identity.key)
		.map_err(|error| error.to_string())?;
	config.alpn_protocols = vec![b"http/1.1".to_vec()];
	Ok(config)
}

/// A client's TLS configuration: it presents `identity` and trusts a server only if its
/// certificate's fingerprint is one of `trusted`, within that certificate's validity.
pub fn client_config(
	identity: Identity,
	trusted: Vec<(Fingerprint, Validity)>,
) -> Result<ClientConfig, String> {
	ClientConfig::builder_with_provider(provider())
		.with_safe_default_protocol_versions()
		.map_err(|error| error.to_string())?
		.dangerous()
		.with_custom_certificate_verifier(Arc::new(PublishedFingerprints {
			trusted,
			algorithms: algorithms(),
		}))
		.with_client_auth_cert(identity.chain, identity.key)
		.map_err(|error| error.to_string())
}

/// Accepts any client certificate whose key signed the handshake; authorisation comes later,
/// from the chain.
#[derive(Debug)]
struct KeyHolderOnly {
	algorithms: WebPkiSupportedAlgorithms,
}

impl ClientCertVerifier for KeyHolderOnly {
	fn offer_client_auth(&self) -> bool {
		true
	}

	fn client_auth_mandatory(&self) -> bool {
		false
	}

	fn root_hint_subjects(&self) -> &[DistinguishedName] {
		&[]
	}

	fn verify_client_cert(
		&self,
		_end_entity: &CertificateDer<'_>,
		_intermediates: &[CertificateDer<'_>],
		_now: UnixTime,
	) -> Result<ClientCertVerified, rustls::Error> {
		Ok(ClientCertVerified::assertion())
	}

	fn verify_tls12_signature(
		&self,
		message: &[u8],
		certificate: &CertificateDer<'_>,
		signature: &DigitallySignedStruct,
	) -> Result<HandshakeSignatureValid, rustls::Error> {
		verify_tls12_signature(message, certificate, signature, &self.algorithms)
	}

	fn verify_tls13_signature(
		&self,
		message: &[u8],
		certificate: &CertificateDer<'_>,
		signature: &DigitallySignedStruct,
	) -> Result<HandshakeSignatureValid, rustls::Error> {
		verify_tls13_signature(message, certificate, signature, &self.algorithms)
	}

	fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
		self.algorithms.supported_schemes()
	}
}

/// Trusts a server whose certificate's fingerprint is one of those its provider published,
/// while it is valid.
#[derive(Debug)]
struct PublishedFingerprints {
	trusted: Vec<(Fingerprint, Validity)>,
	algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for PublishedFingerprints {
	fn verify_server_cert(
		&self,
		end_entity: &CertificateDer<'_>,
		_intermediates: &[CertificateDer<'_>],
		_server_name: &ServerName<'_>,
		_ocsp_response: &[u8],
		now: UnixTime,
	) -> Result<ServerCertVerified, rustls::Error> {
		let presented = fingerprint(end_entity);
		let Some((_, validity)) = self.trusted.iter().find(|(trusted, _)| *trusted == presented)
		else {
			return Err(rustls::Error::General(
				"the gateway's certificate is not one its provider published on chain".into(),
			));
		};
		let now = now.as_secs();
		if now < validity.not_before {
			return Err(rustls::Error::InvalidCertificate(rustls::CertificateError::NotValidYet));
		}
		if now > validity.not_after {
			return Err(rustls::Error::InvalidCertificate(rustls::CertificateError::Expired));
		}
		Ok(ServerCertVerified::assertion())
	}

	fn verify_tls12_signature(
		&self,
		message: &[u8],
		certificate: &CertificateDer<'_>,
		signature: &DigitallySignedStruct,
	) -> Result<HandshakeSignatureValid, rustls::Error> {
		verify_tls12_signature(message, certificate, signature, &self.algorithms)
	}

	fn verify_tls13_signature(
		&self,
		message: &[u8],
		certificate: &CertificateDer<'_>,
		signature: &DigitallySignedStruct,
	) -> Result<HandshakeSignatureValid, rustls::Error> {
		verify_tls13_signature(message, certificate, signature, &self.algorithms)
	}

	fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
		self.algorithms.supported_schemes()
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::time::Duration;

	#[test]
	fn a_published_gateway_certificate_is_trusted_only_while_valid() {
		let new = crate::certificate::create(
			"gateway",
			vec!["localhost".into()],
			Duration::from_secs(60),
		)
		.expect("a certificate");
		let der = CertificateDer::from(new.der.clone());
		let validity = Validity { not_before: 1_000, not_after: 2_000 };
		let verifier = PublishedFingerprints {
			trusted: vec![(fingerprint(&new.der), validity)],
			algorithms: algorithms(),
		};
		let name = ServerName::try_from("localhost").expect("a name");
		let at = |seconds| {
			verifier.verify_server_cert(
				&der,
				&[],
				&name,
				&[],
				UnixTime::since_unix_epoch(Duration::from_secs(seconds)),
			)
		};
		assert!(at(1_000).is_ok() && at(2_000).is_ok());
		assert_eq!(
			at(2_001).err(),
			Some(rustls::Error::InvalidCertificate(rustls::CertificateError::Expired))
		);
		assert_eq!(
			at(999).err(),
			Some(rustls::Error::InvalidCertificate(rustls::CertificateError::NotValidYet))
		);
		let stranger =
			PublishedFingerprints { trusted: vec![([7; 32], validity)], algorithms: algorithms() };
		assert!(stranger
			.verify_server_cert(
				&der,
				&[],
				&name,
				&[],
				UnixTime::since_unix_epoch(Duration::from_secs(1_500))
			)
			.is_err());
	}
}
