import { createHmac, randomBytes } from 'node:crypto';

// RFC 6238 time-based one-time passwords (SHA-1, 6 digits, 30-second steps), the kind an
// authenticator app produces for Secret Server's two-factor users. Time comes from the sandbox clock.

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function newOtpSecret(): string {
  return Array.from(randomBytes(20), (b) => alphabet[b % 32]).join('');
}

function base32Decode(text: string): Buffer {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text.replace(/=+$/, '').toUpperCase()) {
    const index = alphabet.indexOf(ch);
    if (index < 0) throw new Error('not base32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function codeAt(secret: Buffer, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

/** Accepts the code of the current step and of one step either side (clock drift). */
export function otpMatches(secretBase32: string, code: string, nowSeconds: number): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  const secret = base32Decode(secretBase32);
  const step = Math.floor(nowSeconds / 30);
  return [step - 1, step, step + 1].some((s) => codeAt(secret, s) === code);
}
