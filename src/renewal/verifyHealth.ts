import * as l10n from '@vscode/l10n';
import { delay } from '../secretServer/cancellation';
import type { SecretServerHealth } from '../secretServer/health';
import type { RenewalSecretServer, VerifyOptions } from './renewalDeps';

/**
 * Reads Secret Server's health until it is healthy and out of maintenance mode, or the attempts
 * run out; returns the last reading either way.
 */
export async function waitForHealthy(ss: RenewalSecretServer, options: VerifyOptions = {}): Promise<SecretServerHealth> {
  const attempts = Math.max(1, options.attempts ?? 10);
  let last: SecretServerHealth | undefined;
  for (let i = 0; i < attempts; i++) {
    last = await ss.health();
    if (last.healthy && last.readOnlyMode !== true) return last;
    if (i < attempts - 1) await delay(options.intervalMs ?? 1000, undefined, l10n.t('Waiting for Secret Server to report healthy'));
  }
  return last as SecretServerHealth;
}

export function healthProblem(h: SecretServerHealth): string | undefined {
  if (!h.healthy) return l10n.t('Secret Server reports unhealthy{0}.', h.reason ? `: ${h.reason}` : '');
  if (h.readOnlyMode) return l10n.t('Secret Server is still in maintenance mode.');
  return undefined;
}
