import { X509Certificate, createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { HttpError } from '../http/exchange';

// The body of POST /securitydomain/download (CertificateInfoObject in securitydomain.json 7.6):
// 3–10 SecurityDomainJsonWebKey entries, each an RSA public key with its certificate chain, and
// the quorum `required` (2–10, default 2) that must be at most the number of certificates.
// Each key's modulus and exponent must be those of its certificate, and x5t#S256 its thumbprint.

export interface SecurityDomainRecipient {
  /** SHA-256 thumbprint of the certificate, base64url: how the security domain names each share. */
  thumbprint: string;
  publicKey: KeyObject;
}

export interface SecurityDomainRequest {
  recipients: SecurityDomainRecipient[];
  required: number;
}

const requiredFields = ['kid', 'kty', 'key_ops', 'n', 'e', 'x5c', 'x5t#S256', 'alg'] as const;
const base64UrlPattern = /^[A-Za-z0-9_-]+$/;

function bad(message: string): HttpError {
  return new HttpError(400, 'BadParameter', message);
}

export function parseSecurityDomainRequest(body: Record<string, unknown>): SecurityDomainRequest {
  const certificates = body.certificates;
  if (!Array.isArray(certificates)) throw bad("The 'certificates' property is required and must be an array of 3 to 10 JSON web keys.");
  if (certificates.length < 3 || certificates.length > 10) {
    throw bad(`The security domain requires between 3 and 10 certificates; ${certificates.length} were provided.`);
  }
  let required = 2;
  if (body.required !== undefined) {
    const value = body.required;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 2 || value > 10) {
      throw bad(`The quorum 'required' must be a whole number from 2 to 10; '${String(value)}' was provided.`);
    }
    required = value;
  }
  if (required > certificates.length) {
    throw bad(`The quorum 'required' (${required}) cannot be larger than the number of certificates (${certificates.length}).`);
  }
  const recipients = certificates.map((entry, index) => parseCertificate(entry, index));
  const seen = new Set<string>();
  for (const r of recipients) {
    if (seen.has(r.thumbprint)) throw bad('The same certificate was provided more than once; each share of the security domain needs its own key.');
    seen.add(r.thumbprint);
  }
  return { recipients, required };
}

function parseCertificate(entry: unknown, index: number): SecurityDomainRecipient {
  const at = `certificates[${index}]`;
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw bad(`${at} must be a JSON web key object.`);
  const jwk = entry as Record<string, unknown>;
  for (const field of requiredFields) {
    if (jwk[field] === undefined || jwk[field] === null) throw bad(`${at} is missing the required property '${field}'.`);
  }
  if (jwk.kty !== 'RSA') throw bad(`${at}: the key type (kty) must be 'RSA' for the security domain.`);
  if (typeof jwk.kid !== 'string' || typeof jwk.alg !== 'string') throw bad(`${at}: 'kid' and 'alg' must be strings.`);
  if (!Array.isArray(jwk.key_ops) || jwk.key_ops.some((op) => typeof op !== 'string')) throw bad(`${at}: 'key_ops' must be an array of strings.`);
  if (jwk.use !== undefined && jwk.use !== 'enc') throw bad(`${at}: 'use' is optional, and if present must be 'enc'.`);
  for (const field of ['n', 'e', 'x5t#S256'] as const) {
    const value = jwk[field];
    if (typeof value !== 'string' || !base64UrlPattern.test(value)) throw bad(`${at}: '${field}' must be base64url text.`);
  }
  if (!Array.isArray(jwk.x5c) || jwk.x5c.length === 0 || jwk.x5c.some((c) => typeof c !== 'string')) {
    throw bad(`${at}: 'x5c' must be a non-empty array of base64 DER certificates.`);
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(Buffer.from(jwk.x5c[0] as string, 'base64'));
  } catch {
    throw bad(`${at}: the first 'x5c' entry is not a valid X.509 certificate.`);
  }
  const publicKey = certificate.publicKey;
  if (publicKey.asymmetricKeyType !== 'rsa') throw bad(`${at}: the certificate does not hold an RSA public key.`);
  const fromCertificate = publicKey.export({ format: 'jwk' });
  if (fromCertificate.n !== jwk.n || fromCertificate.e !== jwk.e) throw bad(`${at}: the key's 'n' and 'e' do not match the public key of its certificate.`);
  const bits = Buffer.from(fromCertificate.n ?? '', 'base64url').length * 8;
  if (bits < 2048) throw bad(`${at}: the RSA key is ${bits} bits; the security domain requires at least 2048 bits.`);
  const thumbprint = createHash('sha256').update(certificate.raw).digest('base64url');
  if (thumbprint !== jwk['x5t#S256']) throw bad(`${at}: 'x5t#S256' is not the SHA-256 thumbprint of the certificate.`);
  return { thumbprint, publicKey: createPublicKey(publicKey.export({ format: 'pem', type: 'spki' })) };
}
