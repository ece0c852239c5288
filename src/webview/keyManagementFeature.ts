import * as vscode from 'vscode';
import type { FormPrefill } from '../protocol/keyManagementForm';
import { rotateSecretKeys } from '../commands/rotateSecretKeys';
import type { KeyManagementFormDeps } from './keyManagementFormDeps';
import { KeyManagementPanel } from './keyManagementPanel';
import { RotationFollowers } from './rotationFollowers';

// The entry point the composition root calls once: it owns the single form panel and the
// rotation followers, which the form and the Rotate Secret Keys command share.

export interface KeyManagementFeature {
  /** Opens (or reveals) the form; `prefill` comes from the node the command was run on. */
  openForm(prefill?: FormPrefill): KeyManagementPanel;
  /** The Rotate Secret Keys command: asks for a connection when none is given. */
  rotateSecretKeys(connectionId?: string): Promise<void>;
  readonly followers: RotationFollowers;
}

export function registerKeyManagementForm(context: Pick<vscode.ExtensionContext, 'extensionUri' | 'subscriptions'>, deps: KeyManagementFormDeps): KeyManagementFeature {
  const followers = new RotationFollowers(deps);
  context.subscriptions.push(followers);
  let panel: KeyManagementPanel | undefined;
  context.subscriptions.push({ dispose: () => panel?.dispose() });
  return {
    followers,
    openForm(prefill = {}) {
      if (panel && !panel.isDisposed) {
        panel.reveal(prefill);
        return panel;
      }
      const created = new KeyManagementPanel(context.extensionUri, deps, followers, prefill);
      created.onDidDispose(() => {
        if (panel === created) panel = undefined;
      });
      panel = created;
      return created;
    },
    rotateSecretKeys: (connectionId) => rotateSecretKeys({ ...deps, followers }, connectionId),
  };
}
