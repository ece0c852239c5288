// The rules a new Managed HSM and its security domain must meet, checked before anything is sent:
// names (they become DNS names, unique across Azure), the quorum of the security domain (3–10
// certificates, 2–10 of them needed, never more than exist), soft-delete retention (7–90 days), and
// the seed's requirement that the HSM sit in the Secret Server's region.

export const securityDomainLimits = { minCertificates: 3, maxCertificates: 10, minQuorum: 2, maxQuorum: 10 } as const;
const retentionLimits = { minDays: 7, maxDays: 90 } as const;

/** Why `name` cannot name a Managed HSM, or undefined when it can. */
export function managedHsmNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 24) return `A Managed HSM name has 3 to 24 characters; '${name}' has ${name.length}.`;
  if (!/^[a-zA-Z0-9-]+$/.test(name)) return 'A Managed HSM name may contain only letters, digits and hyphens.';
  if (!/^[a-zA-Z]/.test(name)) return 'A Managed HSM name must start with a letter.';
  if (!/[a-zA-Z0-9]$/.test(name)) return 'A Managed HSM name must end with a letter or a digit.';
  if (name.includes('--')) return 'A Managed HSM name may not contain two hyphens in a row.';
  return undefined;
}

/** Why this many certificates with this quorum cannot make a security domain, or undefined. */
export function securityDomainQuorumProblem(certificateCount: number, required: number): string | undefined {
  const { minCertificates, maxCertificates, minQuorum, maxQuorum } = securityDomainLimits;
  if (!Number.isInteger(certificateCount) || certificateCount < minCertificates) {
    return `The security domain needs at least ${minCertificates} certificates (key pairs); ${certificateCount} ${certificateCount === 1 ? 'was' : 'were'} given.`;
  }
  if (certificateCount > maxCertificates) return `The security domain takes at most ${maxCertificates} certificates; ${certificateCount} were given.`;
  if (!Number.isInteger(required) || required < minQuorum || required > maxQuorum) {
    return `The quorum must be a whole number from ${minQuorum} to ${maxQuorum}; ${required} was given.`;
  }
  if (required > certificateCount) {
    return `The quorum (${required}) cannot be larger than the number of certificates (${certificateCount}): the security domain could never be recovered.`;
  }
  return undefined;
}

export function retentionProblem(days: number): string | undefined {
  if (!Number.isInteger(days) || days < retentionLimits.minDays || days > retentionLimits.maxDays) {
    return `Soft-delete retention is a whole number of days from ${retentionLimits.minDays} to ${retentionLimits.maxDays}; ${days} was given.`;
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
  return `The Managed HSM would be in ${normaliseRegion(hsmRegion)}, but the Secret Server is in ${normaliseRegion(secretServerRegion)}. The setup requires them to be in the same region: every master-key unwrap crosses regions otherwise, and a regional outage takes out one or the other.`;
}
