import * as l10n from '@vscode/l10n';
import { parseKeyIdentifier } from '../keyIdentifier';
import type { ReadinessFacts, SecretServerFacts, SecretServerRotationFacts } from './facts';
import { notCheckedFinding, type Finding, type Fix } from './finding';

// The connected Secret Server: can it be reached, what does it use now, is it busy (a secret key
// rotation or maintenance mode refuses key management changes, secret-server-api.md §10 #9), and
// does it use exactly the key being checked. Without a connection these rules are left out.

const configureFix: Fix = { id: 'configureSecretServer', label: l10n.t('Configure Secret Server to use this key') };

const providerNames = { none: 'None', azureManagedHsm: 'Azure Managed HSM', awsKms: 'AWS KMS', azureKeyVault: 'Azure Key Vault' } as const;

export function secretServerRules(facts: ReadinessFacts): Finding[] {
  const ss = facts.secretServer;
  if (!ss) return [];
  return [reachableRule(ss), configurationRule(facts, ss), rotationRule(ss), readOnlyRule(ss), usesKeyRule(facts, ss)];
}

function reachableRule(ss: SecretServerFacts): Finding {
  const base = { id: 'secretServer.reachable', group: 'secretServer', title: l10n.t('Secret Server is reachable and healthy') } as const;
  if (ss.health.state === 'failed') return { ...base, status: 'fail', reason: l10n.t('Secret Server could not be reached: {0}', ss.health.error.message) };
  if (ss.health.state === 'notChecked') return notCheckedFinding(base, ss.health);
  const health = ss.health.value;
  if (health.keyManagementHealthy === false) {
    return { ...base, status: 'fail', reason: l10n.t('Secret Server reports that it cannot use its key management provider{0}', health.reason ? `: ${health.reason}` : '.') };
  }
  if (!health.healthy) return { ...base, status: 'fail', reason: l10n.t('Secret Server reports itself unhealthy{0}', health.reason ? `: ${health.reason}` : '.') };
  return { ...base, status: 'pass', reason: l10n.t('Secret Server answers and reports itself healthy.') };
}

function configurationRule(facts: ReadinessFacts, ss: SecretServerFacts): Finding {
  const base = { id: 'secretServer.configuration', group: 'secretServer', title: l10n.t('Current key management configuration') } as const;
  if (ss.configuration.state !== 'known') return notCheckedFinding(base, ss.configuration);
  const config = ss.configuration.value;
  if (config.provider !== 'azureManagedHsm') {
    const name = config.provider ? providerNames[config.provider] : (config.typeName ?? l10n.t('not reported'));
    const own = config.provider === 'none' ? l10n.t(': Secret Server protects its master key itself') : '';
    return { ...base, status: 'pass', reason: l10n.t('Key management type: {0}{1}.', name, own) };
  }
  const { appId, tenantId } = facts.target;
  if (appId && config.principalId && config.principalId.toLowerCase() !== appId.toLowerCase()) {
    return { ...base, status: 'warn', reason: l10n.t('Secret Server signs in as app {0}, not as the app checked here ({1}).', config.principalId, appId), fix: configureFix };
  }
  if (tenantId && config.tenantId && config.tenantId.toLowerCase() !== tenantId.toLowerCase()) {
    return { ...base, status: 'warn', reason: l10n.t('Secret Server signs in to tenant {0}, not to the tenant checked here ({1}).', config.tenantId, tenantId), fix: configureFix };
  }
  return {
    ...base,
    status: 'pass',
    reason: l10n.t('Azure Managed HSM, tenant {0}, client id {1}, key URL {2}.', config.tenantId ?? l10n.t('(not shown)'), config.principalId ?? l10n.t('(not shown)'), config.keyUrl ?? l10n.t('(not shown)')),
  };
}

function isActive(r: SecretServerRotationFacts): boolean {
  return r.state === 'running' || r.state === 'pending' || r.state === 'cancelling';
}

function rotationRule(ss: SecretServerFacts): Finding {
  const base = { id: 'secretServer.rotation', group: 'secretServer', title: l10n.t('No secret key rotation in progress') } as const;
  if (ss.rotation.state !== 'known') return notCheckedFinding(base, ss.rotation);
  const r = ss.rotation.value;
  if (isActive(r)) {
    const progress = r.totalSecrets ? l10n.t(' ({0} of {1} secrets)', r.secretsProcessed ?? 0, r.totalSecrets) : '';
    const what = r.state === 'cancelling' ? l10n.t('being cancelled') : r.state === 'pending' ? l10n.t('about to start') : 'running';
    return { ...base, status: 'warn', reason: l10n.t('A secret key rotation is {0}{1}: Secret Server refuses key management changes until it ends.', what, progress) };
  }
  if (r.state === 'failed') {
    return {
      ...base,
      status: 'warn',
      reason: l10n.t('The last secret key rotation did not succeed ({0}){1}; Secret Server may refuse a key management change until one succeeds.', r.lastStatus ?? 'failed', r.message ? `: ${r.message}` : ''),
    };
  }
  const last = r.lastStatus ? l10n.t(' (last run: {0})', r.lastStatus) : '';
  return { ...base, status: 'pass', reason: l10n.t('No secret key rotation is running{0}.', last) };
}

function readOnlyRule(ss: SecretServerFacts): Finding {
  const base = { id: 'secretServer.readOnlyMode', group: 'secretServer', title: l10n.t('Maintenance (read-only) mode is off') } as const;
  if (ss.health.state !== 'known') return notCheckedFinding(base, ss.health);
  const readOnly = ss.health.value.readOnlyMode;
  if (readOnly === undefined) return { ...base, status: 'unknown', reason: l10n.t('Secret Server did not report whether maintenance mode is on.') };
  if (!readOnly) return { ...base, status: 'pass', reason: l10n.t('Maintenance (read-only) mode is off.') };
  const rotating = ss.rotation.state === 'known' && isActive(ss.rotation.value);
  if (rotating) {
    return { ...base, status: 'warn', reason: l10n.t('Maintenance (read-only) mode is on for the running secret key rotation; it ends with the rotation.') };
  }
  return {
    ...base,
    status: 'warn',
    reason: l10n.t('Maintenance (read-only) mode is on: Secret Server refuses key management changes and secret edits until it is turned off.'),
    fix: { id: 'disableReadOnlyMode', label: l10n.t('Turn off maintenance mode') },
  };
}

function usesKeyRule(facts: ReadinessFacts, ss: SecretServerFacts): Finding {
  const base = { id: 'secretServer.usesKey', group: 'secretServer', title: l10n.t('Secret Server uses this key') } as const;
  if (ss.configuration.state !== 'known') return notCheckedFinding(base, ss.configuration);
  const config = ss.configuration.value;
  if (config.provider !== 'azureManagedHsm') {
    const name = config.provider ? providerNames[config.provider] : (config.typeName ?? l10n.t('an unknown type'));
    return { ...base, status: 'warn', reason: l10n.t('Secret Server does not use this key yet (key management type: {0}); enter its URL in Secret Server\'s key management settings.', name), fix: configureFix };
  }
  if (!config.keyUrl) return { ...base, status: 'unknown', reason: l10n.t('Secret Server did not report its key URL.') };
  const theirs = parseKeyIdentifier(config.keyUrl);
  if (!theirs.ok) return { ...base, status: 'warn', reason: l10n.t('Secret Server\'s key URL \'{0}\' is not a Managed HSM key identifier: {1}', config.keyUrl, theirs.reason), fix: configureFix };
  const t = facts.target;
  const sameKey = theirs.value.origin.toLowerCase() === originOf(t.hsmUri) && theirs.value.name.toLowerCase() === t.keyName.toLowerCase();
  if (!sameKey) {
    return { ...base, status: 'warn', reason: l10n.t('Secret Server uses another key ({0}); what this check proves applies to it only after you switch Secret Server to this key.', config.keyUrl), fix: configureFix };
  }
  const current = facts.key.state === 'known' ? facts.key.value.version : undefined;
  const checked = t.keyVersion ?? current;
  const theirVersion = theirs.value.version;
  if (!theirVersion) {
    if (!t.keyVersion) return { ...base, status: 'pass', reason: l10n.t('Secret Server uses this key without a version, so it follows the current version — the one checked.') };
    if (current && current.toLowerCase() === t.keyVersion.toLowerCase()) {
      return { ...base, status: 'pass', reason: l10n.t('Secret Server uses this key without a version, which resolves to the current version — the one checked.') };
    }
    return {
      ...base,
      status: 'warn',
      reason: l10n.t('Secret Server uses this key without a version, which resolves to the current version{0}, not the version checked ({1}).', current ? ` ${current}` : '', t.keyVersion),
      fix: configureFix,
    };
  }
  if (checked && theirVersion.toLowerCase() === checked.toLowerCase()) {
    return { ...base, status: 'pass', reason: l10n.t('Secret Server uses exactly this key version ({0}).', theirVersion) };
  }
  const which = t.keyVersion ? l10n.t('the version checked ({0})', t.keyVersion) : l10n.t('the current version{0}', current ? ` (${current})` : '');
  return { ...base, status: 'warn', reason: l10n.t('Secret Server uses version {0} of this key, not {1}.', theirVersion, which), fix: configureFix };
}

function originOf(uri: string): string {
  try {
    return new URL(uri).origin.toLowerCase();
  } catch {
    return uri.toLowerCase();
  }
}
