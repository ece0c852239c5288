import * as l10n from '@vscode/l10n';
import { builtInRoleName, managedHsmRoleIds, roleGuidOf } from '../managedHsmRoles';
import type { ProbeStep, ReadinessFacts, RoleAssignmentFacts } from './facts';
import { notCheckedFinding, type Finding, type Fix } from './finding';

// Whether Secret Server's own identity can use the key: the app's service principal should hold
// Managed HSM Crypto User on exactly this key (the seed's "single key" scope) and nothing broader,
// and — the decisive test — a live wrap + unwrap signed in as the app must work.

const grantFix: Fix = { id: 'grantCryptoUser', label: l10n.t('Grant Managed HSM Crypto User on this key') };
const chooseAppFix: Fix = { id: 'chooseApp', label: l10n.t('Choose the app registration Secret Server uses') };

/** Roles that allow wrap and unwrap on keys; anything else on the key is more (or other) than Secret Server needs. */
const wrappingRoles = new Set<string>([managedHsmRoleIds.cryptoUser, managedHsmRoleIds.cryptoServiceEncryptionUser]);

export function accessRules(facts: ReadinessFacts, now: Date): Finding[] {
  return [keyRoleRule(facts), broaderGrantsRule(facts), probeRule(facts, now)];
}

type Assignments = { ok: true; assignments: RoleAssignmentFacts[] } | { ok: false; finding: Finding };

/** The service principal's assignments, or the finding that says why they are not known. */
function assignmentsOf(facts: ReadinessFacts, base: Omit<Finding, 'status' | 'reason'>): Assignments {
  const appFix = facts.target.appId ? undefined : chooseAppFix;
  if (facts.servicePrincipal.state !== 'known') return { ok: false, finding: notCheckedFinding(base, facts.servicePrincipal, appFix) };
  if (!facts.servicePrincipal.value.found) {
    return {
      ok: false,
      finding: {
        ...base,
        status: 'fail',
        reason: l10n.t('The app {0} has no service principal in this tenant, so it cannot hold any role on the key.', facts.target.appId ?? ''),
        fix: grantFix,
      },
    };
  }
  if (facts.roleAssignments.state !== 'known') return { ok: false, finding: notCheckedFinding(base, facts.roleAssignments) };
  return { ok: true, assignments: facts.roleAssignments.value };
}

function keyRoleRule(facts: ReadinessFacts): Finding {
  const base = { id: 'access.role', group: 'access', title: l10n.t('App holds Crypto User on the key') } as const;
  const found = assignmentsOf(facts, base);
  if (!found.ok) return found.finding;
  const keyName = facts.target.keyName;
  const mine = found.assignments;
  const atKey = mine.filter((a) => scopeKind(a.scope, keyName) === 'thisKey');
  if (atKey.some((a) => roleGuidOf(a.roleDefinitionId) === managedHsmRoleIds.cryptoUser)) {
    return { ...base, status: 'pass', reason: l10n.t('The app\'s service principal holds Managed HSM Crypto User at /keys/{0}, the single-key scope.', keyName) };
  }
  const broader = mine.find((a) => isBroaderScope(a.scope, keyName) && wrappingRoles.has(roleGuidOf(a.roleDefinitionId) ?? ''));
  if (broader) {
    return {
      ...base,
      status: 'warn',
      reason: l10n.t('The app can use the key only through {0} at {1}, which covers more keys than Secret Server needs; grant Crypto User at /keys/{2} instead.', roleLabel(broader), broader.scope, keyName),
      fix: grantFix,
    };
  }
  const narrower = atKey.find((a) => roleGuidOf(a.roleDefinitionId) === managedHsmRoleIds.cryptoServiceEncryptionUser);
  if (narrower) {
    return {
      ...base,
      status: 'warn',
      reason: l10n.t('The app holds {0} on the key, not the Managed HSM Crypto User role Delinea documents; the live test shows whether it is enough.', roleLabel(narrower)),
      fix: grantFix,
    };
  }
  const elsewhere = mine.filter((a) => scopeKind(a.scope, keyName) === 'otherKey' && roleGuidOf(a.roleDefinitionId) === managedHsmRoleIds.cryptoUser);
  const hint = elsewhere.length > 0 ? l10n.t(' (it holds Crypto User on {0} instead)', elsewhere.map((a) => a.scope).join(', ')) : '';
  return {
    ...base,
    status: 'fail',
    reason: l10n.t('The app\'s service principal holds no role that allows wrap and unwrap on /keys/{0}{1}, so Secret Server would be refused.', keyName, hint),
    fix: grantFix,
  };
}

function broaderGrantsRule(facts: ReadinessFacts): Finding {
  const base = { id: 'access.broaderGrants', group: 'access', title: l10n.t('No broader role assignments') } as const;
  const found = assignmentsOf(facts, base);
  if (!found.ok) return found.finding;
  const keyName = facts.target.keyName;
  const broader = found.assignments.filter((a) => {
    const kind = scopeKind(a.scope, keyName);
    if (kind === 'hsm' || kind === 'allKeys') return true;
    return kind === 'thisKey' && !wrappingRoles.has(roleGuidOf(a.roleDefinitionId) ?? '');
  });
  if (broader.length === 0) return { ...base, status: 'pass', reason: l10n.t('The app holds no role broader than this key needs.') };
  const list = broader.map((a) => `${roleLabel(a)} at ${a.scope}`).join(', ');
  return {
    ...base,
    status: 'warn',
    reason: l10n.t('The app also holds {0}: more than Secret Server needs, so a leaked client secret would reach more keys or more operations.', list),
    fix: { id: 'reviewRoleAssignments', label: l10n.t('Review the app\'s role assignments') },
  };
}

const stepText: Record<ProbeStep, string> = {
  identifier: l10n.t('checking the key identifier'),
  token: l10n.t('signing in as the app'),
  wrap: l10n.t('wrapping a test value (A256KW)'),
  unwrap: l10n.t('unwrapping the test value'),
  compare: l10n.t('comparing the unwrapped value'),
};

function probeRule(facts: ReadinessFacts, now: Date): Finding {
  const base = { id: 'access.probe', group: 'access', title: l10n.t('Live wrap and unwrap with the app\'s credentials') } as const;
  const probe = facts.probe;
  if (probe.state !== 'known') {
    const fix: Fix = facts.target.appId ? { id: 'enterClientSecret', label: l10n.t('Enter the app\'s client secret') } : chooseAppFix;
    return notCheckedFinding(base, probe, fix);
  }
  const result = probe.value;
  if (result.ok) {
    return {
      ...base,
      status: 'pass',
      reason: l10n.t('Signed in as the app {0}, the check wrapped and unwrapped a random 256-bit value with A256KW in {1} ms: Secret Server\'s credentials work with this key.', facts.target.appId ?? '', result.durationMs),
    };
  }
  const fix = probeFix(facts, result.step, result.error.kind, result.error.code, now);
  return {
    ...base,
    status: 'fail',
    reason: l10n.t('The live test failed while {0}: {1}', stepText[result.step], result.error.message),
    ...(fix ? { fix } : {}),
  };
}

function probeFix(facts: ReadinessFacts, step: ProbeStep, kind: string, code: string | undefined, now: Date): Fix | undefined {
  if (step === 'token') {
    if (code === 'AADSTS7000222') return { id: 'addClientSecret', label: l10n.t('Add a new client secret') };
    if (code === 'AADSTS7000215') return { id: 'enterClientSecret', label: l10n.t('Enter the app\'s client secret again') };
    return undefined;
  }
  if (kind === 'accessDenied') return grantFix;
  if ((step === 'wrap' || step === 'unwrap') && facts.key.state === 'known') {
    const key = facts.key.value;
    if (!key.enabled) return { id: 'enableKey', label: l10n.t('Enable the key version') };
    if (key.notBefore && key.notBefore.getTime() > now.getTime()) return { id: 'activateKeyNow', label: l10n.t('Make the key version active now') };
    if (key.expiresOn && key.expiresOn.getTime() <= now.getTime()) return { id: 'extendKeyExpiry', label: l10n.t('Set a later expiry date') };
  }
  return undefined;
}

type ScopeKind = 'hsm' | 'allKeys' | 'thisKey' | 'otherKey' | 'other';

/** Managed HSM scopes as the service writes them; the 'keys' segment and key names are case-insensitive. */
function scopeKind(scope: string, keyName: string): ScopeKind {
  const s = scope.length > 1 ? scope.replace(/\/+$/, '') : scope;
  if (s === '/' || s === '') return 'hsm';
  const m = /^\/keys(?:\/([^/]+))?$/i.exec(s);
  if (!m) return 'other';
  if (!m[1]) return 'allKeys';
  return m[1].toLowerCase() === keyName.toLowerCase() ? 'thisKey' : 'otherKey';
}

function isBroaderScope(scope: string, keyName: string): boolean {
  const kind = scopeKind(scope, keyName);
  return kind === 'hsm' || kind === 'allKeys';
}

function roleLabel(a: RoleAssignmentFacts): string {
  return builtInRoleName(a.roleDefinitionId) ?? a.roleName ?? `role ${roleGuidOf(a.roleDefinitionId) ?? a.roleDefinitionId}`;
}
