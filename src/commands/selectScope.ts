import * as vscode from 'vscode';
import type { Explorer } from '../explorer';
import { selectedTenantsKey } from '../explorer';

// Which tenants and subscriptions the Azure view shows. Tenants are kept in globalState, the
// subscription filter in the setting mhsm.azure.selectedSubscriptions ('tenantId/subscriptionId'
// entries, as the Azure Resources extension stores them); neither holds anything secret.

export async function selectTenant(explorer: Explorer): Promise<void> {
  const { services } = explorer;
  const tenants = await explorer.azureLoaders.listTenants();
  const chosen = new Set(services.state.get<string[]>(selectedTenantsKey) ?? []);
  const picked = await vscode.window.showQuickPick(
    tenants.map((t) => ({ label: t.displayName ?? t.tenantId, description: t.defaultDomain, detail: t.tenantId, picked: chosen.size === 0 || chosen.has(t.tenantId), tenantId: t.tenantId })),
    { title: vscode.l10n.t('Tenants to show in the Azure view'), canPickMany: true },
  );
  if (!picked) return;
  // All picked means no filter, so tenants added later show up too.
  await services.state.update(selectedTenantsKey, picked.length === tenants.length ? undefined : picked.map((p) => p.tenantId));
  explorer.azure.refresh();
}

export async function selectSubscriptions(explorer: Explorer): Promise<void> {
  const tenants = await explorer.azureLoaders.listTenants();
  const all = (
    await Promise.all(
      tenants.map(async (t) => {
        try {
          return await explorer.azureLoaders.listSubscriptions(t.tenantId);
        } catch (err) {
          explorer.services.log.warn(`Listing the subscriptions of tenant ${t.tenantId}: ${(err as Error).message}`);
          return [];
        }
      }),
    )
  ).flat();
  const config = vscode.workspace.getConfiguration('mhsm.azure');
  const chosen = new Set((config.get<string[]>('selectedSubscriptions') ?? []).map((s) => s.toLowerCase()));
  const picked = await vscode.window.showQuickPick(
    all.map((s) => {
      const entry = `${s.tenantId}/${s.subscriptionId}`;
      return { label: s.displayName, description: s.subscriptionId, picked: chosen.size === 0 || chosen.has(entry.toLowerCase()), entry };
    }),
    { title: vscode.l10n.t('Subscriptions to show in the Azure view'), canPickMany: true },
  );
  if (!picked) return;
  await config.update('selectedSubscriptions', picked.length === all.length ? undefined : picked.map((p) => p.entry), vscode.ConfigurationTarget.Global);
  explorer.azure.refresh();
}
