import { HttpError, json, jsonObject } from '../http/exchange';
import type { Router } from '../http/router';
import type { SandboxContext } from '../context';
import type { Hsm, KeyVersion } from '../state/world';
import { generateMaterial, newKeyVersion } from './keyMaterial';
import { beginKeyRequest, keyScope } from './keyRequest';
import { compareNames, dropExpiredDeletions, findDeleted, findKey, requireKey, requireVersion } from './keyLookup';
import {
  badParameter,
  parseAttributes,
  parseKeyOps,
  parseKeySpec,
  parseReleasePolicy,
  parseTags,
  requireKeyName,
  requireValidityWindow,
  supportedKeyOps,
  type KeySpec,
} from './keyValidation';
import { deletedKeyBundle, keyBundle, keyItem, latestVersion } from './keyBundle';
import { describeVersion } from './keyDescription';
import { pageOf } from './keyPaging';
import { durationSeconds, parseRotationPolicy, rotationPolicyBody } from './rotationPolicy';
import { registerDeletedKeyRoutes } from './deletedKeyRoutes';
import { registerKeyOperationRoutes } from './keyOperationRoutes';

/** Keys, versions, deleted keys, rotation, cryptography and random bytes. */
export function registerKeyRoutes(r: Router, ctx: SandboxContext, hsmName: string): void {
  const now = () => ctx.clock.nowSeconds();

  r.on('POST', '/keys/:name/create', (req) => {
    const name = req.params.name;
    const { hsm } = beginKeyRequest(ctx, req, hsmName, '/keys/create', keyScope(name));
    requireKeyName(name);
    const body = jsonObject(req);
    const spec = parseKeySpec(body);
    const keyOps = parseKeyOps(body.key_ops, spec.kty) ?? supportedKeyOps[spec.kty];
    const attributes = parseAttributes(body.attributes);
    const tags = parseTags(body.tags) ?? {};
    const releasePolicy = parseReleasePolicy(body.release_policy);
    const nbf = attributes.nbf ?? undefined;
    const exp = attributes.exp ?? undefined;
    requireValidityWindow(nbf, exp);
    if (attributes.exportable && !releasePolicy) throw badParameter("An exportable key needs a release policy ('release_policy').");
    const at = now();
    requireNameNotDeleted(hsm, name, at);

    const version: KeyVersion = {
      ...newVersion(spec, at),
      enabled: attributes.enabled ?? true,
      ...(nbf !== undefined ? { nbf } : {}),
      ...(exp !== undefined ? { exp } : {}),
      exportable: attributes.exportable ?? false,
      keyOps,
      tags,
      ...(releasePolicy ? { releasePolicy } : {}),
    };
    // Creating a key that exists adds a version: the name is the key, versions are its history.
    const storedName = ctx.store.mutate(() => {
      dropExpiredDeletions(hsm, at);
      const existing = findKey(hsm, name);
      if (!existing) {
        hsm.keys.push({ name, ...keyShape(spec), versions: [version] });
        return name;
      }
      delete existing.keySize;
      delete existing.curve;
      Object.assign(existing, keyShape(spec));
      existing.versions.push(version);
      return existing.name;
    });
    return json(200, keyBundle(req.origin, hsm, storedName, version));
  });

  r.on('GET', '/keys', (req) => {
    const { hsm } = beginKeyRequest(ctx, req, hsmName, '/keys/read/action', '/keys');
    const keys = [...hsm.keys].sort((a, b) => compareNames(a.name, b.name));
    const page = pageOf(req, keys, (k) => k.name.toLowerCase());
    return json(200, { value: page.items.map((k) => keyItem(req.origin, hsm, k.name, latestVersion(k), false)), nextLink: page.nextLink });
  });

  r.on('GET', '/keys/:name/versions', (req) => {
    const name = req.params.name;
    const { hsm } = beginKeyRequest(ctx, req, hsmName, '/keys/read/action', keyScope(name));
    requireKeyName(name);
    const key = requireKey(hsm, name);
    // Oldest first; the token is the position, which only grows (versions are never removed one by one).
    const indexed = key.versions.map((version, i) => ({ version, position: String(i).padStart(6, '0') }));
    const page = pageOf(req, indexed, (v) => v.position);
    return json(200, { value: page.items.map((v) => keyItem(req.origin, hsm, key.name, v.version, true)), nextLink: page.nextLink });
  });

  r.on('POST', '/keys/:name/rotate', (req) => {
    const name = req.params.name;
    const { hsm } = beginKeyRequest(ctx, req, hsmName, '/keys/rotate/action', keyScope(name));
    requireKeyName(name);
    const key = requireKey(hsm, name);
    const current = latestVersion(key);
    const d = describeVersion(current);
    const spec: KeySpec = d.kty === 'EC-HSM' ? { kty: d.kty, curve: d.curve } : { kty: d.kty, keySize: d.keySize };
    const at = now();
    const lifetime = key.rotationPolicy?.expiryTime ? durationSeconds(key.rotationPolicy.expiryTime) : undefined;
    // The new version keeps the key's type, size, operations and tags; the policy's expiryTime sets its expiry.
    const version: KeyVersion = {
      ...newVersion(spec, at),
      enabled: true,
      ...(lifetime !== undefined ? { exp: at + lifetime } : {}),
      exportable: current.exportable,
      keyOps: [...current.keyOps],
      tags: { ...current.tags },
      ...(current.releasePolicy ? { releasePolicy: { ...current.releasePolicy } } : {}),
    };
    ctx.store.mutate(() => key.versions.push(version));
    return json(200, keyBundle(req.origin, hsm, key.name, version));
  });

  r.on('GET', '/keys/:name/rotationpolicy', (req) => {
    const name = req.params.name;
    const { hsm } = beginKeyRequest(ctx, req, hsmName, '/keys/read/action', keyScope(name));
    requireKeyName(name);
    const key = requireKey(hsm, name);
    return json(200, rotationPolicyBody(req.origin, key.name, key.rotationPolicy));
  });

  r.on('PUT', '/keys/:name/rotationpolicy', (req) => {
    const name = req.params.name;
    const { hsm } = beginKeyRequest(ctx, req, hsmName, '/keys/write/action', keyScope(name));
    requireKeyName(name);
    const body = jsonObject(req);
    const key = requireKey(hsm, name);
    const policy = parseRotationPolicy(body);
    const at = now();
    ctx.store.mutate(() => {
      key.rotationPolicy = {
        lifetimeActions: policy.lifetimeActions,
        ...(policy.expiryTime ? { expiryTime: policy.expiryTime } : {}),
        created: key.rotationPolicy?.created ?? at,
        updated: at,
      };
    });
    return json(200, rotationPolicyBody(req.origin, key.name, key.rotationPolicy));
  });

  r.on('GET', '/keys/:name/:version?', (req) => {
    const name = req.params.name;
    const { hsm } = beginKeyRequest(ctx, req, hsmName, '/keys/read/action', keyScope(name));
    requireKeyName(name);
    const { key, version } = requireVersion(hsm, name, req.params.version);
    return json(200, keyBundle(req.origin, hsm, key.name, version));
  });

  r.on('PATCH', '/keys/:name/:version?', (req) => {
    const name = req.params.name;
    const { hsm } = beginKeyRequest(ctx, req, hsmName, '/keys/write/action', keyScope(name));
    requireKeyName(name);
    const body = jsonObject(req);
    const { key, version } = requireVersion(hsm, name, req.params.version);
    const keyOps = parseKeyOps(body.key_ops, describeVersion(version).kty);
    const attributes = parseAttributes(body.attributes);
    const tags = parseTags(body.tags);
    const releasePolicy = parseReleasePolicy(body.release_policy);
    if (attributes.exportable !== undefined && attributes.exportable !== version.exportable) {
      throw badParameter("The 'exportable' attribute is fixed when a key version is created.");
    }
    if (releasePolicy && !version.exportable) throw badParameter('Only an exportable key version has a release policy.');
    if (releasePolicy && version.releasePolicy?.immutable) throw badParameter('The release policy of this key version is immutable.');
    const nbf = attributes.nbf === undefined ? version.nbf : (attributes.nbf ?? undefined);
    const exp = attributes.exp === undefined ? version.exp : (attributes.exp ?? undefined);
    requireValidityWindow(nbf, exp);
    const at = now();
    ctx.store.mutate(() => {
      if (keyOps) version.keyOps = keyOps;
      if (attributes.enabled !== undefined) version.enabled = attributes.enabled;
      setOptional(version, 'nbf', nbf);
      setOptional(version, 'exp', exp);
      if (tags) version.tags = tags;
      if (releasePolicy) version.releasePolicy = releasePolicy;
      version.updated = at;
    });
    return json(200, keyBundle(req.origin, hsm, key.name, version));
  });

  r.on('DELETE', '/keys/:name', (req) => {
    const name = req.params.name;
    const { hsm } = beginKeyRequest(ctx, req, hsmName, '/keys/delete', keyScope(name));
    requireKeyName(name);
    const key = requireKey(hsm, name);
    const at = now();
    const deleted = { key, deletedDate: at, scheduledPurgeDate: at + hsm.softDeleteRetentionInDays * 86_400 };
    ctx.store.mutate(() => {
      dropExpiredDeletions(hsm, at);
      hsm.keys = hsm.keys.filter((k) => k !== key);
      hsm.deletedKeys.push(deleted);
    });
    return json(200, deletedKeyBundle(req.origin, hsm, deleted));
  });

  registerDeletedKeyRoutes(r, ctx, hsmName);
  registerKeyOperationRoutes(r, ctx, hsmName);
}

/** A soft-deleted key keeps its name reserved until it is recovered or purged. */
function requireNameNotDeleted(hsm: Hsm, name: string, at: number): void {
  const deleted = findDeleted(hsm, name, at);
  if (!deleted) return;
  const message = `Key ${deleted.key.name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the key can only be recovered or purged.`;
  throw new HttpError(409, 'Conflict', message, {}, { error: { code: 'Conflict', message, innererror: { code: 'ObjectIsDeletedButRecoverable' } } });
}

function keyShape(spec: KeySpec): { kty: KeySpec['kty']; keySize?: number; curve?: string } {
  return { kty: spec.kty, ...(spec.keySize !== undefined ? { keySize: spec.keySize } : {}), ...(spec.curve !== undefined ? { curve: spec.curve } : {}) };
}

function newVersion(spec: KeySpec, at: number): Pick<KeyVersion, 'version' | 'created' | 'updated' | 'material'> {
  return { version: newKeyVersion(), created: at, updated: at, material: generateMaterial(spec.kty, spec.keySize ?? spec.curve ?? 256) };
}

function setOptional(version: KeyVersion, field: 'nbf' | 'exp', value: number | undefined): void {
  if (value === undefined) delete version[field];
  else version[field] = value;
}
