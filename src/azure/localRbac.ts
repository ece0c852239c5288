import { randomUUID } from 'node:crypto';
import type { TokenCredential } from '@azure/core-auth';
import type { HttpMethods } from '@azure/core-rest-pipeline' with { 'resolution-mode': 'import' };
import * as l10n from '@vscode/l10n';
import { ActionableError } from '../core/actionableError';
import { keyNameProblem } from '../core/keyIdentifier';
import { resolveHsmEndpoint } from './hsmEndpoint';
import { builtInRoleName, roleDefinitionIdFor, roleGuidOf, type RoleScope } from '../core/managedHsmRoles';
import { toActionableError } from './azureErrors';
import type { AzureCloud } from './cloud';
import { sendJson, type JsonTransport } from './jsonExchange';
import { keyVaultTransport } from './keyVaultTransport';

// Managed HSM local RBAC (role definitions and role assignments on the HSM's data plane).
// @azure/keyvault-admin, which wraps these calls, is not installable here, so they are sent by
// hand over @azure/core-rest-pipeline with the Key Vault challenge policy in place of the bearer
// policy — the same authentication the keys SDK uses (reference/azure-api.md §4, §10.3).

const apiVersion = '7.6';
const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A runaway nextLink chain must not loop forever. */
const maxPages = 200;

export interface RoleAssignmentInfo {
  /** The assignment's GUID, which with its scope addresses it. */
  name: string;
  id: string;
  scope: string;
  /** Object id of the user, group or service principal. */
  principalId: string;
  /** As the service returns it: 'Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions/{guid}'. */
  roleDefinitionId: string;
  /** The role's display name when known (built-in roles, or custom roles the caller may read). */
  roleName?: string;
}

export interface RoleDefinitionInfo {
  id: string;
  /** The role's GUID. */
  name: string;
  roleName: string;
  description: string;
  /** 'AKVBuiltInRole' or 'CustomRole'. */
  roleType: string;
  dataActions: string[];
  notDataActions: string[];
  assignableScopes: string[];
}

export interface NewRoleAssignment {
  scope: RoleScope;
  /** A role GUID or a full role definition id. */
  roleDefinitionId: string;
  /** The object id of the service principal (not its appId), user or group. */
  principalId: string;
}

export interface RbacCallOptions {
  abortSignal?: AbortSignal;
}

export interface ManagedHsmRbacOptions {
  /** How the HSM is named in messages; defaults to its host name. */
  displayName?: string;
}

interface WireAssignment {
  id?: string;
  name?: string;
  properties?: { scope?: string; principalId?: string; roleDefinitionId?: string };
}

interface WireDefinition {
  id?: string;
  name?: string;
  properties?: {
    roleName?: string;
    description?: string;
    type?: string;
    permissions?: { dataActions?: string[]; notDataActions?: string[] }[];
    assignableScopes?: string[];
  };
}

/** Role definitions and role assignments of one Managed HSM. */
export class ManagedHsmRbac {
  readonly hsmUri: string;
  private readonly origin: string;
  private readonly displayName: string;
  private transport?: Promise<JsonTransport>;
  private roleNames?: Promise<Map<string, string>>;

  constructor(
    private readonly cloud: AzureCloud,
    private readonly credential: TokenCredential,
    hsmUri: string,
    options: ManagedHsmRbacOptions = {},
  ) {
    ({ origin: this.origin, hsmUri: this.hsmUri, displayName: this.displayName } = resolveHsmEndpoint(cloud, hsmUri, options.displayName));
  }

  /** The role definitions of the HSM (they exist only at '/'). */
  async listRoleDefinitions(options: RbacCallOptions = {}): Promise<RoleDefinitionInfo[]> {
    const what = l10n.t('list the role definitions of {0}', this.displayName);
    const items = await this.listAll<WireDefinition>(what, this.url('/', 'roleDefinitions'), options);
    return items.map(roleDefinitionInfo);
  }

  /** Assignments that apply at `scope`: made at it or above it (atScope()). */
  async listRoleAssignmentsAtScope(scope: RoleScope, options: RbacCallOptions = {}): Promise<RoleAssignmentInfo[]> {
    const what = l10n.t('list the role assignments at {0} in {1}', scope, this.displayName);
    const items = await this.listAll<WireAssignment>(what, this.url(checkScope(scope), 'roleAssignments', 'atScope()'), options);
    return this.named(items.map(roleAssignmentInfo));
  }

  /** Every assignment of one principal at, above or below `scope`. */
  async listRoleAssignmentsForPrincipal(principalId: string, scope: RoleScope = '/', options: RbacCallOptions = {}): Promise<RoleAssignmentInfo[]> {
    checkPrincipalId(principalId);
    const what = l10n.t('list the role assignments of {0} in {1}', principalId, this.displayName);
    const filter = `principalId eq '${principalId.toLowerCase()}'`;
    const items = await this.listAll<WireAssignment>(what, this.url(checkScope(scope), 'roleAssignments', filter), options);
    return this.named(items.map(roleAssignmentInfo));
  }

  /**
   * Assigns a role, unless an equal assignment (same principal, role and scope) already exists —
   * then that one is returned and nothing is created.
   */
  async createRoleAssignment(request: NewRoleAssignment, options: RbacCallOptions = {}): Promise<{ assignment: RoleAssignmentInfo; created: boolean }> {
    const scope = checkScope(request.scope);
    checkPrincipalId(request.principalId);
    const roleGuid = roleGuidOf(request.roleDefinitionId);
    if (!roleGuid) throw new ActionableError(l10n.t('\'{0}\' is not a role definition id.', request.roleDefinitionId), 'invalidInput');
    const roleLabel = builtInRoleName(roleGuid) ?? roleGuid;
    const what = l10n.t('assign \'{0}\' at {1} to {2} in {3}', roleLabel, scope, request.principalId, this.displayName);
    const wanted = { scope, principalId: request.principalId.toLowerCase(), roleGuid };

    const existing = await this.findEqual(wanted, options);
    if (existing) return { assignment: existing, created: false };

    const name = randomUUID();
    const body = { properties: { roleDefinitionId: roleDefinitionIdFor(roleGuid), principalId: wanted.principalId } };
    try {
      const created = await this.send<WireAssignment>(what, 'PUT', this.url(scope, `roleAssignments/${name}`), options, body);
      return { assignment: (await this.named([roleAssignmentInfo(created)]))[0], created: true };
    } catch (err) {
      // Someone (or an earlier attempt whose answer was lost) created it in the meantime.
      if (err instanceof ActionableError && err.statusCode === 409) {
        const raced = await this.findEqual(wanted, options);
        if (raced) return { assignment: raced, created: false };
      }
      throw err;
    }
  }

  /** Removes the assignment `name` made at `scope`; returns what was removed. */
  async deleteRoleAssignment(scope: RoleScope, name: string, options: RbacCallOptions = {}): Promise<RoleAssignmentInfo> {
    const checked = checkScope(scope);
    if (!guidPattern.test(name)) throw new ActionableError(l10n.t('\'{0}\' is not a role assignment name (a GUID).', name), 'invalidInput');
    const what = l10n.t('remove role assignment {0} at {1} in {2}', name, checked, this.displayName);
    const removed = await this.send<WireAssignment>(what, 'DELETE', this.url(checked, `roleAssignments/${name}`), options);
    return (await this.named([roleAssignmentInfo(removed)]))[0];
  }

  private async findEqual(wanted: { scope: string; principalId: string; roleGuid: string }, options: RbacCallOptions): Promise<RoleAssignmentInfo | undefined> {
    const mine = await this.listRoleAssignmentsForPrincipal(wanted.principalId, wanted.scope as RoleScope, options);
    return mine.find(
      (a) =>
        a.scope.toLowerCase() === wanted.scope.toLowerCase() &&
        a.principalId.toLowerCase() === wanted.principalId &&
        roleGuidOf(a.roleDefinitionId) === wanted.roleGuid,
    );
  }

  private url(scope: string, collection: string, filter?: string): string {
    const prefix = scope === '/' ? '' : scope;
    const query = `api-version=${apiVersion}${filter ? `&$filter=${encodeURIComponent(filter)}` : ''}`;
    return `${this.origin}${prefix}/providers/Microsoft.Authorization/${collection}?${query}`;
  }

  private async listAll<T>(what: string, firstUrl: string, options: RbacCallOptions): Promise<T[]> {
    const items: T[] = [];
    let url: string | undefined = firstUrl;
    for (let page = 0; url && page < maxPages; page++) {
      const body: { value?: T[]; nextLink?: string | null } = await this.send(what, 'GET', url, options);
      items.push(...(body.value ?? []));
      url = body.nextLink ?? undefined;
      // The next link is requested with our token: it must lead back to this HSM.
      if (url && new URL(url, this.origin).origin !== this.origin) {
        throw new ActionableError(l10n.t('Could not {0}: the service returned a next-page link to another host; try again, and report it if it persists.', what), 'unexpected');
      }
    }
    return items;
  }

  private async send<T>(what: string, method: HttpMethods, url: string, options: RbacCallOptions, body?: unknown): Promise<T> {
    try {
      const response = await sendJson(await this.pipeline(), method, url, options, body);
      return response.body as T;
    } catch (err) {
      throw toActionableError(err, what);
    }
  }

  // The pipeline packages are imported on the first RBAC call, not at activation.
  private pipeline(): Promise<JsonTransport> {
    this.transport ??= keyVaultTransport(this.cloud, this.credential);
    const transport = this.transport;
    transport.catch(() => {
      if (this.transport === transport) this.transport = undefined;
    });
    return transport;
  }

  // Built-in roles are named from the product's table; custom ones from the HSM, read once.
  private async named(assignments: RoleAssignmentInfo[]): Promise<RoleAssignmentInfo[]> {
    const unknown = assignments.filter((a) => !a.roleName);
    if (unknown.length === 0) return assignments;
    this.roleNames ??= this.listRoleDefinitions()
      .then((defs) => new Map(defs.map((d) => [d.name.toLowerCase(), d.roleName])))
      .catch(() => new Map<string, string>());
    const names = await this.roleNames;
    return assignments.map((a) => (a.roleName ? a : { ...a, roleName: names.get(roleGuidOf(a.roleDefinitionId) ?? '') }));
  }
}

function checkScope(scope: string): RoleScope {
  const trimmed = scope.length > 1 ? scope.replace(/\/+$/, '') : scope;
  if (trimmed === '/' || trimmed === '/keys') return trimmed;
  const match = /^\/keys\/([^/]+)$/.exec(trimmed);
  if (match && !keyNameProblem(match[1])) return `/keys/${match[1]}`;
  throw new ActionableError(l10n.t('\'{0}\' is not a Managed HSM role scope: use \'/\', \'/keys\' or \'/keys/{key-name}\'.', scope), 'invalidInput');
}

function checkPrincipalId(principalId: string): void {
  if (!guidPattern.test(principalId)) {
    throw new ActionableError(
      l10n.t('\'{0}\' is not an object id. Role assignments need the object id (a GUID) of the service principal, user or group.', principalId),
      'invalidInput',
    );
  }
}

function roleAssignmentInfo(wire: WireAssignment): RoleAssignmentInfo {
  const roleDefinitionId = wire.properties?.roleDefinitionId ?? '';
  return {
    name: wire.name ?? '',
    id: wire.id ?? '',
    scope: wire.properties?.scope ?? '/',
    principalId: wire.properties?.principalId ?? '',
    roleDefinitionId,
    roleName: builtInRoleName(roleDefinitionId),
  };
}

function roleDefinitionInfo(wire: WireDefinition): RoleDefinitionInfo {
  const p = wire.properties ?? {};
  return {
    id: wire.id ?? '',
    name: wire.name ?? roleGuidOf(wire.id ?? '') ?? '',
    roleName: p.roleName ?? wire.name ?? '',
    description: p.description ?? '',
    roleType: p.type ?? '',
    dataActions: (p.permissions ?? []).flatMap((x) => x.dataActions ?? []),
    notDataActions: (p.permissions ?? []).flatMap((x) => x.notDataActions ?? []),
    assignableScopes: p.assignableScopes ?? [],
  };
}
