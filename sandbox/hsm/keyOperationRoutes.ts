import { randomBytes } from 'node:crypto';
import { json, jsonObject, type SandboxRequest, type SandboxResponse } from '../http/exchange';
import type { Router } from '../http/router';
import type { SandboxContext } from '../context';
import { beginKeyRequest, keyScope } from './keyRequest';
import { requireVersion } from './keyLookup';
import { badParameter, requireKeyName } from './keyValidation';
import { decodeBase64Url, encodeBase64Url } from './base64Url';
import { requireUsable, type KeyOperation } from './keyUsage';
import { runKeyOperation } from './keyOperations';
import { keyId } from './keyBundle';

// Cryptography with a key version (wrapkey, unwrapkey, encrypt, decrypt) and random bytes. The SDK
// puts an empty version between two slashes for "latest", which arrives as /keys/{name}/wrapkey.

const operations: { path: string; operation: KeyOperation; dataAction: string }[] = [
  { path: 'wrapkey', operation: 'wrapKey', dataAction: '/keys/wrap/action' },
  { path: 'unwrapkey', operation: 'unwrapKey', dataAction: '/keys/unwrap/action' },
  { path: 'encrypt', operation: 'encrypt', dataAction: '/keys/encrypt/action' },
  { path: 'decrypt', operation: 'decrypt', dataAction: '/keys/decrypt/action' },
];

export function registerKeyOperationRoutes(r: Router, ctx: SandboxContext, hsmName: string): void {
  for (const op of operations) {
    const handler = (req: SandboxRequest) => keyOperation(ctx, req, hsmName, op.operation, op.dataAction);
    r.on('POST', `/keys/:name/${op.path}`, handler);
    r.on('POST', `/keys/:name/:version/${op.path}`, handler);
  }

  r.on('POST', '/rng', (req) => {
    beginKeyRequest(ctx, req, hsmName, '/rng/action', '/');
    const count = jsonObject(req).count;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 128) {
      throw badParameter("The 'count' field must be a whole number of bytes from 1 to 128.");
    }
    return json(200, { value: encodeBase64Url(randomBytes(count)) });
  });
}

function keyOperation(ctx: SandboxContext, req: SandboxRequest, hsmName: string, operation: KeyOperation, dataAction: string): SandboxResponse {
  const name = req.params.name;
  const { hsm } = beginKeyRequest(ctx, req, hsmName, dataAction, keyScope(name));
  requireKeyName(name);
  const body = jsonObject(req);
  if (typeof body.alg !== 'string' || body.alg === '') throw badParameter("The 'alg' field is required.");
  const value = decodeBase64Url(body.value, 'value');
  const optional = (field: 'iv' | 'tag' | 'aad') => (body[field] === undefined || body[field] === null ? undefined : decodeBase64Url(body[field], field));
  const input = { value, iv: optional('iv'), tag: optional('tag'), aad: optional('aad') };

  const { key, version } = requireVersion(hsm, name, req.params.version);
  requireUsable(version, operation, ctx.clock.nowSeconds());
  const result = runKeyOperation(operation, version, body.alg, input);
  return json(200, {
    kid: keyId(req.origin, key.name, version.version),
    value: encodeBase64Url(result.value),
    ...(result.iv ? { iv: encodeBase64Url(result.iv) } : {}),
    ...(result.tag ? { tag: encodeBase64Url(result.tag) } : {}),
    ...(result.aad ? { aad: encodeBase64Url(result.aad) } : {}),
  });
}
