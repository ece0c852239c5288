import { createHash, generateKeyPair, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import {
  derBitString,
  derExplicit,
  derNull,
  derObjectIdentifier,
  derOctetString,
  derSequence,
  derSet,
  derSmallInteger,
  derTime,
  derUnsignedInteger,
  derUtf8String,
} from '../core/derEncoding';

// The key pairs whose public halves go into a security domain download. Like `az keyvault
// security-domain download` with `openssl req -x509`: RSA keys generated here, on this machine,
// each with a self-signed certificate, because the service wants the certificate chain (x5c) and
// its SHA-256 thumbprint (x5t#S256) for every key (SecurityDomainJsonWebKey in securitydomain.json).

const generateRsa = promisify(generateKeyPair);

/** SecurityDomainJsonWebKey: the public key and certificate sent to the HSM. */
export interface SecurityDomainJsonWebKey {
  kid: string;
  kty: 'RSA';
  key_ops: string[];
  n: string;
  e: string;
  x5c: string[];
  use: 'enc';
  alg: 'RSA-OAEP-256';
  x5t: string;
  'x5t#S256': string;
}

export interface SecurityDomainKeyPair {
  /** The certificate's common name, also used as the kid. */
  name: string;
  certificatePem: string;
  /** PKCS#8 PEM. Write it once to where the user chose, then let it go. */
  privateKeyPem: string;
  jwk: SecurityDomainJsonWebKey;
}

export interface KeyPairOptions {
  /** Certificate names are `${namePrefix}-${i}`; e.g. the HSM name plus 'sd-key'. */
  namePrefix: string;
  now: Date;
  /** Certificate lifetime; the certificate's dates matter only as a label. */
  validDays?: number;
  modulusLength?: 2048 | 3072 | 4096;
  abortSignal?: AbortSignal;
}

export async function generateSecurityDomainKeyPairs(count: number, options: KeyPairOptions): Promise<SecurityDomainKeyPair[]> {
  const pairs: SecurityDomainKeyPair[] = [];
  for (let i = 1; i <= count; i++) {
    options.abortSignal?.throwIfAborted();
    const { publicKey, privateKey } = await generateRsa('rsa', { modulusLength: options.modulusLength ?? 2048, publicExponent: 0x10001 });
    const name = `${options.namePrefix}-${i}`;
    const der = selfSignedCertificate(name, publicKey, privateKey, options.now, options.validDays ?? 365);
    pairs.push({
      name,
      certificatePem: pemOf(der, 'CERTIFICATE'),
      privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      jwk: securityDomainJwk(der, name),
    });
  }
  return pairs;
}

/** The JWK for a certificate the user already has (PEM or DER); only RSA keys of 2048 bits or more qualify. */
export function securityDomainJwkFromCertificate(certificate: string | Buffer, kid?: string): SecurityDomainJsonWebKey {
  const parsed = new X509Certificate(certificate);
  const key = parsed.publicKey;
  if (key.asymmetricKeyType !== 'rsa') throw new Error('The certificate does not hold an RSA public key; the security domain needs RSA keys.');
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new Error('The certificate holds an RSA key shorter than 2048 bits; the security domain needs at least 2048.');
  return securityDomainJwk(parsed.raw, kid ?? (/CN=([^\n,]+)/.exec(parsed.subject)?.[1] ?? parsed.fingerprint256));
}

function securityDomainJwk(der: Buffer, kid: string): SecurityDomainJsonWebKey {
  const publicJwk = new X509Certificate(der).publicKey.export({ format: 'jwk' });
  return {
    kid,
    kty: 'RSA',
    key_ops: ['verify', 'encrypt', 'wrapKey'],
    n: publicJwk.n ?? '',
    e: publicJwk.e ?? '',
    x5c: [der.toString('base64')],
    use: 'enc',
    alg: 'RSA-OAEP-256',
    x5t: createHash('sha1').update(der).digest('base64url'),
    'x5t#S256': createHash('sha256').update(der).digest('base64url'),
  };
}

const oid = {
  sha256WithRsa: '1.2.840.113549.1.1.11',
  commonName: '2.5.4.3',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
};

/** An X.509 v3 certificate for `publicKey`, signed by its own private key (sha256WithRSAEncryption). */
function selfSignedCertificate(commonName: string, publicKey: KeyObject, privateKey: KeyObject, now: Date, validDays: number): Buffer {
  const algorithm = derSequence(derObjectIdentifier(oid.sha256WithRsa), derNull());
  const name = derSequence(derSet(derSequence(derObjectIdentifier(oid.commonName), derUtf8String(commonName))));
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  const notBefore = new Date(now.getTime() - 5 * 60_000);
  const notAfter = new Date(now.getTime() + validDays * 86_400_000);
  const extensions = derExplicit(
    3,
    derSequence(
      derSequence(derObjectIdentifier(oid.basicConstraints), derOctetString(derSequence())),
      // keyEncipherment (bit 2) and digitalSignature (bit 0): DER bit string '05 a0'.
      derSequence(derObjectIdentifier(oid.keyUsage), Buffer.from([0x01, 0x01, 0xff]), derOctetString(Buffer.from([0x03, 0x02, 0x05, 0xa0]))),
    ),
  );
  const tbs = derSequence(
    derExplicit(0, derSmallInteger(2)),
    derUnsignedInteger(serial),
    algorithm,
    name,
    derSequence(derTime(notBefore), derTime(notAfter)),
    name,
    publicKey.export({ format: 'der', type: 'spki' }),
    extensions,
  );
  const signature = sign('sha256', tbs, privateKey);
  return derSequence(tbs, algorithm, derBitString(signature));
}

function pemOf(der: Buffer, label: string): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
