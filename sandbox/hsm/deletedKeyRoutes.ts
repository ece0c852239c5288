import { HttpError, json } from '../http/exchange';
import type { Router } from '../http/router';
import type { SandboxContext } from '../context';
import { beginKeyRequest, keyScope } from './keyRequest';
import { compareNames, dropExpiredDeletions, findKey, liveDeletions, requireDeleted, sameName } from './keyLookup';
import { requireKeyName } from './keyValidation';
import { deletedKeyBundle, deletedKeyItem, keyBundle, latestVersion } from './keyBundle';
import { pageOf } from './keyPaging';

// Soft-deleted keys: list, get, recover (all versions come back) and purge. A deleted key past
// its scheduled purge date is treated as purged, as the service does on its own.

export function registerDeletedKeyRoutes(r: Router, ctx: SandboxContext, hsmName: string): void {
  r.on('GET', '/deletedkeys', (req) => {
    const { hsm } = beginKeyRequest(ctx, req, hsmName, '/keys/deletedKeys/read/action', '/keys');
    const deleted = liveDeletions(hsm, ctx.clock.nowSeconds()).sort((a, b) => compareNames(a.key.name, b.key.name));
    const page = pageOf(req, deleted, (d) => d.key.name.toLowerCase());
    return json(200, { value: page.items.map((d) => deletedKeyItem(req.origin, hsm, d)), nextLink: page.nextLink });
  });

  r.on('GET', '/deletedkeys/:name', (req) => {
    const name = req.params.name;
    const { hsm } = beginKeyRequest(ctx, req, hsmName, '/keys/deletedKeys/read/action', keyScope(name));
    requireKeyName(name);
    return json(200, deletedKeyBundle(req.origin, hsm, requireDeleted(hsm, name, ctx.clock.nowSeconds())));
  });

  r.on('POST', '/deletedkeys/:name/recover', (req) => {
    const name = req.params.name;
    const { hsm } = beginKeyRequest(ctx, req, hsmName, '/keys/deletedKeys/recover/action', keyScope(name));
    requireKeyName(name);
    const now = ctx.clock.nowSeconds();
    const deleted = requireDeleted(hsm, name, now);
    if (findKey(hsm, name)) throw new HttpError(409, 'Conflict', `A key named ${deleted.key.name} already exists; the deleted key cannot be recovered over it.`);
    ctx.store.mutate(() => {
      dropExpiredDeletions(hsm, now);
      hsm.deletedKeys = hsm.deletedKeys.filter((d) => d !== deleted);
      hsm.keys.push(deleted.key);
    });
    return json(200, keyBundle(req.origin, hsm, deleted.key.name, latestVersion(deleted.key)));
  });

  r.on('DELETE', '/deletedkeys/:name', (req) => {
    const name = req.params.name;
    const { hsm } = beginKeyRequest(ctx, req, hsmName, '/keys/deletedKeys/delete', keyScope(name));
    requireKeyName(name);
    const now = ctx.clock.nowSeconds();
    requireDeleted(hsm, name, now);
    if (hsm.enablePurgeProtection) {
      // The wording recorded from Key Vault vaults; Managed HSM is assumed to answer the same.
      throw new HttpError(
        403,
        'Forbidden',
        'Operation "purge" is not allowed because purge protection is enabled for this vault. Key Vault service will automatically purge it after the retention period has passed.',
      );
    }
    ctx.store.mutate(() => {
      hsm.deletedKeys = hsm.deletedKeys.filter((d) => !sameName(d.key.name, name));
      dropExpiredDeletions(hsm, now);
    });
    return { status: 204 };
  });
}
