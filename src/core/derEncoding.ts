// The handful of ASN.1 DER encodings a self-signed X.509 certificate needs (ITU-T X.690). Node's
// crypto can sign and export keys but cannot build a certificate; these few rules are all it takes,
// and avoid shipping a certificate library (and its reflection shim) in the extension.

function lengthBytes(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function derElement(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), lengthBytes(content.length), content]);
}

export function derSequence(...items: Buffer[]): Buffer {
  return derElement(0x30, Buffer.concat(items));
}

export function derSet(...items: Buffer[]): Buffer {
  return derElement(0x31, Buffer.concat(items));
}

/** A non-negative integer given as big-endian bytes (a leading zero keeps it positive). */
export function derUnsignedInteger(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return derElement(0x02, trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

export function derSmallInteger(value: number): Buffer {
  return derUnsignedInteger(Buffer.from([value & 0xff]));
}

export function derObjectIdentifier(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const bytes: number[] = [parts[0] * 40 + parts[1]];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    for (let n = Math.floor(part / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift((n & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return derElement(0x06, Buffer.from(bytes));
}

export function derNull(): Buffer {
  return Buffer.from([0x05, 0x00]);
}

export function derUtf8String(text: string): Buffer {
  return derElement(0x0c, Buffer.from(text, 'utf8'));
}

export function derBitString(content: Buffer): Buffer {
  return derElement(0x03, Buffer.concat([Buffer.from([0]), content]));
}

export function derOctetString(content: Buffer): Buffer {
  return derElement(0x04, content);
}

/** UTCTime before 2050, GeneralizedTime from then on (RFC 5280 §4.1.2.5). */
export function derTime(date: Date): Buffer {
  const iso = date.toISOString();
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '');
  if (date.getUTCFullYear() < 2050) return derElement(0x17, Buffer.from(`${digits.slice(2)}Z`, 'ascii'));
  return derElement(0x18, Buffer.from(`${digits}Z`, 'ascii'));
}

/** Context-specific, constructed, explicit tag [n]. */
export function derExplicit(n: number, content: Buffer): Buffer {
  return derElement(0xa0 | n, content);
}
