import type { SandboxContext } from '../context';

/** A Managed HSM key the Secret Server may call: resolved to the sandbox listener that serves it. */
export interface HsmKeyLocation {
  /** Origin to call (the sandbox listener of that HSM). */
  origin: string;
  hsmName: string;
  keyName: string;
  /** Absent for a versionless URL: the HSM's current version is used. */
  version?: string;
}

export type KeyUrlCheck = { ok: true; location: HsmKeyLocation } | { ok: false; code: 'ManagedHsmUrlInvalid' | 'ManagedHsmUnreachable'; reason: string };

const keyNamePattern = /^[0-9a-zA-Z-]{1,127}$/;
const versionPattern = /^[0-9a-fA-F]{32}$/;
const vaultSuffixes = ['.vault.azure.net', '.vault.azure.cn', '.vault.usgovcloudapi.net', '.vault.microsoftazure.de'];
const hsmSuffix = '.managedhsm.azure.net';
const shape = 'https://{hsm-name}.managedhsm.azure.net/keys/{key-name}[/{version}]';

/**
 * Accepts the sandbox's own HSM origins (what ARM's hsmUri and the key ids show) and the public
 * `{name}.managedhsm.azure.net` form, which maps to the sandbox HSM of that name. Anything else
 * is refused before any network call, so the server never reaches an address it was handed.
 */
export function parseKeyUrl(ctx: SandboxContext, text: string): KeyUrlCheck {
  const invalid = (why: string): KeyUrlCheck => ({ ok: false, code: 'ManagedHsmUrlInvalid', reason: `The key URL is not a Managed HSM key URL: ${why} Expected ${shape}.` });
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return invalid('it is not an absolute URL.');
  }
  if (url.protocol !== 'https:') return invalid(`it uses ${url.protocol.replace(':', '')}, not https.`);
  if (url.username || url.password) return invalid('it carries user information.');
  if (url.search || url.hash || text.includes('?') || text.includes('#')) return invalid('it has a query or fragment.');
  const host = url.hostname.toLowerCase();
  if (vaultSuffixes.some((s) => host.endsWith(s))) {
    return invalid(`'${host}' is an Azure Key Vault vault. Secret Server supports keys in Azure Key Vault Managed HSM only (Standard and Premium vaults are not supported).`);
  }

  let hsmName: string | undefined;
  let origin: string | undefined;
  if (host.endsWith(hsmSuffix)) {
    hsmName = host.slice(0, -hsmSuffix.length);
    if (!ctx.store.world.hsms.some((h) => h.name === hsmName) || !ctx.origins.hsms[hsmName]) {
      return { ok: false, code: 'ManagedHsmUnreachable', reason: `The Managed HSM host '${host}' could not be reached (no such host).` };
    }
    origin = ctx.origins.hsms[hsmName];
  } else {
    const entry = Object.entries(ctx.origins.hsms).find(([, o]) => o.toLowerCase() === url.origin.toLowerCase());
    if (!entry) return invalid(`'${url.host}' is not a Managed HSM host.`);
    [hsmName, origin] = entry;
  }

  const segments = url.pathname.split('/').filter(Boolean).map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  if (segments.length < 2 || segments.length > 3 || segments[0].toLowerCase() !== 'keys') return invalid(`the path '${url.pathname}' is not /keys/{key-name} or /keys/{key-name}/{version}.`);
  if (!keyNamePattern.test(segments[1])) return invalid(`'${segments[1]}' is not a valid key name (letters, digits and '-').`);
  if (segments[2] !== undefined && !versionPattern.test(segments[2])) return invalid(`'${segments[2]}' is not a key version (32 hexadecimal characters).`);
  return { ok: true, location: { origin, hsmName, keyName: segments[1], version: segments[2]?.toLowerCase() } };
}
