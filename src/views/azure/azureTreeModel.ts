import * as l10n from '@vscode/l10n';
import { ActionableError } from '../../core/actionableError';
import { keyScope, type RoleScope } from '../../core/managedHsmRoles';
import type { KeyInfo, Page } from '../../azure/keys';
import type { RoleAssignmentInfo } from '../../azure/localRbac';
import type { ManagedHsmInfo } from '../../azure/managedHsms';
import type { SubscriptionInfo, TenantInfo } from '../../azure/subscriptions';

// What the Azure tree shows, loaded and cached here; the node classes only render it. Every
// child list is loaded on its own and failures stay where they happened (a Loaded error), so a
// locked tenant or a broken HSM never hides its siblings. No 'vscode' import: unit tests drive
// this with loader functions (the seam) instead of Azure.

export type Loaded<T> = { ok: true; value: T } | { ok: false; error: ActionableError };

export interface PrincipalInfo {
  displayName: string;
  /** 'User', 'Group', 'ServicePrincipal' (Application, ManagedIdentity…) as Graph names it. */
  type: string;
}

/** How the model reaches Azure; src/views/azure/azureLoaders.ts implements it over src/azure. */
export interface AzureLoaders {
  /** The signed-in account's label, or undefined when signed out (never prompts). */
  signedInAccount(): Promise<string | undefined>;
  listTenants(): Promise<TenantInfo[]>;
  listSubscriptions(tenantId: string): Promise<SubscriptionInfo[]>;
  listHsms(subscription: SubscriptionInfo): Promise<ManagedHsmInfo[]>;
  listKeysPage(hsm: ManagedHsmInfo, continuationToken?: string): Promise<Page<KeyInfo>>;
  getKey(hsm: ManagedHsmInfo, name: string): Promise<KeyInfo>;
  listVersions(hsm: ManagedHsmInfo, name: string): Promise<KeyInfo[]>;
  listRoleAssignments(hsm: ManagedHsmInfo, scope: RoleScope): Promise<RoleAssignmentInfo[]>;
  /** Display names and types of principals; may return fewer entries than asked for. */
  describePrincipals(tenantId: string, principalIds: string[]): Promise<Map<string, PrincipalInfo>>;
}

export interface AzureTreeFilters {
  /** Tenant ids to show; undefined for all. */
  tenants(): readonly string[] | undefined;
  /** 'tenantId/subscriptionId' entries to show; undefined or empty for all. */
  subscriptions(): readonly string[] | undefined;
}

export interface KeyRow {
  /** The listing entry (name, id, dates, enabled). */
  key: KeyInfo;
  /**
   * The key read on its own: type, size and operations, which a listing does not carry. Undefined
   * while being read: the rows show as soon as the page is listed, the details follow.
   */
  details?: Loaded<KeyInfo>;
}

export interface KeyListing {
  rows: KeyRow[];
  /** Set while more keys can be loaded ("Load more…"). */
  continuationToken?: string;
  /** The last "Load more" failed; the rows so far stay. */
  moreError?: ActionableError;
}

export interface RoleAssignmentRow {
  assignment: RoleAssignmentInfo;
  principal?: PrincipalInfo;
  /** Made at a parent scope ('/' or '/keys') and so applying here too. */
  inherited: boolean;
}

export const keysPageSize = 25;

interface DetailQueue {
  pending: KeyRow[];
  readers: number;
  /** Settles when `pending` is empty and no reader is at work. */
  drained: Promise<void>;
  done: () => void;
}
const detailConcurrency = 8;

/** Cache paths: a node's refresh drops its own path and everything below it. */
export const modelPath = {
  tenants: () => 'tenants',
  tenant: (tenantId: string) => `t/${tenantId}`,
  subscription: (s: Pick<SubscriptionInfo, 'tenantId' | 'subscriptionId'>) => `t/${s.tenantId}/s/${s.subscriptionId}`,
  hsm: (h: Pick<ManagedHsmInfo, 'tenantId' | 'subscriptionId' | 'name'>) => `t/${h.tenantId}/s/${h.subscriptionId}/h/${h.name}`,
  keys: (h: Pick<ManagedHsmInfo, 'tenantId' | 'subscriptionId' | 'name'>) => `${modelPath.hsm(h)}/keys`,
  key: (h: Pick<ManagedHsmInfo, 'tenantId' | 'subscriptionId' | 'name'>, name: string) => `${modelPath.hsm(h)}/keys/${name}`,
};

export class AzureTreeModel {
  private readonly cache = new Map<string, Promise<Loaded<unknown>>>();
  private readonly listings = new Map<string, KeyListing>();
  /** Per keys listing: the rows still to read and the readers at work (one pool, however fast "Load more" is clicked). */
  private readonly detailReads = new Map<string, DetailQueue>();
  /** Per keys listing: settles when the "Load more" page being read has arrived. */
  private readonly pagesInFlight = new Map<string, Promise<void>>();
  private account?: Promise<string | undefined>;

  constructor(
    private readonly loaders: AzureLoaders,
    private readonly filters: AzureTreeFilters = { tenants: () => undefined, subscriptions: () => undefined },
    /** Sees every fresh versions listing (the expiry watch feeds on it). */
    private readonly onVersionsLoaded?: (hsm: ManagedHsmInfo, keyName: string, versions: readonly KeyInfo[]) => void,
  ) {}

  signedInAccount(): Promise<string | undefined> {
    this.account ??= this.loaders.signedInAccount().catch(() => undefined);
    return this.account;
  }

  tenants(): Promise<Loaded<TenantInfo[]>> {
    return this.cached('tenants', l10n.t('list your Azure tenants'), async () => {
      const wanted = this.filters.tenants();
      const all = await this.loaders.listTenants();
      const shown = wanted && wanted.length ? all.filter((t) => wanted.includes(t.tenantId)) : all;
      return shown.sort((a, b) => (a.displayName ?? a.tenantId).localeCompare(b.displayName ?? b.tenantId));
    });
  }

  subscriptions(tenantId: string): Promise<Loaded<SubscriptionInfo[]>> {
    return this.cached(`${modelPath.tenant(tenantId)}/subscriptions`, l10n.t('list the subscriptions of tenant {0}', tenantId), async () => {
      const wanted = this.filters.subscriptions()?.map((e) => e.toLowerCase());
      const all = await this.loaders.listSubscriptions(tenantId);
      const shown = wanted && wanted.length ? all.filter((s) => wanted.includes(`${s.tenantId}/${s.subscriptionId}`.toLowerCase())) : all;
      return shown.sort((a, b) => a.displayName.localeCompare(b.displayName));
    });
  }

  hsms(subscription: SubscriptionInfo): Promise<Loaded<ManagedHsmInfo[]>> {
    return this.cached(`${modelPath.subscription(subscription)}/hsms`, l10n.t('list the Managed HSMs of {0}', subscription.displayName), async () =>
      (await this.loaders.listHsms(subscription)).map((h) => ({ ...h, tenantId: h.tenantId || subscription.tenantId })),
    );
  }

  /** The first page of keys (cached), or what "Load more" has added since. */
  async keys(hsm: ManagedHsmInfo): Promise<Loaded<KeyListing>> {
    const notActive = notActivatedError(hsm);
    if (notActive) return { ok: false, error: notActive };
    const path = modelPath.keys(hsm);
    const first = await this.cached(path, l10n.t('list the keys of {0}', hsm.name), async () => {
      const page = await this.loaders.listKeysPage(hsm);
      const listing: KeyListing = { rows: page.items.map((key) => ({ key })), continuationToken: page.continuationToken };
      this.listings.set(path, listing);
      this.detailReads.delete(path);
      this.readDetails(hsm, listing.rows);
      return listing;
    });
    return first.ok ? { ok: true, value: this.listings.get(path) ?? first.value } : first;
  }

  /** Loads the next page and appends it; a failure is kept on the listing, the rows stay. */
  async loadMoreKeys(hsm: ManagedHsmInfo): Promise<Loaded<KeyListing>> {
    const current = await this.keys(hsm);
    if (!current.ok || !current.value.continuationToken) return current;
    const listing = current.value;
    const token = listing.continuationToken;
    const path = modelPath.keys(hsm);
    // The page the user asked for goes before the details of rows already shown: detail reads
    // wait while it is read (on a large HSM they would otherwise compete with it for the service).
    let arrived: () => void = () => undefined;
    const inFlight = new Promise<void>((resolve) => (arrived = resolve));
    this.pagesInFlight.set(path, inFlight);
    try {
      const page = await this.loaders.listKeysPage(hsm, token);
      // A concurrent refresh replaced the listing: this page belongs to the old one.
      if (this.listings.get(path) !== listing) return this.keys(hsm);
      const rows: KeyRow[] = page.items.map((key) => ({ key }));
      listing.rows.push(...rows);
      this.readDetails(hsm, rows);
      listing.continuationToken = page.continuationToken;
      listing.moreError = undefined;
    } catch (err) {
      listing.moreError = asActionable(err, l10n.t('load more keys of {0}', hsm.name));
    } finally {
      // A refresh may have started another listing's page meanwhile: that one stays.
      if (this.pagesInFlight.get(path) === inFlight) this.pagesInFlight.delete(path);
      arrived();
    }
    return { ok: true, value: listing };
  }

  /** Versions of a key, newest first. */
  versions(hsm: ManagedHsmInfo, keyName: string): Promise<Loaded<KeyInfo[]>> {
    return this.cached(`${modelPath.key(hsm, keyName)}/versions`, l10n.t('list the versions of key \'{0}\'', keyName), async () => {
      const versions = [...(await this.loaders.listVersions(hsm, keyName))].sort((a, b) => (b.createdOn?.getTime() ?? 0) - (a.createdOn?.getTime() ?? 0));
      this.onVersionsLoaded?.(hsm, keyName, versions);
      return versions;
    });
  }

  /** Role assignments at the HSM ('/') or at one key; principal names are a bonus that may be missing. */
  roleAssignments(hsm: ManagedHsmInfo, keyName?: string): Promise<Loaded<RoleAssignmentRow[]>> {
    const notActive = notActivatedError(hsm);
    if (notActive) return Promise.resolve({ ok: false, error: notActive });
    const scope: RoleScope = keyName ? keyScope(keyName) : '/';
    const path = keyName ? `${modelPath.key(hsm, keyName)}/rbac` : `${modelPath.hsm(hsm)}/rbac`;
    return this.cached(path, l10n.t('list the role assignments of {0}', keyName ? `key '${keyName}'` : hsm.name), async () => {
      const assignments = await this.loaders.listRoleAssignments(hsm, scope);
      let principals = new Map<string, PrincipalInfo>();
      try {
        principals = await this.loaders.describePrincipals(hsm.tenantId, [...new Set(assignments.map((a) => a.principalId))]);
      } catch {
        // Graph is optional here: without it the principal ids are shown as they are.
      }
      // The service lists assignments that apply at the scope, including those inherited from
      // '/' and '/keys': the ones made at this scope come first.
      const rank = (a: RoleAssignmentInfo) => (a.scope === scope ? 0 : 1);
      return [...assignments]
        .sort((a, b) => rank(a) - rank(b) || (a.roleName ?? '').localeCompare(b.roleName ?? ''))
        .map((assignment) => ({ assignment, principal: principals.get(assignment.principalId), inherited: assignment.scope !== scope }));
    });
  }

  /** Drops `path` and everything cached below it (or everything). */
  invalidate(path?: string): void {
    if (path === undefined) {
      for (const queue of this.detailReads.values()) stopReading(queue);
      this.cache.clear();
      this.listings.clear();
      this.detailReads.clear();
      this.account = undefined;
      return;
    }
    for (const [key, queue] of this.detailReads) if (key === path || key.startsWith(`${path}/`)) stopReading(queue);
    for (const map of [this.cache, this.listings, this.detailReads] as Map<string, unknown>[]) {
      for (const key of [...map.keys()]) if (key === path || key.startsWith(`${path}/`)) map.delete(key);
    }
    if (path === modelPath.tenants()) this.invalidate('t');
  }

  /** Settles when every key row listed so far for this HSM has its details (read or failed). */
  keyDetailsRead(hsm: ManagedHsmInfo): Promise<void> {
    return this.detailReads.get(modelPath.keys(hsm))?.drained ?? Promise.resolve();
  }

  private readDetails(hsm: ManagedHsmInfo, rows: KeyRow[]): void {
    const path = modelPath.keys(hsm);
    let queue = this.detailReads.get(path);
    if (!queue) {
      queue = { pending: [], readers: 0, drained: Promise.resolve(), done: () => undefined };
      this.detailReads.set(path, queue);
    }
    const q = queue;
    const idle = q.readers === 0 && q.pending.length === 0;
    q.pending.push(...rows);
    if (idle && rows.length > 0) q.drained = new Promise<void>((resolve) => (q.done = resolve));
    // The readers start after the page has been handed to the tree, so the rows render first.
    setTimeout(() => {
      while (q.readers < detailConcurrency && q.readers < q.pending.length) {
        q.readers++;
        void this.readQueued(hsm, q);
      }
    }, 0);
  }

  private async readQueued(hsm: ManagedHsmInfo, q: DetailQueue): Promise<void> {
    const path = modelPath.keys(hsm);
    for (;;) {
      for (let page = this.pagesInFlight.get(path); page; page = this.pagesInFlight.get(path)) {
        await page;
        // One turn passes before reading on, so that a "Load more" following at once (paging
        // through a large HSM) goes first again.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      const row = q.pending.shift();
      if (!row) break;
      try {
        row.details = { ok: true, value: await this.loaders.getKey(hsm, row.key.name) };
      } catch (err) {
        row.details = { ok: false, error: asActionable(err, l10n.t('read key \'{0}\'', row.key.name)) };
      }
    }
    if (--q.readers === 0) q.done();
  }

  private cached<T>(path: string, what: string, load: () => Promise<T>): Promise<Loaded<T>> {
    let entry = this.cache.get(path) as Promise<Loaded<T>> | undefined;
    if (!entry) {
      entry = load().then(
        (value): Loaded<T> => ({ ok: true, value }),
        (err: unknown): Loaded<T> => ({ ok: false, error: asActionable(err, what) }),
      );
      this.cache.set(path, entry);
    }
    return entry;
  }
}

/** A refreshed listing's rows are gone from the tree: its readers stop after the read at hand. */
function stopReading(queue: DetailQueue): void {
  queue.pending.length = 0;
}

/** An HSM without a security domain answers no key or role call: say so without asking it. */
export function notActivatedError(hsm: ManagedHsmInfo): ActionableError | undefined {
  if (hsm.activated) return undefined;
  return new ActionableError(
    l10n.t('The Managed HSM {0} is not activated: download its security domain (az keyvault security-domain download) before keys and role assignments can be used.', hsm.name),
    'notActivated',
    `activationStatus=${hsm.activationStatus ?? 'unknown'}`,
  );
}

function asActionable(err: unknown, what: string): ActionableError {
  if (err instanceof ActionableError) return err;
  return new ActionableError(l10n.t('Could not {0}: {1}', what, (err as Error)?.message ?? String(err)), 'unexpected');
}
