import {
  bearerTokenAuthenticationPolicyName,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type HttpMethods,
  type Pipeline,
} from '@azure/core-rest-pipeline';
import { keyVaultAuthenticationPolicy } from '@azure/keyvault-common';
import type { TokenCredential } from '@azure/core-auth';

// A tiny Managed HSM local RBAC client for conformance tests, built the way
// shared/reference/azure-api.md §10.3 describes (@azure/keyvault-admin is not installable): a
// core-rest-pipeline Pipeline whose authentication is Key Vault's challenge policy. It returns
// status and body as they came, so tests can assert the service's own error codes.

export const roleDefinitionIds = {
  administrator: 'Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions/a290e904-7015-4bba-90c8-60543313cdb4',
  cryptoOfficer: 'Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions/515eb02d-2335-4d2d-92f2-b1cbdf9c3778',
  cryptoUser: 'Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions/21dbd100-6940-42c2-9190-5d6cb909625b',
} as const;

export interface RbacResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export interface RoleAssignmentWire {
  id: string;
  name: string;
  type: string;
  properties: { principalId: string; roleDefinitionId: string; scope: string };
}

export interface RoleDefinitionWire {
  id: string;
  name: string;
  type: string;
  properties: {
    roleName: string;
    type: string;
    description: string;
    assignableScopes: string[];
    permissions: { actions: string[]; notActions: string[]; dataActions: string[]; notDataActions: string[] }[];
  };
}

export class RbacTestClient {
  private readonly pipeline: Pipeline;
  private readonly httpClient: HttpClient = createDefaultHttpClient();
  private readonly origin: string;

  constructor(hsmUri: string, credential: TokenCredential, caPem: string, private readonly apiVersion = '7.6') {
    this.origin = hsmUri.replace(/\/+$/, '');
    this.pipeline = createPipelineFromOptions({ tlsOptions: { ca: caPem } } as Parameters<typeof createPipelineFromOptions>[0]);
    this.pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
    this.pipeline.addPolicy(keyVaultAuthenticationPolicy(credential, { disableChallengeResourceVerification: true }));
  }

  /** Sends `path` (with its own query, if any) plus api-version. */
  async send(method: HttpMethods, path: string, body?: unknown, query: Record<string, string> = {}): Promise<RbacResponse> {
    const url = new URL(`${this.origin}${path}`);
    url.searchParams.set('api-version', this.apiVersion);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const request = createPipelineRequest({
      url: url.toString(),
      method,
      headers: createHttpHeaders({ accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const response = await this.pipeline.sendRequest(this.httpClient, request);
    const text = response.bodyAsText ?? '';
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* keep the text */
    }
    return { status: response.status, body: parsed, headers: response.headers.toJSON() };
  }

  listRoleDefinitions(scope = '/', filter?: string): Promise<RbacResponse> {
    return this.send('GET', `${scopePrefix(scope)}/providers/Microsoft.Authorization/roleDefinitions`, undefined, filter ? { $filter: filter } : {});
  }

  getRoleDefinition(name: string, scope = '/'): Promise<RbacResponse> {
    return this.send('GET', `${scopePrefix(scope)}/providers/Microsoft.Authorization/roleDefinitions/${encodeURIComponent(name)}`);
  }

  createRoleAssignment(scope: string, name: string, roleDefinitionId: string, principalId: string): Promise<RbacResponse> {
    return this.send('PUT', `${scopePrefix(scope)}/providers/Microsoft.Authorization/roleAssignments/${encodeURIComponent(name)}`, {
      properties: { roleDefinitionId, principalId },
    });
  }

  getRoleAssignment(scope: string, name: string): Promise<RbacResponse> {
    return this.send('GET', `${scopePrefix(scope)}/providers/Microsoft.Authorization/roleAssignments/${encodeURIComponent(name)}`);
  }

  deleteRoleAssignment(scope: string, name: string): Promise<RbacResponse> {
    return this.send('DELETE', `${scopePrefix(scope)}/providers/Microsoft.Authorization/roleAssignments/${encodeURIComponent(name)}`);
  }

  listRoleAssignments(scope: string, filter?: string): Promise<RbacResponse> {
    return this.send('GET', `${scopePrefix(scope)}/providers/Microsoft.Authorization/roleAssignments`, undefined, filter ? { $filter: filter } : {});
  }
}

/** As the current SDK sends it: the scope without its trailing '/', so '/' becomes ''. */
function scopePrefix(scope: string): string {
  return scope.replace(/\/+$/, '');
}
