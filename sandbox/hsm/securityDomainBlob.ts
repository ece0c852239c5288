import { constants, createCipheriv, publicEncrypt, randomBytes } from 'node:crypto';
import type { SecurityDomainRecipient } from './securityDomainCertificates';

// The downloaded security domain. Shaped like the real file (EncData + SharedKeys with one
// encrypted share per certificate), and honestly useless without a quorum of the private keys: a
// random domain key is split with Shamir's scheme over GF(256), each share is encrypted to one
// certificate with RSA-OAEP-256, and the HSM's (random, sandbox-only) domain secret is sealed under
// the domain key with AES-256-GCM.

export function createSecurityDomainBlob(recipients: SecurityDomainRecipient[], required: number): string {
  const domainKey = randomBytes(32);
  const shares = splitSecret(domainKey, recipients.length, required);
  const encShares = recipients.map((recipient, i) => ({
    x5t_256: recipient.thumbprint,
    enc_key: publicEncrypt({ key: recipient.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, shares[i]).toString('base64url'),
  }));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', domainKey, iv);
  const sealed = Buffer.concat([cipher.update(randomBytes(64)), cipher.final()]);
  const blob = {
    version: '1.0',
    EncData: { kdf: 'sp108_kdf', enc: 'A256GCM', iv: iv.toString('base64url'), tag: cipher.getAuthTag().toString('base64url'), data: sealed.toString('base64url') },
    SharedKeys: { key_algorithm: 'shamir_share', required, alg: 'RSA-OAEP-256', enc_shares: encShares },
  };
  return JSON.stringify(blob);
}

/** Shares are [x, y1..yn]: byte i of the secret is the constant term of a random polynomial. */
function splitSecret(secret: Buffer, count: number, threshold: number): Buffer[] {
  const shares = Array.from({ length: count }, (_, i) => {
    const share = Buffer.alloc(secret.length + 1);
    share[0] = i + 1;
    return share;
  });
  for (let b = 0; b < secret.length; b++) {
    const coefficients = [secret[b], ...randomBytes(threshold - 1)];
    for (const share of shares) {
      const x = share[0];
      let y = 0;
      for (let c = coefficients.length - 1; c >= 0; c--) y = gfMul(y, x) ^ coefficients[c];
      share[b + 1] = y;
    }
  }
  return shares;
}

/** Multiplication in GF(2^8) with the AES polynomial. */
function gfMul(a: number, b: number): number {
  let product = 0;
  let x = a;
  let y = b;
  while (y > 0) {
    if (y & 1) product ^= x;
    x = x & 0x80 ? ((x << 1) ^ 0x11b) & 0xff : x << 1;
    y >>= 1;
  }
  return product;
}
