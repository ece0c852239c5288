import * as vscode from 'vscode';
import { normaliseThresholds, type ExpiryThresholds } from '../core/expiry/thresholds';

// The user's expiry thresholds (mhsm.expiry.warningDays / criticalDays), read when needed so a
// changed setting applies to the next assessment without a reload. The expiry watch and the
// readiness check read them here, so both call the same dates "warning" and "critical".

export function expiryThresholdsFromSettings(): ExpiryThresholds {
  const config = vscode.workspace.getConfiguration('mhsm.expiry');
  return normaliseThresholds({ warningDays: config.get('warningDays'), criticalDays: config.get('criticalDays') });
}
