import * as l10n from '@vscode/l10n';
import type { ReadinessFacts } from './facts';
import { notCheckedFinding, type Finding } from './finding';

// The HSM that holds the key: usable (activated), protected against losing the key (soft delete,
// purge protection), close to Secret Server (Delinea requires the same region), and backed up —
// which Azure cannot show, so that part is a reminder.

export function hsmRules(facts: ReadinessFacts): Finding[] {
  return [activatedRule(facts), softDeleteRule(facts), purgeProtectionRule(facts), regionRule(facts), ...reminders()];
}

function activatedRule(facts: ReadinessFacts): Finding {
  const base = { id: 'hsm.activated', group: 'hsm', title: l10n.t('HSM is activated') } as const;
  if (facts.hsm.state !== 'known') return notCheckedFinding(base, facts.hsm);
  const hsm = facts.hsm.value;
  if (hsm.activated) return { ...base, status: 'pass', reason: l10n.t('The HSM \'{0}\' is activated.', hsm.name) };
  return {
    ...base,
    status: 'fail',
    reason: l10n.t('The HSM \'{0}\' is not activated{1}: it serves no keys until an administrator downloads its security domain (az keyvault security-domain download).', hsm.name, hsm.activationStatus ? ` (${hsm.activationStatus})` : ''),
  };
}

function softDeleteRule(facts: ReadinessFacts): Finding {
  const base = { id: 'hsm.softDelete', group: 'hsm', title: l10n.t('Soft delete is on') } as const;
  if (facts.hsm.state !== 'known') return notCheckedFinding(base, facts.hsm);
  const hsm = facts.hsm.value;
  if (hsm.softDelete) {
    const days = hsm.softDeleteRetentionDays !== undefined ? l10n.t(' for {0} days', hsm.softDeleteRetentionDays) : '';
    return { ...base, status: 'pass', reason: l10n.t('Soft delete is on: a deleted key can be recovered{0}.', days) };
  }
  return { ...base, status: 'fail', reason: l10n.t('Soft delete is off: a deleted key would be gone at once, and with it every secret Secret Server holds.') };
}

function purgeProtectionRule(facts: ReadinessFacts): Finding {
  const base = { id: 'hsm.purgeProtection', group: 'hsm', title: l10n.t('Purge protection is on') } as const;
  if (facts.hsm.state !== 'known') return notCheckedFinding(base, facts.hsm);
  if (facts.hsm.value.purgeProtection) {
    return { ...base, status: 'pass', reason: l10n.t('Purge protection is on: nobody can purge a deleted key before its retention period ends.') };
  }
  return {
    ...base,
    status: 'warn',
    reason: l10n.t('Purge protection is off: anyone allowed to purge could destroy a deleted key for good, and Secret Server with it; once turned on it cannot be turned off.'),
    fix: { id: 'enablePurgeProtection', label: l10n.t('Turn on purge protection') },
  };
}

function regionRule(facts: ReadinessFacts): Finding {
  const base = { id: 'hsm.region', group: 'hsm', title: l10n.t('HSM is in the Secret Server region') } as const;
  if (facts.hsm.state !== 'known') return notCheckedFinding(base, facts.hsm);
  const location = facts.hsm.value.location;
  const region = facts.secretServerRegion?.trim();
  if (!region) {
    return {
      ...base,
      status: 'unknown',
      reason: l10n.t('The HSM is in {0}, but Secret Server\'s Azure region is not known; Delinea requires both in the same region.', location),
      fix: { id: 'setSecretServerRegion', label: l10n.t('Set Secret Server\'s region') },
    };
  }
  if (normaliseRegion(location) === normaliseRegion(region)) return { ...base, status: 'pass', reason: l10n.t('The HSM is in {0}, the same region as Secret Server.', location) };
  return {
    ...base,
    status: 'fail',
    reason: l10n.t('The HSM is in {0} but Secret Server is in {1}; Delinea requires the HSM in the same region as Secret Server (an HSM cannot be moved: use one in {1}).', location, region),
  };
}

/** 'East US', 'eastus' and 'EASTUS' are one region. */
function normaliseRegion(region: string): string {
  return region.toLowerCase().replace(/[\s_-]/g, '');
}

function reminders(): Finding[] {
  return [
    {
      id: 'hsm.securityDomainBackup',
      group: 'hsm',
      title: l10n.t('Security domain is backed up'),
      status: 'pass',
      reminder: true,
      reason: l10n.t('Reminder (Azure cannot show this): keep the security domain file and a quorum of its key pairs offline, in separate places.'),
      detail: l10n.t('Without the security domain a lost or broken HSM cannot be restored, and every key in it — with every secret Secret Server protects — is gone.'),
    },
    {
      id: 'hsm.fullBackup',
      group: 'hsm',
      title: l10n.t('HSM is backed up'),
      status: 'pass',
      reminder: true,
      reason: l10n.t('Reminder (Azure cannot show this): take regular full HSM backups to a storage account and test restoring them.'),
      detail: l10n.t('A full backup, with the security domain, brings back keys and role assignments after a disaster; soft delete only covers a deleted key.'),
    },
  ];
}
