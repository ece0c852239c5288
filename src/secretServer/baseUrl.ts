import * as l10n from '@vscode/l10n';
import { ActionableError } from '../core/actionableError';

// Users paste whatever is in their address bar: the cloud tenant root, an on-premises virtual
// directory, a page inside the web app, or an API URL. All calls need the base (the part before
// /api and /oauth2), so it is recovered once here.

export type SecretServerKind = 'cloud' | 'onPremises';

export interface SecretServerUrl {
  /** https://host[/virtual-dir], no trailing slash. */
  baseUrl: string;
  kind: SecretServerKind;
  /** Secret Server Cloud tenant name (the first DNS label). */
  tenant?: string;
  /** Secret Server Cloud top-level domain, which fixes its geography (com, com.au, ca, eu, com.sg). */
  cloudDomain?: string;
}

const cloudHost = /^([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)\.secretservercloud\.(com|com\.au|ca|eu|com\.sg)$/i;

// Path segments that belong to the web app or the API rather than to the installation's base.
const appSuffix = /\/(?:api(?:\/.*)?|oauth2(?:\/.*)?|app(?:\/.*)?|winauthwebservices(?:\/.*)?|[^/]+\.aspx(?:\/.*)?)$/i;

/** Normalises a Secret Server URL or throws an 'invalidInput' ActionableError saying what to type. */
export function parseSecretServerUrl(input: string): SecretServerUrl {
  const raw = input.trim();
  const example = l10n.t('for example https://yourtenant.secretservercloud.com or https://server.example.com/SecretServer');
  if (raw === '') throw new ActionableError(l10n.t('The Secret Server URL is empty; enter the address you sign in at, {0}.', example), 'invalidInput');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ActionableError(l10n.t('"{0}" is not a valid Secret Server URL; enter the address you sign in at, {1}.', raw, example), 'invalidInput');
  }
  if (url.protocol !== 'https:') {
    // The password and bearer tokens travel on every call; plain HTTP would expose them.
    throw new ActionableError(l10n.t('The Secret Server URL must use https:// because passwords and tokens are sent to it; enter the HTTPS address, {0}.', example), 'invalidInput');
  }
  if (url.username || url.password) {
    throw new ActionableError(l10n.t('The Secret Server URL must not contain a user name or password; remove them from the URL and sign in when asked.'), 'invalidInput');
  }
  let path = safeDecode(url.pathname).replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  // Strip app/API suffixes repeatedly: ".../SecretServer/app/#/..." leaves "/SecretServer".
  for (let previous = ''; previous !== path; ) {
    previous = path;
    path = path.replace(appSuffix, '').replace(/\/+$/, '');
  }
  const host = url.host.toLowerCase();
  const baseUrl = `https://${host}${path.split('/').map(encodeURIComponent).join('/')}`;
  const cloud = cloudHost.exec(url.hostname);
  if (cloud && path === '') {
    return { baseUrl, kind: 'cloud', tenant: cloud[1].toLowerCase(), cloudDomain: cloud[2].toLowerCase() };
  }
  return { baseUrl, kind: 'onPremises' };
}

/** Joins the base with an absolute service path such as /api/v1/healthcheck or /oauth2/token. */
export function serviceUrl(baseUrl: string, servicePath: string, query?: Record<string, string | number | boolean | undefined>): string {
  const url = new URL(`${baseUrl}${servicePath}`);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  return url.toString();
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
