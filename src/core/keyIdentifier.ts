import * as l10n from '@vscode/l10n';
// Managed HSM key identifiers as users paste them and as Secret Server stores them:
//   https://{hsm}.managedhsm.azure.net/keys/{name}[/{version}][/]
// A key URL that points anywhere else (a Key Vault vault, another cloud, plain http) must be
// refused before it reaches Secret Server, because Secret Server only finds out when it next needs
// its master key.

export interface KeyIdentifier {
  /** The HSM's data-plane URI with a trailing slash, e.g. 'https://contoso.managedhsm.azure.net/'. */
  hsmUri: string;
  /** Scheme, host and (non-default) port, without a trailing slash. */
  origin: string;
  name: string;
  /** Undefined for a versionless identifier (Secret Server then uses the latest version). */
  version?: string;
  /** 'https://…/keys/{name}' */
  versionlessId: string;
  /** The canonical identifier: versioned when a version was given, without a trailing slash. */
  id: string;
}

/** Which hosts count as Managed HSMs: the cloud's DNS suffix, or (sandbox) an explicit list of origins. */
export interface HsmHostRules {
  /** e.g. 'managedhsm.azure.net' */
  dnsSuffix?: string;
  /** e.g. ['https://127.0.0.1:8443'] */
  origins?: readonly string[];
}

export type KeyIdentifierResult = { ok: true; value: KeyIdentifier } | { ok: false; reason: string };

const keyNamePattern = /^[0-9a-zA-Z-]{1,127}$/;
const versionPattern = /^[0-9a-fA-F]{32}$/;

// Key Vault vault hosts of every cloud: a vault cannot hold an oct-HSM key, so such a URL is the
// most likely mistake and deserves its own sentence.
const keyVaultSuffixes = ['vault.azure.net', 'vault.usgovcloudapi.net', 'vault.azure.cn', 'vault.microsoftazure.de'];

const managedHsmSuffixes: Record<string, string> = {
  'managedhsm.azure.net': 'Azure',
  'managedhsm.usgovcloudapi.net': 'Azure US Government',
  'managedhsm.azure.cn': 'Azure operated by 21Vianet',
};

/** Why `name` is not a valid Managed HSM key name, or undefined when it is. */
export function keyNameProblem(name: string): string | undefined {
  if (name.length === 0) return l10n.t('A key name is required.');
  if (name.length > 127) return l10n.t('The key name is {0} characters long; Managed HSM allows at most 127.', name.length);
  if (!keyNamePattern.test(name)) return l10n.t('The key name \'{0}\' may contain only letters, digits and hyphens.', name);
  return undefined;
}

export function isValidKeyName(name: string): boolean {
  return keyNameProblem(name) === undefined;
}

/** Builds an identifier from its parts; `hsmUri` may or may not end with '/'. */
export function formatKeyIdentifier(hsmUri: string, name: string, version?: string): string {
  const base = `${hsmUri.replace(/\/+$/, '')}/keys/${name}`;
  return version ? `${base}/${version}` : base;
}

/**
 * Parses a Managed HSM key identifier. With `rules`, the host must also belong to the cloud the
 * user is signed in to; without them any https host is accepted.
 */
export function parseKeyIdentifier(text: string, rules?: HsmHostRules): KeyIdentifierResult {
  const input = text.trim();
  if (input === '') return fail(l10n.t('A key identifier is required.'));
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return fail(l10n.t('\'{0}\' is not a URL. Expected https://{hsm-name}.managedhsm.azure.net/keys/{key-name}/{version}.', input));
  }
  if (url.protocol !== 'https:') return fail(l10n.t('The key identifier must use https, not {0}.', url.protocol.replace(':', '')));
  if (url.username || url.password) return fail(l10n.t('The key identifier must not contain a user name or password.'));
  if (url.search || url.hash) return fail(l10n.t('The key identifier must not contain a query string or fragment.'));

  const host = url.hostname.toLowerCase();
  const vaultSuffix = keyVaultSuffixes.find((s) => host.endsWith(`.${s}`));
  if (vaultSuffix) {
    return fail(
      l10n.t('\'{0}\' is an Azure Key Vault vault, not a Managed HSM. Secret Server needs an oct-HSM key, which only a Managed HSM (*.managedhsm.azure.net) can hold.', host),
    );
  }
  const hostProblem = rules ? hostRuleProblem(url, rules) : undefined;
  if (hostProblem) return fail(hostProblem);

  const pathProblemOrParts = splitKeyPath(url.pathname);
  if (typeof pathProblemOrParts === 'string') return fail(pathProblemOrParts);
  const { name, version } = pathProblemOrParts;

  const origin = url.origin;
  const versionlessId = formatKeyIdentifier(origin, name);
  return {
    ok: true,
    value: { hsmUri: `${origin}/`, origin, name, version, versionlessId, id: version ? `${versionlessId}/${version}` : versionlessId },
  };
}

/** Why `hsmUri` is not an HSM of the cloud described by `rules`, or undefined when it is. */
export function hsmUriProblem(hsmUri: string, rules: HsmHostRules): string | undefined {
  let url: URL;
  try {
    url = new URL(hsmUri);
  } catch {
    return l10n.t('\'{0}\' is not a URL.', hsmUri);
  }
  if (url.protocol !== 'https:') return l10n.t('The Managed HSM URI must use https, not {0}.', url.protocol.replace(':', ''));
  return hostRuleProblem(url, rules);
}

function hostRuleProblem(url: URL, rules: HsmHostRules): string | undefined {
  const host = url.hostname.toLowerCase();
  if (rules.origins) {
    const wanted = new Set(rules.origins.map((o) => safeOrigin(o)));
    if (wanted.has(url.origin)) return undefined;
    if (!rules.dnsSuffix) return l10n.t('\'{0}\' is not one of the Managed HSMs of this environment.', url.origin);
  }
  if (rules.dnsSuffix) {
    const suffix = rules.dnsSuffix.toLowerCase().replace(/^\./, '');
    const label = host.endsWith(`.${suffix}`) ? host.slice(0, -(suffix.length + 1)) : undefined;
    if (label !== undefined && /^[a-z0-9-]+$/.test(label) && url.port === '') return undefined;
    const otherCloud = Object.entries(managedHsmSuffixes).find(([s]) => s !== suffix && host.endsWith(`.${s}`));
    if (otherCloud) {
      return l10n.t('\'{0}\' is a Managed HSM in {1}, but you are signed in to a different cloud. Switch the cloud or use an HSM ending in .{2}.', host, otherCloud[1], suffix);
    }
    return l10n.t('\'{0}\' is not a Managed HSM host: expected {hsm-name}.{1}.', url.host, suffix);
  }
  return undefined;
}

function splitKeyPath(pathname: string): { name: string; version?: string } | string {
  const expected = l10n.t('The key identifier must have the path /keys/{key-name} or /keys/{key-name}/{version}.');
  const trimmed = pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  const segments = trimmed.split('/').slice(1);
  if (segments.length < 2 || segments.length > 3 || segments[0].toLowerCase() !== 'keys') {
    const kind = segments[0]?.toLowerCase();
    if (kind === 'secrets' || kind === 'certificates') {
      return l10n.t('The identifier points at a {0}, not a key. {1}', kind.slice(0, -1), expected);
    }
    return expected;
  }
  const name = decodeSegment(segments[1]);
  const nameProblem = name === undefined ? expected : keyNameProblem(name);
  if (nameProblem || name === undefined) return nameProblem ?? expected;
  if (segments.length === 2) return { name };
  const version = segments[2];
  if (!versionPattern.test(version)) return l10n.t('\'{0}\' is not a key version: versions are 32 hexadecimal characters.', version);
  return { name, version };
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function safeOrigin(origin: string): string {
  try {
    return new URL(origin).origin;
  } catch {
    return origin;
  }
}

function fail(reason: string): KeyIdentifierResult {
  return { ok: false, reason };
}
