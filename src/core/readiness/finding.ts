import * as l10n from '@vscode/l10n';
import type { Fact } from './facts';

// What one readiness rule concludes. Findings are shown to the user and saved as Markdown, so
// they carry names, dates and the services' own words — never a secret or a secret's hint.

export type FindingStatus = 'pass' | 'warn' | 'fail' | 'unknown';

export type FindingGroup = 'key' | 'hsm' | 'access' | 'clientSecrets' | 'secretServer';

/** The fixes the extension knows how to apply; commands look them up by id. */
export type FixId =
  | 'createSecretServerKey'
  | 'addKeyOperations'
  | 'enableKey'
  | 'extendKeyExpiry'
  | 'activateKeyNow'
  | 'removeRotationPolicy'
  | 'enablePurgeProtection'
  | 'setSecretServerRegion'
  | 'chooseApp'
  | 'grantCryptoUser'
  | 'reviewRoleAssignments'
  | 'enterClientSecret'
  | 'addClientSecret'
  | 'disableReadOnlyMode'
  | 'configureSecretServer';

export interface Fix {
  id: FixId;
  label: string;
}

export interface Finding {
  /** Stable rule id, e.g. 'key.enabled'. */
  id: string;
  group: FindingGroup;
  title: string;
  status: FindingStatus;
  /** One sentence: what was found and why it matters. */
  reason: string;
  /** The longer why, for rules whose reason cannot carry it (rotation policy, reminders). */
  detail?: string;
  fix?: Fix;
  /** Advice that cannot be checked from Azure; always 'pass' and never affects the verdict. */
  reminder?: true;
}

// The same thresholds (and defaults) as the expiry watch, so the check and the watch agree.
export { defaultThresholds as defaultExpiryThresholds, type ExpiryThresholds } from '../expiry/thresholds';

/** The rule cannot decide: the part it needs was not gathered. */
export function notCheckedFinding(base: Omit<Finding, 'status' | 'reason'>, fact: Fact<unknown>, fix?: Finding['fix']): Finding {
  const reason = fact.state === 'failed' ? l10n.t('Not checked: {0}', fact.error.message) : fact.state === 'notChecked' ? l10n.t('Not checked: {0}', fact.reason) : l10n.t('Not checked.');
  return { ...base, status: 'unknown', reason, ...(fix ? { fix } : {}) };
}
