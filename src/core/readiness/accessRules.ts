import { builtInRoleName, managedHsmRoleIds, roleGuidOf } from '../managedHsmRoles';
import type { ProbeStep, ReadinessFacts, RoleAssignmentFacts } from './facts';
import { notCheckedFinding, type Finding, type Fix } from './finding';

// Whether Secret Server's own identity can use the key: the app's service principal should hold
// Managed HSM Crypto User on exactly this key (the seed's "single key" scope) and nothing broader,
// and — the decisive test — a live wrap + unwrap signed in as the app must work.

const grantFix: Fix = { id: 'grantCryptoUser', label: 'Grant Managed HSM Crypto User on this key' };
const chooseAppFix: Fix = { id: 'chooseApp', label: 'Choose the app registration Secret Server uses' };

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
        reason: `The app ${facts.target.appId ?? ''} has no service principal in this tenant, so it cannot hold any role on the key.`,
        fix: grantFix,
      },
    };
  }
  if (facts.roleAssignments.state !== 'known') return { ok: false, finding: notCheckedFinding(base, facts.roleAssignments) };
  return { ok: true, assignments: facts.roleAssignments.value };
}

function keyRoleRule(facts: ReadinessFacts): Finding {
  const base = { id: 'access.role', group: 'access', title: 'App holds Crypto User on the key' } as const;
  const found = assignmentsOf(facts, base);
  if (!found.ok) return found.finding;
  const keyName = facts.target.keyName;
  const mine = found.assignments;
  const atKey = mine.filter((a) => scopeKind(a.scope, keyName) === 'thisKey');
  if (atKey.some((a) => roleGuidOf(a.roleDefinitionId) === managedHsmRoleIds.cryptoUser)) {
    return { ...base, status: 'pass', reason: `The app's service principal holds Managed HSM Crypto User at /keys/${keyName}, the single-key scope.` };
  }
  const broader = mine.find((a) => isBroaderScope(a.scope, keyName) && wrappingRoles.has(roleGuidOf(a.roleDefinitionId) ?? ''));
  if (broader) {
    return {
      ...base,
      status: 'warn',
      reason: `The app can use the key only through ${roleLabel(broader)} at ${broader.scope}, which covers more keys than Secret Server needs; grant Crypto User at /keys/${keyName} instead.`,
      fix: grantFix,
    };
  }
  const narrower = atKey.find((a) => roleGuidOf(a.roleDefinitionId) === managedHsmRoleIds.cryptoServiceEncryptionUser);
  if (narrower) {
    return {
      ...base,
      status: 'warn',
      reason: `The app holds ${roleLabel(narrower)} on the key, not the Managed HSM Crypto User role Delinea documents; the live test shows whether it is enough.`,
      fix: grantFix,
    };
  }
  const elsewhere = mine.filter((a) => scopeKind(a.scope, keyName) === 'otherKey' && roleGuidOf(a.roleDefinitionId) === managedHsmRoleIds.cryptoUser);
  const hint = elsewhere.length > 0 ? ` (it holds Crypto User on ${elsewhere.map((a) => a.scope).join(', ')} instead)` : '';
  return {
    ...base,
    status: 'fail',
    reason: `The app's service principal holds no role that allows wrap and unwrap on /keys/${keyName}${hint}, so Secret Server would be refused.`,
    fix: grantFix,
  };
}

function broaderGrantsRule(facts: ReadinessFacts): Finding {
  const base = { id: 'access.broaderGrants', group: 'access', title: 'No broader role assignments' } as const;
  const found = assignmentsOf(facts, base);
  if (!found.ok) return found.finding;
  const keyName = facts.target.keyName;
  const broader = found.assignments.filter((a) => {
    const kind = scopeKind(a.scope, keyName);
    if (kind === 'hsm' || kind === 'allKeys') return true;
    return kind === 'thisKey' && !wrappingRoles.has(roleGuidOf(a.roleDefinitionId) ?? '');
  });
  if (broader.length === 0) return { ...base, status: 'pass', reason: 'The app holds no role broader than this key needs.' };
  const list = broader.map((a) => `${roleLabel(a)} at ${a.scope}`).join(', ');
  return {
    ...base,
    status: 'warn',
    reason: `The app also holds ${list}: more than Secret Server needs, so a leaked client secret would reach more keys or more operations.`,
    fix: { id: 'reviewRoleAssignments', label: "Review the app's role assignments" },
  };
}

const stepText: Record<ProbeStep, string> = {
  identifier: 'checking the key identifier',
  token: 'signing in as the app',
  wrap: 'wrapping a test value (A256KW)',
  unwrap: 'unwrapping the test value',
  compare: 'comparing the unwrapped value',
};

function probeRule(facts: ReadinessFacts, now: Date): Finding {
  const base = { id: 'access.probe', group: 'access', title: "Live wrap and unwrap with the app's credentials" } as const;
  const probe = facts.probe;
  if (probe.state !== 'known') {
    const fix: Fix = facts.target.appId ? { id: 'enterClientSecret', label: "Enter the app's client secret" } : chooseAppFix;
    return notCheckedFinding(base, probe, fix);
  }
  const result = probe.value;
  if (result.ok) {
    return {
      ...base,
      status: 'pass',
      reason: `Signed in as the app ${facts.target.appId ?? ''}, the check wrapped and unwrapped a random 256-bit value with A256KW in ${result.durationMs} ms: Secret Server's credentials work with this key.`,
    };
  }
  const fix = probeFix(facts, result.step, result.error.kind, result.error.code, now);
  return {
    ...base,
    status: 'fail',
    reason: `The live test failed while ${stepText[result.step]}: ${result.error.message}`,
    ...(fix ? { fix } : {}),
  };
}

function probeFix(facts: ReadinessFacts, step: ProbeStep, kind: string, code: string | undefined, now: Date): Fix | undefined {
  if (step === 'token') {
    if (code === 'AADSTS7000222') return { id: 'addClientSecret', label: 'Add a new client secret' };
    if (code === 'AADSTS7000215') return { id: 'enterClientSecret', label: "Enter the app's client secret again" };
    return undefined;
  }
  if (kind === 'accessDenied') return grantFix;
  if ((step === 'wrap' || step === 'unwrap') && facts.key.state === 'known') {
    const key = facts.key.value;
    if (!key.enabled) return { id: 'enableKey', label: 'Enable the key version' };
    if (key.notBefore && key.notBefore.getTime() > now.getTime()) return { id: 'activateKeyNow', label: 'Make the key version active now' };
    if (key.expiresOn && key.expiresOn.getTime() <= now.getTime()) return { id: 'extendKeyExpiry', label: 'Set a later expiry date' };
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
