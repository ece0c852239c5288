import * as l10n from '@vscode/l10n';
import type { Reference, TextRange } from '../core/expiry/referenceScanner';
import type { Severity } from '../core/expiry/severity';
import type { WatchedClientSecret } from '../core/expiry/watchedItem';
import { assessmentsUnder, pathForClientId, pathForKey, type ExpirySnapshot } from './expiryWatch';

// What the editor shows for each reference found in a file, decided without 'vscode' so the same
// logic feeds diagnostics, hovers and CodeLenses (and can be tested without an extension host).

export type FindingLevel = 'error' | 'warning' | 'information';

export interface Finding {
  range: TextRange;
  reference: Reference;
  /** The watched object the reference names. */
  path: string;
  severity: Severity;
  /** Undefined when the severity needs no diagnostic (ok). */
  level?: FindingLevel;
  message: string;
  /** The client secret to renew, when the reference is an app whose secret needs it. */
  renew?: { appId: string; keyId: string };
}

export function levelFor(severity: Severity): FindingLevel | undefined {
  if (severity === 'expired' || severity === 'critical') return 'error';
  if (severity === 'warning') return 'warning';
  if (severity === 'notYetValid') return 'information';
  return undefined;
}

/** Findings for the references the watch knows about; unknown objects are left alone. */
export function findingsFor(references: readonly Reference[], snapshot: ExpirySnapshot): Finding[] {
  const out: Finding[] = [];
  for (const reference of references) {
    const path = reference.kind === 'keyUrl' ? pathForKey(reference.key) : pathForClientId(reference.appId);
    const state = snapshot.states.get(path);
    if (!state) continue;
    const worst = state.worst;
    const under = assessmentsUnder(snapshot, path);
    const secret = under.find((a) => a.item.kind === 'clientSecret' && a.severity !== 'ok')?.item as WatchedClientSecret | undefined;
    const what = reference.kind === 'keyUrl' ? l10n.t('Managed HSM key \'{0}\'{1}', reference.key.name, reference.key.version ? ` version ${reference.key.version}` : '') : `App ${reference.appId}`;
    const message = worst && state.severity !== 'ok' ? `${what}: ${worst.label}.` : l10n.t('{0}: no expiry problems.', what);
    out.push({
      range: reference.range,
      reference,
      path,
      severity: state.severity,
      level: levelFor(state.severity),
      message,
      renew: secret ? { appId: secret.appId, keyId: secret.keyId } : undefined,
    });
  }
  return out;
}
