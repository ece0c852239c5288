import * as l10n from '@vscode/l10n';
import { classifyExpiry, describeRemaining, formatUtc } from './expiryHorizon';
import type { AppFacts, ClientSecretFacts, ReadinessFacts } from './facts';
import { notCheckedFinding, type ExpiryThresholds, type Finding, type Fix } from './finding';

// The app's client secret is what Secret Server signs in with: when it expires, Secret Server loses
// its key and with it every secret, until someone enters a new one. The rule follows the secret
// Secret Server uses when that is known, else the one that will run out first.

const addFix: Fix = { id: 'addClientSecret', label: l10n.t('Add a new client secret') };

export function clientSecretRules(facts: ReadinessFacts, now: Date, thresholds: ExpiryThresholds): Finding[] {
  return [expiryRule(facts, now, thresholds)];
}

function expiryRule(facts: ReadinessFacts, now: Date, thresholds: ExpiryThresholds): Finding {
  const base = { id: 'clientSecrets.expiry', group: 'clientSecrets', title: l10n.t('Client secret is not expired or about to expire') } as const;
  if (facts.app.state !== 'known') {
    return notCheckedFinding(base, facts.app, facts.target.appId ? undefined : { id: 'chooseApp', label: l10n.t('Choose the app registration Secret Server uses') });
  }
  const app = facts.app.value;
  if (app.secrets.length === 0) {
    return { ...base, status: 'fail', reason: l10n.t('The app \'{0}\' has no client secret, so Secret Server cannot sign in as it.', app.displayName), fix: addFix };
  }
  const given = app.usedSecret?.source === 'given' ? app.usedSecret.keyId : undefined;
  if (given && !app.secrets.some((s) => s.keyId.toLowerCase() === given.toLowerCase())) {
    return { ...base, status: 'fail', reason: l10n.t('The client secret Secret Server uses (id {0}) no longer exists on the app \'{1}\', so Secret Server cannot sign in.', given, app.displayName), fix: addFix };
  }
  const chosen = chooseSecret(app, now);
  if (!chosen) {
    return { ...base, status: 'fail', reason: l10n.t('Every client secret of the app \'{0}\' has expired, so Secret Server cannot sign in as it.', app.displayName), fix: addFix };
  }
  const { secret, which } = chosen;
  const name = secretLabel(secret);
  const expiresOn = secret.expiresOn;
  const when = expiresOn ? `${formatUtc(expiresOn)}, ${describeRemaining(expiresOn, now)}` : '';
  switch (classifyExpiry(expiresOn, now, thresholds)) {
    case 'never':
      return { ...base, status: 'pass', reason: l10n.t('{0} ({1}) has no end date.', which, name) };
    case 'ok':
      return { ...base, status: 'pass', reason: l10n.t('{0} ({1}) expires on {2}.', which, name, when) };
    case 'warning':
      return { ...base, status: 'warn', reason: l10n.t('{0} ({1}) expires on {2}: add a new secret and give it to Secret Server before then.', which, name, when), fix: addFix };
    case 'critical':
      return { ...base, status: 'warn', reason: l10n.t('{0} ({1}) expires on {2}, very soon: add a new secret and give it to Secret Server now, or it can no longer sign in and loses its key.', which, name, when), fix: addFix };
    case 'expired':
      return { ...base, status: 'fail', reason: l10n.t('{0} ({1}) expired on {2}: Secret Server can no longer sign in and has lost its key until it is given a new one.', which, name, when), fix: addFix };
  }
}

/** The secret to judge, and how to name it in a sentence. */
function chooseSecret(app: AppFacts, now: Date): { secret: ClientSecretFacts; which: string } | undefined {
  const used = app.usedSecret && app.secrets.find((s) => s.keyId.toLowerCase() === app.usedSecret?.keyId.toLowerCase());
  if (used && app.usedSecret) {
    const which = app.usedSecret.source === 'given' ? l10n.t('The client secret Secret Server uses') : l10n.t('The client secret whose value VS Code holds');
    return { secret: used, which };
  }
  // Unknown which one Secret Server has: an already expired one is more likely a leftover than
  // the one in use (the live test tells), so the soonest-expiring valid one sets the horizon.
  const valid = app.secrets.filter((s) => !s.expiresOn || s.expiresOn.getTime() > now.getTime());
  if (valid.length === 0) return undefined;
  const soonest = [...valid].sort((a, b) => (a.expiresOn?.getTime() ?? Infinity) - (b.expiresOn?.getTime() ?? Infinity))[0];
  const which = valid.length === 1 ? l10n.t('The app\'s only valid client secret') : l10n.t('Which secret Secret Server uses is not known; the app\'s soonest-expiring valid secret');
  return { secret: soonest, which };
}

function secretLabel(secret: ClientSecretFacts): string {
  return secret.displayName ? `'${secret.displayName}', id ${secret.keyId}` : `id ${secret.keyId}`;
}
