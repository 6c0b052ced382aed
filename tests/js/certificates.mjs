// Proofs that a certificate's publisher holds its key, made the documented way with Node's
// crypto: the certificate's P-256 key signs (ECDSA over SHA-256, DER-encoded) the bytes
// `ccre/certificate-owner/v1`, then the publishing account's 32 bytes, then the certificate's
// SHA-256 fingerprint.
import { createECDH, createHash, createPrivateKey, sign } from 'node:crypto';

/** What a certificate's key signs to let `owner` (32 bytes) publish the certificate `der`. */
export function ownershipMessage (owner, der) {
  return Buffer.concat([
    Buffer.from('ccre/certificate-owner/v1'),
    Buffer.from(owner),
    createHash('sha256').update(der).digest()
  ]);
}

/** The proof for `certificates.publish`, as 0x-prefixed hex; `key` is a Node private key or
 * PEM. */
export function ownershipProof (key, owner, der) {
  return '0x' + sign('sha256', ownershipMessage(owner, der), key).toString('hex');
}

/** A P-256 private key from the 32 bytes of its scalar, as the fixtures keep them. */
export function keyFromScalar (scalar) {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(scalar);
  const point = ecdh.getPublicKey();
  return createPrivateKey({
    format: 'jwk',
    key: {
      kty: 'EC',
      crv: 'P-256',
      d: scalar.toString('base64url'),
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33).toString('base64url')
    }
  });
}
