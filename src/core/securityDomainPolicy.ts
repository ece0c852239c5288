import * as l10n from '@vscode/l10n';
// The rules a new Managed HSM and its security domain must meet, checked before anything is sent:
// names (they become DNS names, unique across Azure), the quorum of the security domain (3–10
// certificates, 2–10 of them needed, never more than exist), soft-delete retention (7–90 days), and
// the seed's requirement that the HSM sit in the Secret Server's region.

export const securityDomainLimits = { minCertificates: 3, maxCertificates: 10, minQuorum: 2, maxQuorum: 10 } as const;
const retentionLimits = { minDays: 7, maxDays: 90 } as const;

/** Why `name` cannot name a Managed HSM, or undefined when it can. */
export function managedHsmNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 24) return l10n.t('A Managed HSM name has 3 to 24 characters; \'{0}\' has {1}.', name, name.length);
  if (!/^[a-zA-Z0-9-]+$/.test(name)) return l10n.t('A Managed HSM name may contain only letters, digits and hyphens.');
  if (!/^[a-zA-Z]/.test(name)) return l10n.t('A Managed HSM name must start with a letter.');
  if (!/[a-zA-Z0-9]$/.test(name)) return l10n.t('A Managed HSM name must end with a letter or a digit.');
  if (name.includes('--')) return l10n.t('A Managed HSM name may not contain two hyphens in a row.');
  return undefined;
}

/** Why this many certificates with this quorum cannot make a security domain, or undefined. */
export function securityDomainQuorumProblem(certificateCount: number, required: number): string | undefined {
  const { minCertificates, maxCertificates, minQuorum, maxQuorum } = securityDomainLimits;
  if (!Number.isInteger(certificateCount) || certificateCount < minCertificates) {
    return l10n.t('The security domain needs at least {0} certificates (key pairs); {1} {2} given.', minCertificates, certificateCount, certificateCount === 1 ? 'was' : 'were');
  }
  if (certificateCount > maxCertificates) return l10n.t('The security domain takes at most {0} certificates; {1} were given.', maxCertificates, certificateCount);
  if (!Number.isInteger(required) || required < minQuorum || required > maxQuorum) {
    return l10n.t('The quorum must be a whole number from {0} to {1}; {2} was given.', minQuorum, maxQuorum, required);
  }
  if (required > certificateCount) {
    return l10n.t('The quorum ({0}) cannot be larger than the number of certificates ({1}): the security domain could never be recovered.', required, certificateCount);
  }
  return undefined;
}

export function retentionProblem(days: number): string | undefined {
  if (!Number.isInteger(days) || days < retentionLimits.minDays || days > retentionLimits.maxDays) {
    return l10n.t('Soft-delete retention is a whole number of days from {0} to {1}; {2} was given.', retentionLimits.minDays, retentionLimits.maxDays, days);
  }
  return undefined;
}

/** 'East US' and 'eastus' are the same region. */
export function normaliseRegion(region: string): string {
  return region.replace(/\s+/g, '').toLowerCase();
}

/** A warning when the HSM would sit in another region than the Secret Server it protects. */
export function regionMismatchWarning(hsmRegion: string, secretServerRegion: string | undefined): string | undefined {
  if (!secretServerRegion) return undefined;
  if (normaliseRegion(hsmRegion) === normaliseRegion(secretServerRegion)) return undefined;
  return l10n.t('The Managed HSM would be in {0}, but the Secret Server is in {1}. The setup requires them to be in the same region: every master-key unwrap crosses regions otherwise, and a regional outage takes out one or the other.', normaliseRegion(hsmRegion), normaliseRegion(secretServerRegion));
}
