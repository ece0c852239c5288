import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// Passwords and client secrets are kept as salted hashes: the sandbox, like Entra ID, can check a
// secret but never show it again.

export function hashSecret(secret: string): string {
  const salt = randomBytes(16).toString('base64url');
  return `${salt}:${digest(salt, secret)}`;
}

export function secretMatches(secret: string, stored: string): boolean {
  const [salt, expected] = stored.split(':');
  if (!salt || !expected) return false;
  const actual = Buffer.from(digest(salt, secret));
  const wanted = Buffer.from(expected);
  return actual.length === wanted.length && timingSafeEqual(actual, wanted);
}

/** A new client secret in Entra ID's shape: 40 characters with `8Q~` after the three-character hint. */
export function newClientSecretText(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.~';
  const bytes = randomBytes(37);
  const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]);
  return `${chars.slice(0, 3).join('')}8Q~${chars.slice(3, 37).join('')}`;
}

function digest(salt: string, secret: string): string {
  return createHash('sha256').update(`${salt}\u0000${secret}`).digest('base64url');
}
