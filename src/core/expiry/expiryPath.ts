// Every watched object has a path, and the path is its identity everywhere: in the tree (as the
// path of a `mhsm-expiry:` resource URI), in the notification record (snooze, "don't show") and in
// propagation (a parent's path is a prefix-free sibling form, listed below). Paths never hold a
// secret: a client secret is named by its Graph keyId, never by its value or hint.
//
//   /secretServer/{connectionId}
//   /app/{appId}
//   /app/{appId}/secret/{keyId}
//   /hsm/{host}                          host with port when not 443, e.g. 127.0.0.1%3A8443
//   /hsm/{host}/key/{name}
//   /hsm/{host}/key/{name}/version/{version}
// Each segment is encodeURIComponent-encoded and lower-cased where the service is case-insensitive
// (GUIDs, host names, key versions).

const enc = encodeURIComponent;

export function secretServerPath(connectionId: string): string {
  return `/secretServer/${enc(connectionId)}`;
}

export function appPath(appId: string): string {
  return `/app/${enc(appId.toLowerCase())}`;
}

export function clientSecretPath(appId: string, keyId: string): string {
  return `${appPath(appId)}/secret/${enc(keyId.toLowerCase())}`;
}

/** `hsmUriOrOrigin` is e.g. 'https://contoso.managedhsm.azure.net/' or an origin with a port. */
export function hsmPath(hsmUriOrOrigin: string): string {
  return `/hsm/${enc(new URL(hsmUriOrOrigin).host.toLowerCase())}`;
}

export function keyPath(hsmUriOrOrigin: string, name: string): string {
  return `${hsmPath(hsmUriOrOrigin)}/key/${enc(name.toLowerCase())}`;
}

export function keyVersionPath(hsmUriOrOrigin: string, name: string, version: string): string {
  return `${keyPath(hsmUriOrOrigin, name)}/version/${enc(version.toLowerCase())}`;
}

export type ExpiryPathKind = 'secretServer' | 'app' | 'clientSecret' | 'hsm' | 'key' | 'keyVersion';

/** Which kind of object a path names, or undefined for anything else. */
export function expiryPathKind(path: string): ExpiryPathKind | undefined {
  const s = path.split('/');
  if (s[0] !== '') return undefined;
  if (s[1] === 'secretServer' && s.length === 3) return 'secretServer';
  if (s[1] === 'app' && s.length === 3) return 'app';
  if (s[1] === 'app' && s.length === 5 && s[3] === 'secret') return 'clientSecret';
  if (s[1] === 'hsm' && s.length === 3) return 'hsm';
  if (s[1] === 'hsm' && s.length === 5 && s[3] === 'key') return 'key';
  if (s[1] === 'hsm' && s.length === 7 && s[3] === 'key' && s[5] === 'version') return 'keyVersion';
  return undefined;
}
