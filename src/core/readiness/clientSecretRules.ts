import { classifyExpiry, describeRemaining, formatUtc } from './expiryHorizon';
import type { AppFacts, ClientSecretFacts, ReadinessFacts } from './facts';
import { notCheckedFinding, type ExpiryThresholds, type Finding, type Fix } from './finding';

// The app's client secret is what Secret Server signs in with: when it expires, Secret Server loses
// its key and with it every secret, until someone enters a new one. The rule follows the secret
// Secret Server uses when that is known, else the one that will run out first.

const addFix: Fix = { id: 'addClientSecret', label: 'Add a new client secret' };

export function clientSecretRules(facts: ReadinessFacts, now: Date, thresholds: ExpiryThresholds): Finding[] {
  return [expiryRule(facts, now, thresholds)];
}

function expiryRule(facts: ReadinessFacts, now: Date, thresholds: ExpiryThresholds): Finding {
  const base = { id: 'clientSecrets.expiry', group: 'clientSecrets', title: 'Client secret is not expired or about to expire' } as const;
  if (facts.app.state !== 'known') {
    return notCheckedFinding(base, facts.app, facts.target.appId ? undefined : { id: 'chooseApp', label: 'Choose the app registration Secret Server uses' });
  }
  const app = facts.app.value;
  if (app.secrets.length === 0) {
    return { ...base, status: 'fail', reason: `The app '${app.displayName}' has no client secret, so Secret Server cannot sign in as it.`, fix: addFix };
  }
  const given = app.usedSecret?.source === 'given' ? app.usedSecret.keyId : undefined;
  if (given && !app.secrets.some((s) => s.keyId.toLowerCase() === given.toLowerCase())) {
    return { ...base, status: 'fail', reason: `The client secret Secret Server uses (id ${given}) no longer exists on the app '${app.displayName}', so Secret Server cannot sign in.`, fix: addFix };
  }
  const chosen = chooseSecret(app, now);
  if (!chosen) {
    return { ...base, status: 'fail', reason: `Every client secret of the app '${app.displayName}' has expired, so Secret Server cannot sign in as it.`, fix: addFix };
  }
  const { secret, which } = chosen;
  const name = secretLabel(secret);
  const expiresOn = secret.expiresOn;
  const when = expiresOn ? `${formatUtc(expiresOn)}, ${describeRemaining(expiresOn, now)}` : '';
  switch (classifyExpiry(expiresOn, now, thresholds)) {
    case 'never':
      return { ...base, status: 'pass', reason: `${which} (${name}) has no end date.` };
    case 'ok':
      return { ...base, status: 'pass', reason: `${which} (${name}) expires on ${when}.` };
    case 'warning':
      return { ...base, status: 'warn', reason: `${which} (${name}) expires on ${when}: add a new secret and give it to Secret Server before then.`, fix: addFix };
    case 'critical':
      return { ...base, status: 'warn', reason: `${which} (${name}) expires on ${when}, very soon: add a new secret and give it to Secret Server now, or it can no longer sign in and loses its key.`, fix: addFix };
    case 'expired':
      return { ...base, status: 'fail', reason: `${which} (${name}) expired on ${when}: Secret Server can no longer sign in and has lost its key until it is given a new one.`, fix: addFix };
  }
}

/** The secret to judge, and how to name it in a sentence. */
function chooseSecret(app: AppFacts, now: Date): { secret: ClientSecretFacts; which: string } | undefined {
  const used = app.usedSecret && app.secrets.find((s) => s.keyId.toLowerCase() === app.usedSecret?.keyId.toLowerCase());
  if (used && app.usedSecret) {
    const which = app.usedSecret.source === 'given' ? 'The client secret Secret Server uses' : 'The client secret whose value VS Code holds';
    return { secret: used, which };
  }
  // Unknown which one Secret Server has: an already expired one is more likely a leftover than
  // the one in use (the live test tells), so the soonest-expiring valid one sets the horizon.
  const valid = app.secrets.filter((s) => !s.expiresOn || s.expiresOn.getTime() > now.getTime());
  if (valid.length === 0) return undefined;
  const soonest = [...valid].sort((a, b) => (a.expiresOn?.getTime() ?? Infinity) - (b.expiresOn?.getTime() ?? Infinity))[0];
  const which = valid.length === 1 ? "The app's only valid client secret" : "Which secret Secret Server uses is not known; the app's soonest-expiring valid secret";
  return { secret: soonest, which };
}

function secretLabel(secret: ClientSecretFacts): string {
  return secret.displayName ? `'${secret.displayName}', id ${secret.keyId}` : `id ${secret.keyId}`;
}
