import * as https from 'node:https';
import { createHash } from 'node:crypto';
import type { SandboxContext } from '../context';
import type { HsmKeyLocation } from './keyUrl';

// Secret Server's own outbound calls to Azure, made exactly as an external client would make them:
// a client-credentials token from the (sandbox) Entra ID token endpoint, then the Managed HSM
// data plane over HTTPS, trusting the sandbox CA. Nothing here reaches into the emulators' code.

export interface PrincipalCredentials {
  tenantId: string;
  principalId: string;
  principalSecret: string;
}

/** A failure named for its cause; `code` becomes the API's errorCode (prefixed with API_). */
export class KeyAccessError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** What Azure said, first line only (never any credential). */
    readonly detail?: string,
  ) {
    super(message);
  }
}

export interface KeySummary {
  kid: string;
  version: string;
  kty: string;
  keySize?: number;
  keyOps: string[];
  enabled: boolean;
  nbf?: number;
  exp?: number;
}

interface Reply {
  status: number;
  body: unknown;
}

const hsmApiVersion = '7.4';
const hsmScope = 'https://managedhsm.azure.net/.default';
const requestTimeoutMs = 15_000;

export class AzureKeyAccess {
  private readonly agent: https.Agent;
  private readonly tokens = new Map<string, { token: string; expiresAtMs: number }>();

  constructor(private readonly ctx: SandboxContext) {
    this.agent = new https.Agent({ ca: ctx.tls.caPem, keepAlive: true, maxSockets: 16 });
  }

  close(): void {
    this.agent.destroy();
  }

  /** A Managed HSM access token for the principal, cached until shortly before it expires (sandbox clock). */
  async token(creds: PrincipalCredentials): Promise<string> {
    const cacheKey = createHash('sha256').update(`${creds.tenantId}\u0000${creds.principalId}\u0000${creds.principalSecret}`).digest('base64url');
    const cached = this.tokens.get(cacheKey);
    if (cached && cached.expiresAtMs - 60_000 > this.ctx.clock.nowMs()) return cached.token;
    this.tokens.delete(cacheKey);
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: creds.principalId, client_secret: creds.principalSecret, scope: hsmScope });
    const url = `${this.ctx.origins.authority}/${encodeURIComponent(creds.tenantId)}/oauth2/v2.0/token`;
    let reply: Reply;
    try {
      reply = await this.send('POST', url, Buffer.from(form.toString()), { 'content-type': 'application/x-www-form-urlencoded' });
    } catch (err) {
      throw new KeyAccessError('AzureSignInUnreachable', `Azure sign-in failed: the Entra ID token endpoint could not be reached (${(err as Error).message}).`);
    }
    const body = (reply.body ?? {}) as { access_token?: unknown; expires_in?: unknown; error?: unknown; error_codes?: unknown; error_description?: unknown };
    if (reply.status === 200 && typeof body.access_token === 'string') {
      const lifetime = typeof body.expires_in === 'number' ? body.expires_in : 3599;
      this.tokens.set(cacheKey, { token: body.access_token, expiresAtMs: this.ctx.clock.nowMs() + lifetime * 1000 });
      return body.access_token;
    }
    throw signInFailure(creds, reply.status, body);
  }

  /** Forgets cached tokens, e.g. after the HSM refused one. */
  forgetTokens(): void {
    this.tokens.clear();
  }

  async getKey(loc: HsmKeyLocation, token: string, creds: PrincipalCredentials): Promise<KeySummary> {
    const reply = await this.hsm('GET', loc, `/keys/${encodeURIComponent(loc.keyName)}/${loc.version ?? ''}`, token, undefined, creds, 'read');
    const body = reply as { key?: { kid?: unknown; kty?: unknown; key_ops?: unknown; key_size?: unknown }; attributes?: { enabled?: unknown; nbf?: unknown; exp?: unknown } };
    const kid = typeof body.key?.kid === 'string' ? body.key.kid : '';
    const version = kid.split('/').filter(Boolean).pop() ?? '';
    return {
      kid,
      version,
      kty: typeof body.key?.kty === 'string' ? body.key.kty : 'unknown',
      keySize: typeof body.key?.key_size === 'number' ? body.key.key_size : undefined,
      keyOps: Array.isArray(body.key?.key_ops) ? body.key.key_ops.filter((o): o is string => typeof o === 'string') : [],
      enabled: body.attributes?.enabled !== false,
      nbf: typeof body.attributes?.nbf === 'number' ? body.attributes.nbf : undefined,
      exp: typeof body.attributes?.exp === 'number' ? body.attributes.exp : undefined,
    };
  }

  async wrap(loc: HsmKeyLocation & { version: string }, token: string, creds: PrincipalCredentials, key: Buffer): Promise<{ kid: string; value: Buffer }> {
    return this.crypto('wrapkey', loc, token, creds, key);
  }

  async unwrap(loc: HsmKeyLocation & { version: string }, token: string, creds: PrincipalCredentials, wrapped: Buffer): Promise<{ kid: string; value: Buffer }> {
    return this.crypto('unwrapkey', loc, token, creds, wrapped);
  }

  private async crypto(op: 'wrapkey' | 'unwrapkey', loc: HsmKeyLocation & { version: string }, token: string, creds: PrincipalCredentials, input: Buffer) {
    const path = `/keys/${encodeURIComponent(loc.keyName)}/${loc.version}/${op}`;
    const reply = (await this.hsm('POST', loc, path, token, { alg: 'A256KW', value: input.toString('base64url') }, creds, op === 'wrapkey' ? 'wrap' : 'unwrap')) as {
      kid?: unknown;
      value?: unknown;
    };
    if (typeof reply.value !== 'string') throw new KeyAccessError('ManagedHsmRequestFailed', `Managed HSM '${loc.hsmName}' answered ${op} without a value.`);
    return { kid: typeof reply.kid === 'string' ? reply.kid : '', value: Buffer.from(reply.value, 'base64url') };
  }

  private async hsm(method: string, loc: HsmKeyLocation, path: string, token: string, json: unknown, creds: PrincipalCredentials, operation: string): Promise<unknown> {
    const url = `${loc.origin}${path}?api-version=${hsmApiVersion}`;
    const payload = json === undefined ? undefined : Buffer.from(JSON.stringify(json));
    let reply: Reply;
    try {
      reply = await this.send(method, url, payload, {
        authorization: `Bearer ${token}`,
        ...(payload ? { 'content-type': 'application/json' } : {}),
      });
    } catch (err) {
      throw new KeyAccessError('ManagedHsmUnreachable', `Managed HSM '${loc.hsmName}' could not be reached (${(err as Error).message}).`);
    }
    if (reply.status === 200) return reply.body;
    if (reply.status === 401) this.forgetTokens();
    throw hsmFailure(reply, loc, creds, operation);
  }

  private send(method: string, url: string, payload: Buffer | undefined, headers: Record<string, string>): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        url,
        { method, agent: this.agent, timeout: requestTimeoutMs, headers: { accept: 'application/json', ...headers, ...(payload ? { 'content-length': String(payload.length) } : {}) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              body = undefined;
            }
            resolve({ status: res.statusCode ?? 0, body });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }
}

function firstLine(text: unknown): string | undefined {
  return typeof text === 'string' ? text.split(/\r?\n/)[0] : undefined;
}

function signInFailure(creds: PrincipalCredentials, status: number, body: { error?: unknown; error_codes?: unknown; error_description?: unknown }): KeyAccessError {
  const detail = firstLine(body.error_description) ?? `HTTP ${status}`;
  const codes = Array.isArray(body.error_codes) ? body.error_codes : [];
  const numeric = codes.find((c): c is number => typeof c === 'number') ?? Number(/AADSTS(\d+)/.exec(detail)?.[1] ?? NaN);
  const app = `application '${creds.principalId}'`;
  switch (numeric) {
    case 90002:
      return new KeyAccessError('AzureTenantNotFound', `Azure sign-in failed: the tenant '${creds.tenantId}' was not found (AADSTS90002). Check the Azure Managed HSM tenant ID.`, detail);
    case 700016:
      return new KeyAccessError('AzureApplicationNotFound', `Azure sign-in failed: ${app} was not found in tenant '${creds.tenantId}' (AADSTS700016). Check the Azure Managed HSM principal (client) ID.`, detail);
    case 7000215:
      return new KeyAccessError('AzureClientSecretInvalid', `Azure sign-in failed: the principal secret is not a valid client secret of ${app} (AADSTS7000215). Use the secret's value, not its ID.`, detail);
    case 7000222:
      return new KeyAccessError('AzureClientSecretExpired', `Azure sign-in failed: the client secret of ${app} has expired (AADSTS7000222). Create a new client secret and give it to Secret Server.`, detail);
    default:
      return new KeyAccessError('AzureSignInFailed', `Azure sign-in failed for ${app}: ${detail}`, detail);
  }
}

function hsmFailure(reply: Reply, loc: HsmKeyLocation, creds: PrincipalCredentials, operation: string): KeyAccessError {
  const error = ((reply.body ?? {}) as { error?: { code?: unknown; message?: unknown; innererror?: { code?: unknown } | null } }).error ?? {};
  const code = typeof error.code === 'string' ? error.code : '';
  const inner = typeof error.innererror?.code === 'string' ? error.innererror.code : '';
  const message = typeof error.message === 'string' ? error.message : '';
  const detail = `${reply.status} ${code}: ${message}`.trim();
  const key = `key '${loc.keyName}'${loc.version ? ` (version ${loc.version})` : ''} in Managed HSM '${loc.hsmName}'`;
  if (reply.status === 401) return new KeyAccessError('ManagedHsmTokenRejected', `Managed HSM '${loc.hsmName}' rejected the access token of application '${creds.principalId}'.`, detail);
  if (code === 'HsmNotActivated' || /not activated/i.test(message)) {
    return new KeyAccessError('ManagedHsmNotActivated', `Managed HSM '${loc.hsmName}' is not activated: download its security domain before using its keys.`, detail);
  }
  if (code === 'AccessDenied' || (reply.status === 403 && /not authori[sz]ed/i.test(message))) {
    return new KeyAccessError(
      'ManagedHsmAccessDenied',
      `AccessDenied: application '${creds.principalId}' may not ${operation} with ${key}. Assign it the Managed HSM Crypto User role scoped to /keys/${loc.keyName}.`,
      detail,
    );
  }
  if (inner === 'KeyOperationForbidden' || /not permitted/i.test(message)) {
    return new KeyAccessError('ManagedHsmKeyOperationsMissing', `The ${key} does not permit the ${operation === 'wrap' ? 'wrapKey' : operation === 'unwrap' ? 'unwrapKey' : operation} operation; its operations must include wrapKey and unwrapKey.`, detail);
  }
  if (inner === 'KeyDisabled' || /disabled/i.test(message)) return new KeyAccessError('ManagedHsmKeyDisabled', `The ${key} is disabled. Enable it again to use it.`, detail);
  if (inner === 'KeyExpired' || inner === 'KeyNotYetValid' || /expired|not yet valid|\bnbf\b|\bexp\b/i.test(message)) return new KeyAccessError('ManagedHsmKeyNotValidNow', `The ${key} is outside its activation and expiry dates.`, detail);
  if (reply.status === 404) {
    return new KeyAccessError('ManagedHsmKeyNotFound', `The ${key} was not found. If it was deleted, recover it from the HSM's deleted keys.`, detail);
  }
  if (reply.status === 400 && (operation === 'wrap' || operation === 'unwrap') && /alg|algorithm|size|length|type/i.test(message)) {
    return new KeyAccessError('ManagedHsmKeyTypeNotSupported', `The ${key} cannot ${operation} with A256KW: Secret Server needs an AES key (oct-HSM) of size 256.`, detail);
  }
  if (operation === 'unwrap' && reply.status === 400) {
    return new KeyAccessError('ManagedHsmUnwrapFailed', `The ${key} could not unwrap Secret Server's master key (it was wrapped by another key or version).`, detail);
  }
  return new KeyAccessError('ManagedHsmRequestFailed', `Managed HSM '${loc.hsmName}' refused to ${operation} with ${key}: ${detail}`, detail);
}
