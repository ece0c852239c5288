import type { TokenCredential } from '@azure/core-auth';
import { createGraphClient, type GraphClient } from '../../azure/graph/graphClient';
import { ManagedHsmKeys } from '../../azure/keys';
import { ManagedHsmRbac } from '../../azure/localRbac';
import type { ManagedHsmInfo } from '../../azure/managedHsms';
import type { Explorer } from '../../explorer';
import type { TreeNode } from '../../views/treeNode';
import type { SetupUi } from './setupUi';
import type { StoredClientSecrets } from './storedClientSecrets';

// What every setup command works with: the explorer (services, trees, Secret Server sessions), the
// prompt seam, and clients made with a credential that may prompt (a command is user-started).

export interface SetupDeps {
  readonly explorer: Explorer;
  ui(): SetupUi;
  /** Client secrets the user chose to keep in VS Code. */
  readonly stored: StoredClientSecrets;
}

export function interactiveCredential(deps: SetupDeps, tenantId: string | undefined): TokenCredential {
  return deps.explorer.services.credential({ tenantId, interactive: true });
}

export function graphFor(deps: SetupDeps, tenantId: string): Promise<GraphClient> {
  return createGraphClient(deps.explorer.services.cloud(), interactiveCredential(deps, tenantId));
}

export function keysFor(deps: SetupDeps, hsm: Pick<ManagedHsmInfo, 'hsmUri' | 'tenantId' | 'name'>): ManagedHsmKeys {
  return new ManagedHsmKeys(deps.explorer.services.cloud(), interactiveCredential(deps, hsm.tenantId), hsm.hsmUri, { displayName: hsm.name, pollIntervalMs: 500 });
}

export function rbacFor(deps: SetupDeps, hsm: Pick<ManagedHsmInfo, 'hsmUri' | 'tenantId' | 'name'>): ManagedHsmRbac {
  return new ManagedHsmRbac(deps.explorer.services.cloud(), interactiveCredential(deps, hsm.tenantId), hsm.hsmUri, { displayName: hsm.name });
}

/** Redraws the node a command ran on (its cache dropped), or the whole Azure view. */
export function refreshAzure(deps: SetupDeps, node?: TreeNode): void {
  if (node && typeof node.invalidate === 'function') deps.explorer.azure.refresh(node);
  else deps.explorer.azure.refresh();
}
