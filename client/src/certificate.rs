//! Certificates for the providers' mTLS manifest gateways, created here and published on
//! chain by their owner, which is what the other side checks: a tenant's client certificate,
//! and a provider's, which its gateway serves and which it presents to other gateways when it
//! fetches a manifest by relay.

use ccre_primitives::{fingerprint, parse_certificate, CertificateError, Fingerprint};
use rcgen::{CertificateParams, DnType, ExtendedKeyUsagePurpose, KeyPair};
use std::time::Duration;

/// A new certificate and its private key.
pub struct NewCertificate {
	/// The certificate, DER.
	pub der: Vec<u8>,
	/// The certificate, PEM.
	pub certificate_pem: String,
	/// Its private key (ECDSA P-256, PKCS#8), PEM.
	pub key_pem: String,
}

/// A self-signed certificate (ECDSA P-256), valid from a minute ago, to allow for clocks a
/// little apart, for `valid_for`. With no `hosts` it is a client certificate (a tenant's);
/// with hosts (DNS names or IP addresses) it also serves them (a provider's gateway).
pub fn create(
	common_name: &str,
	hosts: Vec<String>,
	valid_for: Duration,
) -> Result<NewCertificate, String> {
	let serves = !hosts.is_empty();
	let mut params = CertificateParams::new(hosts).map_err(|e| e.to_string())?;
	params.distinguished_name.push(DnType::CommonName, common_name);
	let now = time::OffsetDateTime::now_utc();
	params.not_before = now - Duration::from_secs(60);
	params.not_after = now + valid_for;
	params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
	if serves {
		params.extended_key_usages.push(ExtendedKeyUsagePurpose::ServerAuth);
	}
	let key = KeyPair::generate().map_err(|e| e.to_string())?;
	let certificate = params.self_signed(&key).map_err(|e| e.to_string())?;
	Ok(NewCertificate {
		der: certificate.der().to_vec(),
		certificate_pem: certificate.pem(),
		key_pem: key.serialize_pem(),
	})
}

/// The proof that account `owner` (its 32 bytes) may publish the certificate `der`: the
/// certificate's key, `key_pem` (PKCS#8 PEM, as [`create`] writes it), signing
/// [`ccre_primitives::certificate::ownership_message`]. The chain publishes a certificate only
/// with it, so no one can take the fingerprint of a certificate they copied.
pub fn ownership_proof(key_pem: &str, owner: &[u8; 32], der: &[u8]) -> Result<Vec<u8>, String> {
	use p256::pkcs8::DecodePrivateKey;
	let key = p256::SecretKey::from_pkcs8_pem(key_pem)
		.map_err(|error| format!("not a P-256 private key in PKCS#8 PEM: {error}"))?;
	let secret: [u8; 32] = key.to_bytes().into();
	ccre_primitives::certificate::prove_ownership(&secret, owner, der)
		.ok_or_else(|| "the key cannot sign".to_string())
}

/// `count` days.
pub fn days(count: u32) -> Duration {
	Duration::from_secs(u64::from(count) * 86_400)
}

/// The DER certificate in `bytes` (PEM or DER), checked as the chain will check it, with its
/// fingerprint.
pub fn read(bytes: &[u8]) -> Result<(Vec<u8>, Fingerprint), String> {
	let der = match pem::parse(bytes) {
		Ok(block) if block.tag() == "CERTIFICATE" => block.into_contents(),
		Ok(block) => return Err(format!("a PEM {} block, not a CERTIFICATE", block.tag())),
		Err(_) => bytes.to_vec(),
	};
	parse_certificate(&der).map_err(|error| match error {
		CertificateError::Malformed => "not an X.509 certificate (PEM or DER)".to_string(),
		CertificateError::InvalidValidity => "its validity ends before it starts".to_string(),
		CertificateError::UnsupportedKey => "its key is not ECDSA P-256".to_string(),
		CertificateError::BadOwnershipProof => "its key does not sign the proof".to_string(),
	})?;
	let fingerprint = fingerprint(&der);
	Ok((der, fingerprint))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_new_certificate_reads_back_as_pem_and_der_with_one_fingerprint() {
		let new = create("ccre tenant", vec![], days(30)).expect("created");
		let (der, from_pem) = read(new.certificate_pem.as_bytes()).expect("PEM reads");
		assert_eq!(der, new.der);
		let (_, from_der) = read(&new.der).expect("DER reads");
		assert_eq!(from_pem, from_der);
		assert_eq!(from_pem, fingerprint(&new.der));
		let validity = parse_certificate(&der).expect("parses");
		let span = (validity.not_after - validity.not_before) / 86_400;
		assert_eq!(span, 30);
		assert!(read(new.key_pem.as_bytes()).is_err_and(|error| error.contains("PRIVATE KEY")));
		assert!(read(b"junk").is_err_and(|error| error.contains("not an X.509")));
		let gateway = create("ccre provider", vec!["127.0.0.1".into()], days(30)).expect("created");
		assert!(read(gateway.certificate_pem.as_bytes()).is_ok());
	}

	#[test]
	fn a_new_certificates_key_proves_ownership_the_way_the_chain_checks_it() {
		let new = create("ccre tenant", vec![], days(30)).expect("created");
		let owner = [5u8; 32];
		let proof = ownership_proof(&new.key_pem, &owner, &new.der).expect("signed");
		let verify = ccre_primitives::certificate::verify_ownership;
		assert_eq!(verify(&new.der, &owner, &proof), Ok(()));
		assert_eq!(verify(&new.der, &[6u8; 32], &proof), Err(CertificateError::BadOwnershipProof));
		assert!(ownership_proof("junk", &owner, &new.der).is_err());
	}
}
