import * as l10n from '@vscode/l10n';
import { parseKeyIdentifier, type HsmHostRules } from '../../core/keyIdentifier';
import type { AzureManagedHsmSettings } from '../../secretServer/keyManagement';

// Whether a connected Secret Server depends on an Azure object, decided from its key management
// configuration (key URL, tenant id, client id). No 'vscode' here: the guard rails' judgement is
// testable without an extension host.

/** What one Secret Server connection said (or why it could not be asked). */
export type ServerUsage = { server: string; settings?: AzureManagedHsmSettings } | { server: string; error: string };

export type Verdict = { kind: 'free' } | { kind: 'inUse'; reasons: string[] } | { kind: 'unknown'; reasons: string[] };

interface KeyUse {
  server: string;
  origin: string;
  name: string;
  version?: string;
}

function keyUses(usages: readonly ServerUsage[], rules: HsmHostRules): { uses: KeyUse[]; unknown: string[] } {
  const uses: KeyUse[] = [];
  const unknown: string[] = [];
  for (const u of usages) {
    if ('error' in u) {
      unknown.push(l10n.t('Could not ask the Secret Server at {0} which key it uses ({1}).', u.server, u.error));
      continue;
    }
    const url = u.settings?.keyUrl;
    if (!url) continue;
    const parsed = parseKeyIdentifier(url, rules);
    if (parsed.ok) uses.push({ server: u.server, origin: parsed.value.origin.toLowerCase(), name: parsed.value.name.toLowerCase(), version: parsed.value.version?.toLowerCase() });
  }
  return { uses, unknown };
}

function verdict(inUse: string[], unknown: string[]): Verdict {
  if (inUse.length > 0) return { kind: 'inUse', reasons: inUse };
  if (unknown.length > 0) return { kind: 'unknown', reasons: unknown };
  return { kind: 'free' };
}

function originOf(hsmUri: string): string {
  try {
    return new URL(hsmUri).origin.toLowerCase();
  } catch {
    return hsmUri.toLowerCase();
  }
}

/** A key (all its versions): in use when a Secret Server's key URL names it. */
export function keyVerdict(usages: readonly ServerUsage[], rules: HsmHostRules, key: { hsmUri: string; name: string }): Verdict {
  const { uses, unknown } = keyUses(usages, rules);
  const origin = originOf(key.hsmUri);
  const inUse = uses.filter((u) => u.origin === origin && u.name === key.name.toLowerCase()).map((u) => l10n.t('The Secret Server at {0} protects its master encryption key with key \'{1}\'{2}.', u.server, key.name, u.version ? ` (version ${u.version})` : ''));
  return verdict(inUse, unknown);
}

/**
 * One version: in use when a Secret Server names exactly it, or names the key without a version
 * (then any version may be the one that wrapped its master key, so every version counts).
 */
export function versionVerdict(usages: readonly ServerUsage[], rules: HsmHostRules, key: { hsmUri: string; name: string; version: string }): Verdict {
  const { uses, unknown } = keyUses(usages, rules);
  const origin = originOf(key.hsmUri);
  const inUse = uses
    .filter((u) => u.origin === origin && u.name === key.name.toLowerCase() && (u.version === undefined || u.version === key.version.toLowerCase()))
    .map((u) =>
      u.version
        ? l10n.t('The Secret Server at {0} uses exactly this version of \'{1}\'.', u.server, key.name)
        : l10n.t('The Secret Server at {0} uses \'{1}\' without a version, so this version may be the one that wrapped its master encryption key.', u.server, key.name),
    );
  return verdict(inUse, unknown);
}

/** An app registration (or one of its client secrets): in use when a Secret Server signs in as it. */
export function appVerdict(usages: readonly ServerUsage[], app: { clientId: string; displayName?: string }): Verdict {
  const inUse: string[] = [];
  const unknown: string[] = [];
  for (const u of usages) {
    if ('error' in u) unknown.push(l10n.t('Could not ask the Secret Server at {0} which app it signs in as ({1}).', u.server, u.error));
    else if (u.settings?.principalId && u.settings.principalId.trim().toLowerCase() === app.clientId.toLowerCase()) {
      inUse.push(l10n.t('The Secret Server at {0} signs in to its Managed HSM as app \'{1}\' (client ID {2}).', u.server, app.displayName ?? app.clientId, app.clientId));
    }
  }
  return verdict(inUse, unknown);
}

/**
 * A role assignment: in use when it belongs to the app a Secret Server signs in as and its scope
 * covers the key that Secret Server uses ('/', '/keys' or that key) in the same HSM.
 */
export function roleAssignmentVerdict(
  usages: readonly ServerUsage[],
  rules: HsmHostRules,
  /** principalClientId: the app's client id; '' when the principal is no app; undefined when unknown. */
  assignment: { hsmUri: string; scope: string; principalClientId?: string },
): Verdict {
  const { uses, unknown } = keyUses(usages, rules);
  const origin = originOf(assignment.hsmUri);
  const scope = assignment.scope.toLowerCase().replace(/\/+$/, '') || '/';
  const inUse: string[] = [];
  for (const u of uses) {
    const settings = usages.find((x) => x.server === u.server && !('error' in x)) as { settings?: AzureManagedHsmSettings } | undefined;
    const signsInAs = settings?.settings?.principalId?.trim().toLowerCase();
    if (u.origin !== origin || !assignment.principalClientId || signsInAs !== assignment.principalClientId.toLowerCase()) continue;
    if (scope === '/' || scope === '/keys' || scope === `/keys/${u.name}`) {
      inUse.push(l10n.t('The Secret Server at {0} signs in as this principal and reaches its key \'{1}\' through this assignment ({2}).', u.server, u.name, assignment.scope));
    }
  }
  if (assignment.principalClientId === undefined && uses.some((u) => u.origin === origin)) unknown.push(l10n.t('Could not tell which app this principal is, so it may be the one a Secret Server signs in as.'));
  return verdict(inUse, unknown);
}
