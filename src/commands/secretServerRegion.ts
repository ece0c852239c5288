import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { managedHsmRegions } from '../core/managedHsmRegions';
import { normaliseRegion } from '../core/securityDomainPolicy';
import type { Explorer } from '../explorer';
import type { SecretServerConnection } from '../views/secretServer/connectionStore';
import { ConnectionNode } from '../views/secretServer/secretServerNodes';
import type { TreeNode } from '../views/treeNode';
import { pickNode } from './pickNode';

// The Azure region a Secret Server runs in. Secret Server's API does not publish it, so the user
// states it once per connection ("Set Azure Region…") and Create Managed HSM and the readiness
// check read it from there; Delinea requires the HSM in the same region.

const notSet = l10n.t('region not set');

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** A QuickPick of Managed HSM regions, `current` first; undefined = dismissed. */
export async function pickRegion(title: string, placeHolder: string, current?: string): Promise<string | undefined> {
  const first = current ? normaliseRegion(current) : undefined;
  const regions = first ? [first, ...managedHsmRegions.filter((r) => r !== first)] : [...managedHsmRegions];
  const picked = await vscode.window.showQuickPick(
    regions.map((r) => ({ label: r, description: r === first ? 'current' : undefined })),
    { title, placeHolder, ignoreFocusOut: true },
  );
  return picked?.label;
}

/** "Set Azure Region…" on a connection node (or a connection chosen from the palette). */
export async function setSecretServerRegionCommand(explorer: Explorer, node?: unknown): Promise<SecretServerConnection> {
  const connection =
    node instanceof ConnectionNode ? node.connection : (await pickNode(explorer.secretServer, vscode.l10n.t('Set Azure region of a Secret Server'), (n: TreeNode): n is ConnectionNode => n instanceof ConnectionNode)).connection;
  const region = await pickRegion(vscode.l10n.t('Azure region of {0}', hostOf(connection.url)), vscode.l10n.t('The region your Secret Server (Cloud) tenant runs in; the Managed HSM must be in the same one'), connection.region);
  if (!region) throw new vscode.CancellationError();
  const updated = await explorer.connections.setRegion(connection, region);
  explorer.services.log.info(`Secret Server ${connection.url}: Azure region set to ${region}.`);
  explorer.secretServer.refresh();
  return updated;
}

/**
 * The Secret Server region Create Managed HSM defaults to: that of the only connection, or of the
 * one the user picks among several. When the chosen connection has no region the user is asked
 * for it once and may keep it on the connection. undefined = no Secret Server or no answer.
 */
export async function secretServerRegionForCreate(explorer: Explorer): Promise<string | undefined> {
  const connections = explorer.connections.list();
  if (connections.length === 0) return undefined;
  let connection = connections[0]!;
  if (connections.length > 1) {
    const picked = await vscode.window.showQuickPick(
      connections.map((c) => ({ label: hostOf(c.url), description: `${c.username} · ${c.region ?? notSet}`, connection: c })),
      { title: vscode.l10n.t('Create Managed HSM: which Secret Server will use it?'), placeHolder: vscode.l10n.t('The HSM\'s region defaults to that Secret Server\'s region'), ignoreFocusOut: true },
    );
    if (!picked) return undefined;
    connection = picked.connection;
  }
  if (connection.region) return connection.region;
  const host = hostOf(connection.url);
  const region = await pickRegion(vscode.l10n.t('Create Managed HSM: Azure region of {0}', host), vscode.l10n.t('Secret Server does not report its region; choose the one it runs in (Escape to skip)'));
  if (!region) return undefined;
  const remember = vscode.l10n.t('Remember for this connection');
  const answer = await vscode.window.showQuickPick([remember, vscode.l10n.t('Only for this HSM')], { title: vscode.l10n.t('Remember {0} as the region of {1}?', region, host), ignoreFocusOut: true });
  if (answer === remember) {
    await explorer.connections.setRegion(connection, region);
    explorer.secretServer.refresh();
  }
  return region;
}

/**
 * The Secret Server region the readiness check judges the HSM against: `connection`'s when the
 * check found the Secret Server that uses the key; otherwise the one region the connections name,
 * or the user's pick when they name several. undefined = not known (the rule then says so).
 */
export async function secretServerRegionForCheck(explorer: Explorer, connection: SecretServerConnection | undefined, pick: (items: { label: string; description: string; region: string }[]) => Promise<string | undefined>): Promise<string | undefined> {
  if (connection) return connection.region;
  const withRegion = explorer.connections.list().filter((c): c is SecretServerConnection & { region: string } => !!c.region);
  const regions = [...new Set(withRegion.map((c) => normaliseRegion(c.region)))];
  if (regions.length <= 1) return regions[0];
  return pick(withRegion.map((c) => ({ label: hostOf(c.url), description: `${c.username} · ${c.region}`, region: c.region })));
}
