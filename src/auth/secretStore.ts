// Where client secrets live: VS Code's SecretStorage (the OS keychain) satisfies this interface;
// nothing else in the extension may hold a secret beyond the call that uses it.

export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

/** Identifies one client secret of one app registration: Graph's passwordCredential keyId. */
export interface ClientSecretRef {
  tenantId: string;
  /** The app's client id (appId). */
  clientId: string;
  keyId: string;
}

/** `mhsm.clientSecret/<tenantId>/<clientId>/<keyId>`, lower-cased so that GUID spelling does not matter. */
export function clientSecretKey(ref: ClientSecretRef): string {
  return ['mhsm.clientSecret', ref.tenantId, ref.clientId, ref.keyId].map((part, i) => (i === 0 ? part : part.trim().toLowerCase())).join('/');
}
