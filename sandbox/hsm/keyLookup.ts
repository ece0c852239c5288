import { HttpError } from '../http/exchange';
import type { DeletedHsmKey, Hsm, HsmKey, KeyVersion } from '../state/world';

// Finding keys, versions and deleted keys, with the service's 404s. Key Vault object names are
// case-insensitive (the stored spelling is the one returned in identifiers).

export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Listing order: by name, ignoring case. */
export function compareNames(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

export function findKey(hsm: Hsm, name: string): HsmKey | undefined {
  return hsm.keys.find((k) => sameName(k.name, name));
}

export function keyNotFound(name: string, version?: string): HttpError {
  const id = version ? `${name}/${version}` : name;
  return new HttpError(
    404,
    'KeyNotFound',
    `A key with (name/id) ${id} was not found in this key vault. If you recently deleted this key you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
  );
}

export function requireKey(hsm: Hsm, name: string): HsmKey {
  const key = findKey(hsm, name);
  if (!key) throw keyNotFound(name);
  return key;
}

/** The named version, or the current one when `version` is empty (the SDK's `/keys/{name}/`). */
export function requireVersion(hsm: Hsm, name: string, version: string | undefined): { key: HsmKey; version: KeyVersion } {
  const key = findKey(hsm, name);
  if (!key) throw keyNotFound(name, version);
  if (!version) return { key, version: key.versions[key.versions.length - 1] };
  const found = key.versions.find((v) => v.version.toLowerCase() === version.toLowerCase());
  if (!found) throw keyNotFound(name, version);
  return { key, version: found };
}

/** A soft-deleted key still inside its retention period (past it, the service has purged it). */
export function findDeleted(hsm: Hsm, name: string, now: number): DeletedHsmKey | undefined {
  return hsm.deletedKeys.find((d) => sameName(d.key.name, name) && d.scheduledPurgeDate > now);
}

export function requireDeleted(hsm: Hsm, name: string, now: number): DeletedHsmKey {
  const deleted = findDeleted(hsm, name, now);
  if (!deleted) throw new HttpError(404, 'KeyNotFound', `Deleted Key not found: ${name}`);
  return deleted;
}

export function liveDeletions(hsm: Hsm, now: number): DeletedHsmKey[] {
  return hsm.deletedKeys.filter((d) => d.scheduledPurgeDate > now);
}

/** Inside a mutation: forget deleted keys whose scheduled purge date has passed. */
export function dropExpiredDeletions(hsm: Hsm, now: number): void {
  hsm.deletedKeys = liveDeletions(hsm, now);
}
