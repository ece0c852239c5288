import { parseKeyIdentifier } from '../keyIdentifier';
import type { ReadinessFacts, SecretServerFacts, SecretServerRotationFacts } from './facts';
import { notCheckedFinding, type Finding, type Fix } from './finding';

// The connected Secret Server: can it be reached, what does it use now, is it busy (a secret key
// rotation or maintenance mode refuses key management changes, secret-server-api.md §10 #9), and
// does it use exactly the key being checked. Without a connection these rules are left out.

const configureFix: Fix = { id: 'configureSecretServer', label: 'Configure Secret Server to use this key' };

const providerNames = { none: 'None', azureManagedHsm: 'Azure Managed HSM', awsKms: 'AWS KMS', azureKeyVault: 'Azure Key Vault' } as const;

export function secretServerRules(facts: ReadinessFacts): Finding[] {
  const ss = facts.secretServer;
  if (!ss) return [];
  return [reachableRule(ss), configurationRule(facts, ss), rotationRule(ss), readOnlyRule(ss), usesKeyRule(facts, ss)];
}

function reachableRule(ss: SecretServerFacts): Finding {
  const base = { id: 'secretServer.reachable', group: 'secretServer', title: 'Secret Server is reachable and healthy' } as const;
  if (ss.health.state === 'failed') return { ...base, status: 'fail', reason: `Secret Server could not be reached: ${ss.health.error.message}` };
  if (ss.health.state === 'notChecked') return notCheckedFinding(base, ss.health);
  const health = ss.health.value;
  if (health.keyManagementHealthy === false) {
    return { ...base, status: 'fail', reason: `Secret Server reports that it cannot use its key management provider${health.reason ? `: ${health.reason}` : '.'}` };
  }
  if (!health.healthy) return { ...base, status: 'fail', reason: `Secret Server reports itself unhealthy${health.reason ? `: ${health.reason}` : '.'}` };
  return { ...base, status: 'pass', reason: 'Secret Server answers and reports itself healthy.' };
}

function configurationRule(facts: ReadinessFacts, ss: SecretServerFacts): Finding {
  const base = { id: 'secretServer.configuration', group: 'secretServer', title: 'Current key management configuration' } as const;
  if (ss.configuration.state !== 'known') return notCheckedFinding(base, ss.configuration);
  const config = ss.configuration.value;
  if (config.provider !== 'azureManagedHsm') {
    const name = config.provider ? providerNames[config.provider] : (config.typeName ?? 'not reported');
    const own = config.provider === 'none' ? ': Secret Server protects its master key itself' : '';
    return { ...base, status: 'pass', reason: `Key management type: ${name}${own}.` };
  }
  const { appId, tenantId } = facts.target;
  if (appId && config.principalId && config.principalId.toLowerCase() !== appId.toLowerCase()) {
    return { ...base, status: 'warn', reason: `Secret Server signs in as app ${config.principalId}, not as the app checked here (${appId}).`, fix: configureFix };
  }
  if (tenantId && config.tenantId && config.tenantId.toLowerCase() !== tenantId.toLowerCase()) {
    return { ...base, status: 'warn', reason: `Secret Server signs in to tenant ${config.tenantId}, not to the tenant checked here (${tenantId}).`, fix: configureFix };
  }
  return {
    ...base,
    status: 'pass',
    reason: `Azure Managed HSM, tenant ${config.tenantId ?? '(not shown)'}, client id ${config.principalId ?? '(not shown)'}, key URL ${config.keyUrl ?? '(not shown)'}.`,
  };
}

function isActive(r: SecretServerRotationFacts): boolean {
  return r.state === 'running' || r.state === 'pending' || r.state === 'cancelling';
}

function rotationRule(ss: SecretServerFacts): Finding {
  const base = { id: 'secretServer.rotation', group: 'secretServer', title: 'No secret key rotation in progress' } as const;
  if (ss.rotation.state !== 'known') return notCheckedFinding(base, ss.rotation);
  const r = ss.rotation.value;
  if (isActive(r)) {
    const progress = r.totalSecrets ? ` (${r.secretsProcessed ?? 0} of ${r.totalSecrets} secrets)` : '';
    const what = r.state === 'cancelling' ? 'being cancelled' : r.state === 'pending' ? 'about to start' : 'running';
    return { ...base, status: 'warn', reason: `A secret key rotation is ${what}${progress}: Secret Server refuses key management changes until it ends.` };
  }
  if (r.state === 'failed') {
    return {
      ...base,
      status: 'warn',
      reason: `The last secret key rotation did not succeed (${r.lastStatus ?? 'failed'})${r.message ? `: ${r.message}` : ''}; Secret Server may refuse a key management change until one succeeds.`,
    };
  }
  const last = r.lastStatus ? ` (last run: ${r.lastStatus})` : '';
  return { ...base, status: 'pass', reason: `No secret key rotation is running${last}.` };
}

function readOnlyRule(ss: SecretServerFacts): Finding {
  const base = { id: 'secretServer.readOnlyMode', group: 'secretServer', title: 'Maintenance (read-only) mode is off' } as const;
  if (ss.health.state !== 'known') return notCheckedFinding(base, ss.health);
  const readOnly = ss.health.value.readOnlyMode;
  if (readOnly === undefined) return { ...base, status: 'unknown', reason: 'Secret Server did not report whether maintenance mode is on.' };
  if (!readOnly) return { ...base, status: 'pass', reason: 'Maintenance (read-only) mode is off.' };
  const rotating = ss.rotation.state === 'known' && isActive(ss.rotation.value);
  if (rotating) {
    return { ...base, status: 'warn', reason: 'Maintenance (read-only) mode is on for the running secret key rotation; it ends with the rotation.' };
  }
  return {
    ...base,
    status: 'warn',
    reason: 'Maintenance (read-only) mode is on: Secret Server refuses key management changes and secret edits until it is turned off.',
    fix: { id: 'disableReadOnlyMode', label: 'Turn off maintenance mode' },
  };
}

function usesKeyRule(facts: ReadinessFacts, ss: SecretServerFacts): Finding {
  const base = { id: 'secretServer.usesKey', group: 'secretServer', title: 'Secret Server uses this key' } as const;
  if (ss.configuration.state !== 'known') return notCheckedFinding(base, ss.configuration);
  const config = ss.configuration.value;
  if (config.provider !== 'azureManagedHsm') {
    const name = config.provider ? providerNames[config.provider] : (config.typeName ?? 'an unknown type');
    return { ...base, status: 'warn', reason: `Secret Server does not use this key yet (key management type: ${name}); enter its URL in Secret Server's key management settings.`, fix: configureFix };
  }
  if (!config.keyUrl) return { ...base, status: 'unknown', reason: 'Secret Server did not report its key URL.' };
  const theirs = parseKeyIdentifier(config.keyUrl);
  if (!theirs.ok) return { ...base, status: 'warn', reason: `Secret Server's key URL '${config.keyUrl}' is not a Managed HSM key identifier: ${theirs.reason}`, fix: configureFix };
  const t = facts.target;
  const sameKey = theirs.value.origin.toLowerCase() === originOf(t.hsmUri) && theirs.value.name.toLowerCase() === t.keyName.toLowerCase();
  if (!sameKey) {
    return { ...base, status: 'warn', reason: `Secret Server uses another key (${config.keyUrl}); what this check proves applies to it only after you switch Secret Server to this key.`, fix: configureFix };
  }
  const current = facts.key.state === 'known' ? facts.key.value.version : undefined;
  const checked = t.keyVersion ?? current;
  const theirVersion = theirs.value.version;
  if (!theirVersion) {
    if (!t.keyVersion) return { ...base, status: 'pass', reason: 'Secret Server uses this key without a version, so it follows the current version — the one checked.' };
    if (current && current.toLowerCase() === t.keyVersion.toLowerCase()) {
      return { ...base, status: 'pass', reason: 'Secret Server uses this key without a version, which resolves to the current version — the one checked.' };
    }
    return {
      ...base,
      status: 'warn',
      reason: `Secret Server uses this key without a version, which resolves to the current version${current ? ` ${current}` : ''}, not the version checked (${t.keyVersion}).`,
      fix: configureFix,
    };
  }
  if (checked && theirVersion.toLowerCase() === checked.toLowerCase()) {
    return { ...base, status: 'pass', reason: `Secret Server uses exactly this key version (${theirVersion}).` };
  }
  const which = t.keyVersion ? `the version checked (${t.keyVersion})` : `the current version${current ? ` (${current})` : ''}`;
  return { ...base, status: 'warn', reason: `Secret Server uses version ${theirVersion} of this key, not ${which}.`, fix: configureFix };
}

function originOf(uri: string): string {
  try {
    return new URL(uri).origin.toLowerCase();
  } catch {
    return uri.toLowerCase();
  }
}
