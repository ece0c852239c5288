import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { securityDomainLimits } from '../core/securityDomainPolicy';
import type { ActivationPrompts, KeySource, QuorumChoice } from './activateManagedHsm';
import { createProposedFolder } from './proposedFolder';
import type { CreatePrompts, HsmSettings } from './createManagedHsm';

// The VS Code side of Create and Activate Managed HSM: QuickPicks, InputBoxes, dialogs and a
// cancellable progress notification behind the prompt seams the command flows use.

function cancellableProgress<T>(title: string, task: (report: (message: string) => void, signal: AbortSignal) => Promise<T>): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return task((message) => progress.report({ message }), controller.signal);
    }),
  );
}

export interface CreatePromptOptions {
  /** Existing resource groups of the subscription. */
  resourceGroups: string[];
  /** Regions to offer (Managed HSM regions); the default is put first. */
  regions: string[];
}

export function vscodeCreatePrompts(options: CreatePromptOptions): CreatePrompts {
  return {
    collectSettings: async (defaults, nameProblem): Promise<HsmSettings | undefined> => {
      const title = vscode.l10n.t('Create Managed HSM');
      const name = await vscode.window.showInputBox({
        title: `${title} (1/6)`,
        prompt: vscode.l10n.t('Name: 3–24 letters, digits and hyphens, starting with a letter. It becomes {name}.managedhsm.azure.net and must be unique across Azure.'),
        value: defaults.name,
        ignoreFocusOut: true,
        validateInput: nameProblem,
      });
      if (!name) return undefined;
      const newGroup = vscode.l10n.t('$(add) New resource group…');
      const groupPick = await vscode.window.showQuickPick([newGroup, ...options.resourceGroups], { title: `${title} (2/6)`, placeHolder: vscode.l10n.t('Resource group'), ignoreFocusOut: true });
      if (!groupPick) return undefined;
      let resourceGroup = groupPick;
      const newResourceGroup = groupPick === newGroup;
      if (newResourceGroup) {
        const typed = await vscode.window.showInputBox({ title: `${title} (2/6)`, prompt: vscode.l10n.t('Name of the new resource group'), value: defaults.resourceGroup, ignoreFocusOut: true });
        if (!typed) return undefined;
        resourceGroup = typed;
      }
      const regions = [defaults.location, ...options.regions.filter((r) => r !== defaults.location)];
      const location = await vscode.window.showQuickPick(
        regions.map((r, i) => ({ label: r, description: i === 0 ? vscode.l10n.t('the Secret Server\'s region') : undefined })),
        { title: `${title} (3/6)`, placeHolder: vscode.l10n.t('Region — keep it the same as the Secret Server'), ignoreFocusOut: true },
      );
      if (!location) return undefined;
      const retention = await vscode.window.showInputBox({
        title: `${title} (4/6)`,
        prompt: vscode.l10n.t('Soft-delete retention in days (7–90). Deleted keys and the HSM itself can be recovered for this long.'),
        value: String(defaults.softDeleteRetentionInDays),
        ignoreFocusOut: true,
        validateInput: (v) => (/^\d+$/.test(v) && Number(v) >= 7 && Number(v) <= 90 ? undefined : vscode.l10n.t('Enter a whole number from 7 to 90.')),
      });
      if (!retention) return undefined;
      const purge = await vscode.window.showQuickPick(
        [
          { label: vscode.l10n.t('Purge protection on'), description: 'recommended', detail: vscode.l10n.t('Nobody can purge the HSM or its keys before the retention ends. This cannot be turned off later.'), value: true },
          { label: vscode.l10n.t('Purge protection off'), detail: vscode.l10n.t('A deleted HSM or key can be purged at once — and with it Secret Server’s master key.'), value: false },
        ],
        { title: `${title} (5/6)`, ignoreFocusOut: true },
      );
      if (!purge) return undefined;
      const network = await vscode.window.showQuickPick(
        [
          { label: vscode.l10n.t('Enabled'), detail: vscode.l10n.t('Reachable over the internet (Secret Server Cloud needs this).') },
          { label: vscode.l10n.t('Disabled'), detail: vscode.l10n.t('Only through private endpoints.') },
        ],
        { title: `${title} (6/6)`, placeHolder: vscode.l10n.t('Public network access'), ignoreFocusOut: true },
      );
      if (!network) return undefined;
      return {
        ...defaults,
        name,
        resourceGroup,
        newResourceGroup,
        location: location.label,
        softDeleteRetentionInDays: Number(retention),
        enablePurgeProtection: purge.value,
        publicNetworkAccess: network.label === vscode.l10n.t('Disabled') ? 'Disabled' : 'Enabled',
      };
    },
    confirmRegionMismatch: async (warning) => (await vscode.window.showWarningMessage(warning, { modal: true }, vscode.l10n.t('Create Anyway'))) === vscode.l10n.t('Create Anyway'),
    chooseAnotherName: async (message, current) =>
      (await vscode.window.showInputBox({ title: vscode.l10n.t('Create Managed HSM'), prompt: vscode.l10n.t('{0} Choose another name.', message), value: current, ignoreFocusOut: true })) || undefined,
    withProgress: cancellableProgress,
  };
}

export function vscodeActivationPrompts(): ActivationPrompts {
  return {
    chooseQuorum: async (hsmName): Promise<QuorumChoice | undefined> => {
      const explain = 'Continue';
      const answer = await vscode.window.showInformationMessage(
        `Activate ${hsmName}`,
        {
          modal: true,
          detail:
            vscode.l10n.t('Activation downloads the HSM’s security domain, encrypted to N RSA key pairs so that any M of them (the quorum) can restore it. Without the security domain file and M private keys the HSM and every key in it — including Secret Server’s master key — cannot be recovered after a disaster.'),
        },
        explain,
      );
      if (answer !== explain) return undefined;
      const count = await vscode.window.showQuickPick(
        Array.from({ length: securityDomainLimits.maxCertificates - securityDomainLimits.minCertificates + 1 }, (_, i) => String(i + securityDomainLimits.minCertificates)),
        { title: vscode.l10n.t('Activate {0}: number of key pairs (N)', hsmName), placeHolder: vscode.l10n.t('3 or more; give each to a different custodian'), ignoreFocusOut: true },
      );
      if (!count) return undefined;
      const required = await vscode.window.showQuickPick(
        Array.from({ length: Number(count) - 1 }, (_, i) => String(i + 2)),
        { title: vscode.l10n.t('Activate {0}: quorum (M of {1})', hsmName, count), placeHolder: vscode.l10n.t('How many private keys are needed to restore the security domain'), ignoreFocusOut: true },
      );
      if (!required) return undefined;
      return { certificateCount: Number(count), required: Number(required) };
    },
    chooseKeySource: async (quorum): Promise<KeySource | undefined> => {
      const pick = await vscode.window.showQuickPick(
        [
          { label: vscode.l10n.t('Generate {0} new key pairs on this computer', quorum.certificateCount), source: 'generate' as const },
          { label: vscode.l10n.t('Use {0} existing certificates…', quorum.certificateCount), detail: vscode.l10n.t('PEM or DER files with RSA public keys of 2048 bits or more'), source: 'existing' as const },
        ],
        { title: vscode.l10n.t('Security domain key pairs'), ignoreFocusOut: true },
      );
      if (!pick) return undefined;
      if (pick.source === 'generate') return { kind: 'generate' };
      const files = await vscode.window.showOpenDialog({ canSelectMany: true, openLabel: vscode.l10n.t('Use Certificates'), filters: { Certificates: ['cer', 'pem', 'crt'] } });
      return files ? { kind: 'existing', certificateFiles: files.map((f) => f.fsPath) } : undefined;
    },
    chooseFolder: async (hsmName, reason) => {
      if (reason) void vscode.window.showErrorMessage(reason);
      // Default outside any workspace folder: these files must not end up in source control.
      const proposed = path.join(os.homedir(), 'managed-hsm-security-domain', hsmName);
      const removeUnused = await createProposedFolder(proposed);
      let folder: string | undefined;
      try {
        const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, defaultUri: vscode.Uri.file(proposed), openLabel: vscode.l10n.t('Save Here'), title: vscode.l10n.t('Where to save the private keys and security domain of {0}', hsmName) });
        folder = chosen?.[0]?.fsPath;
      } finally {
        await removeUnused(folder);
      }
      if (!folder) return undefined;
      const inWorkspace = (vscode.workspace.workspaceFolders ?? []).some((w) => !path.relative(w.uri.fsPath, folder).startsWith('..') && !path.isAbsolute(path.relative(w.uri.fsPath, folder)));
      if (inWorkspace) {
        const keep = await vscode.window.showWarningMessage(vscode.l10n.t('{0} is inside your workspace. Private keys there can end up in source control or backups you do not control.', folder), { modal: true }, vscode.l10n.t('Save There Anyway'));
        if (keep !== vscode.l10n.t('Save There Anyway')) return undefined;
      }
      return folder;
    },
    confirmCustody: async (folder, quorum) =>
      (await vscode.window.showWarningMessage(
        vscode.l10n.t('Save {0} private keys and the security domain to {1}?', quorum.certificateCount, folder),
        {
          modal: true,
          detail: vscode.l10n.t('If the security domain file, or {0} of the {1} private keys, are lost, the HSM cannot be recovered after a disaster and everything it protects is lost. Move each private key to its custodian\'s safe storage afterwards.', quorum.required, quorum.certificateCount),
        },
        vscode.l10n.t('Save and Activate'),
      )) === vscode.l10n.t('Save and Activate'),
    withProgress: cancellableProgress,
  };
}
