import * as l10n from '@vscode/l10n';
import { secretServerKeySpec } from '../secretServerKey';
import { classifyExpiry, describeRemaining, formatUtc } from './expiryHorizon';
import type { ProbeFacts, ReadinessFacts, RotationPolicyFacts } from './facts';
import { notCheckedFinding, type ExpiryThresholds, type Finding, type Fix } from './finding';

// The key Secret Server wraps its master key with: an AES-256 key held in the HSM (oct-HSM),
// allowed to wrap and unwrap, enabled, inside its validity window, and not rotated or expired
// behind Secret Server's back by a rotation policy (Delinea's best practices, secret-server-api.md §10 #12).

const newKeyFix: Fix = { id: 'createSecretServerKey', label: l10n.t('Create an oct-HSM 256-bit key for Secret Server') };

export function keyRules(facts: ReadinessFacts, now: Date, thresholds: ExpiryThresholds): Finding[] {
  return [
    keyTypeRule(facts),
    keySizeRule(facts),
    keyOperationsRule(facts),
    keyEnabledRule(facts),
    keyExpiryRule(facts, now, thresholds),
    keyActivationRule(facts, now),
    rotationPolicyRule(facts),
  ];
}

function keyTypeRule(facts: ReadinessFacts): Finding {
  const base = { id: 'key.type', group: 'key', title: l10n.t('Key type is oct-HSM') } as const;
  if (facts.key.state !== 'known') return notCheckedFinding(base, facts.key);
  const key = facts.key.value;
  if (!key.keyType) return { ...base, status: 'unknown', reason: l10n.t('The service did not report the key type.') };
  if (key.keyType === secretServerKeySpec.keyType) {
    return { ...base, status: 'pass', reason: l10n.t('The key is oct-HSM: an AES key that never leaves the HSM, the only type Secret Server accepts.') };
  }
  return { ...base, status: 'fail', reason: l10n.t('The key is {0}, but Secret Server accepts only oct-HSM (AES) keys; no other type will work.', key.keyType), fix: newKeyFix };
}

function keySizeRule(facts: ReadinessFacts): Finding {
  const base = { id: 'key.size', group: 'key', title: l10n.t('Key is 256 bits') } as const;
  if (facts.key.state !== 'known') return notCheckedFinding(base, facts.key);
  const key = facts.key.value;
  if (key.keyType && key.keyType !== secretServerKeySpec.keyType) {
    const size = key.keySize ? `${key.keySize}-bit ` : '';
    return { ...base, status: 'fail', reason: l10n.t('The key is a {0}{1} key; Secret Server needs a 256-bit AES (oct-HSM) key.', size, key.keyType), fix: newKeyFix };
  }
  // Managed HSM never reports an AES key's size: only a wrap with A256KW, which the HSM refuses
  // for a 128- or 192-bit key, proves it.
  const probe = facts.probe;
  if (probe.state === 'known' && probe.value.ok) {
    return { ...base, status: 'pass', reason: l10n.t('The live test wrapped with A256KW, which the HSM allows only with a 256-bit key (the service does not report the size of AES keys).') };
  }
  if (probe.state === 'known' && !probe.value.ok && probe.value.step === 'wrap' && isRefusedAlgorithm(probe.value)) {
    return {
      ...base,
      status: 'fail',
      reason: l10n.t('The HSM refused to wrap with A256KW, so the key is not 256 bits (the service does not report the size of AES keys): {0}', probe.value.error.message),
      fix: newKeyFix,
    };
  }
  if (key.keySize !== undefined) {
    return key.keySize === secretServerKeySpec.keySize
      ? { ...base, status: 'pass', reason: l10n.t('The service reports a 256-bit key.') }
      : { ...base, status: 'fail', reason: l10n.t('The service reports a {0}-bit key; Secret Server needs 256 bits.', key.keySize), fix: newKeyFix };
  }
  const why =
    probe.state === 'known' && !probe.value.ok
      ? l10n.t('the live test stopped before the wrap ({0})', probe.value.error.message)
      : probe.state === 'failed'
        ? l10n.t('the live test could not run ({0})', probe.error.message)
        : probe.state === 'notChecked'
          ? l10n.t('the live test did not run ({0})', probe.reason)
          : l10n.t('the live test did not run');
  return { ...base, status: 'unknown', reason: l10n.t('Managed HSM does not report the size of AES keys and only a wrap with A256KW proves it, but {0}', why) };
}

function isRefusedAlgorithm(probe: Extract<ProbeFacts, { ok: false }>): boolean {
  return probe.error.statusCode === 400 || probe.error.kind === 'invalidInput';
}

function keyOperationsRule(facts: ReadinessFacts): Finding {
  const base = { id: 'key.operations', group: 'key', title: l10n.t('Key allows wrapKey and unwrapKey') } as const;
  if (facts.key.state !== 'known') return notCheckedFinding(base, facts.key);
  const ops = facts.key.value.keyOps;
  if (!ops) return { ...base, status: 'unknown', reason: l10n.t('The service did not report which operations the key allows.') };
  const missing = secretServerKeySpec.keyOps.filter((op) => !ops.includes(op));
  if (missing.length > 0) {
    return {
      ...base,
      status: 'fail',
      reason: l10n.t('The key does not allow {0}; Secret Server wraps and unwraps its master key with it, so it needs both.', missing.join(' or ')),
      fix: { id: 'addKeyOperations', label: l10n.t('Allow wrapKey and unwrapKey') },
    };
  }
  const extra = ops.filter((op) => !(secretServerKeySpec.keyOps as readonly string[]).includes(op));
  const note = extra.length > 0 ? l10n.t(' It also allows {0}, which Secret Server does not need.', extra.join(', ')) : '';
  return { ...base, status: 'pass', reason: l10n.t('The key allows wrapKey and unwrapKey.{0}', note) };
}

function keyEnabledRule(facts: ReadinessFacts): Finding {
  const base = { id: 'key.enabled', group: 'key', title: l10n.t('Key is enabled') } as const;
  if (facts.key.state !== 'known') return notCheckedFinding(base, facts.key);
  if (facts.key.value.enabled) return { ...base, status: 'pass', reason: l10n.t('The key version is enabled.') };
  return {
    ...base,
    status: 'fail',
    reason: l10n.t('The key version is disabled: the HSM refuses every wrap and unwrap with it, so Secret Server could neither save nor read its master key.'),
    fix: { id: 'enableKey', label: l10n.t('Enable the key version') },
  };
}

function keyExpiryRule(facts: ReadinessFacts, now: Date, thresholds: ExpiryThresholds): Finding {
  const base = { id: 'key.expiry', group: 'key', title: l10n.t('Key is not expired or about to expire') } as const;
  if (facts.key.state !== 'known') return notCheckedFinding(base, facts.key);
  const expiresOn = facts.key.value.expiresOn;
  const fix: Fix = { id: 'extendKeyExpiry', label: l10n.t('Set a later expiry date') };
  const when = expiresOn ? `${formatUtc(expiresOn)}, ${describeRemaining(expiresOn, now)}` : '';
  // After its expiry the HSM refuses wrapKey with the version (unwrap keeps working), so Secret
  // Server rejects it and cannot re-protect its master key at its next rotation.
  switch (classifyExpiry(expiresOn, now, thresholds)) {
    case 'never':
      return { ...base, status: 'pass', reason: l10n.t('The key version has no expiry date.') };
    case 'ok':
      return { ...base, status: 'pass', reason: l10n.t('The key version expires on {0}.', when) };
    case 'warning':
      return { ...base, status: 'warn', reason: l10n.t('The key version expires on {0}: after that the HSM refuses to wrap with it, so plan a new version and switch Secret Server before then.', when), fix };
    case 'critical':
      return { ...base, status: 'fail', reason: l10n.t('The key version expires on {0}: too soon to configure Secret Server with it, as the HSM then refuses to wrap with it.', when), fix };
    case 'expired':
      return { ...base, status: 'fail', reason: l10n.t('The key version expired on {0}: the HSM refuses to wrap with it, so Secret Server rejects it and cannot re-protect its master key.', when), fix };
  }
}

function keyActivationRule(facts: ReadinessFacts, now: Date): Finding {
  const base = { id: 'key.activation', group: 'key', title: l10n.t('Key activation date has passed') } as const;
  if (facts.key.state !== 'known') return notCheckedFinding(base, facts.key);
  const notBefore = facts.key.value.notBefore;
  if (!notBefore) return { ...base, status: 'pass', reason: l10n.t('The key version has no activation date, so it is usable now.') };
  if (notBefore.getTime() <= now.getTime()) return { ...base, status: 'pass', reason: l10n.t('The key version is active since {0}.', formatUtc(notBefore)) };
  return {
    ...base,
    status: 'fail',
    reason: l10n.t('The key version is not active until {0} ({1}): until then the HSM refuses to wrap with it and Secret Server rejects it.', formatUtc(notBefore), describeRemaining(notBefore, now)),
    fix: { id: 'activateKeyNow', label: l10n.t('Make the key version active now') },
  };
}

const rotationPolicyWhy =
  l10n.t('Delinea advises against automatic rotation. Secret Server keeps the key URL it was given: a rotation makes a new current version, which a versionless URL then points to although Secret Server never re-wrapped its master key with it (Delinea does not document whether Secret Server keeps using the version that wrapped it), and the policy\'s expiry ends each version it creates, after which the HSM refuses to wrap with that version (unwrap keeps working) so Secret Server cannot re-protect its master key. Rotate by hand instead: create a new version, switch Secret Server to it, wait at least a day and check that secrets are readable, then consider expiring or disabling the old version.');

function rotationPolicyRule(facts: ReadinessFacts): Finding {
  const base = { id: 'key.rotationPolicy', group: 'key', title: l10n.t('No automatic rotation or expiry policy') } as const;
  if (facts.rotationPolicy.state !== 'known') return notCheckedFinding(base, facts.rotationPolicy);
  const policy = facts.rotationPolicy.value;
  const fix: Fix = { id: 'removeRotationPolicy', label: l10n.t('Remove the rotation policy') };
  const rotate = policy.lifetimeActions.find((a) => a.action.toLowerCase() === 'rotate');
  if (rotate) {
    const trigger = triggerText(rotate.timeAfterCreate, rotate.timeBeforeExpiry);
    const expiry = policy.expiresIn ? l10n.t(' and gives each new version an expiry of {0}', policy.expiresIn) : '';
    return {
      ...base,
      status: 'fail',
      reason: l10n.t('The key\'s rotation policy rotates it automatically ({0}){1}, which can leave Secret Server on a version that no longer wraps its master key.', trigger, expiry),
      detail: rotationPolicyWhy,
      fix,
    };
  }
  if (policy.expiresIn) {
    return {
      ...base,
      status: 'warn',
      reason: l10n.t('The key\'s rotation policy gives each version a rotation creates an expiry of {0}, after which the HSM refuses to wrap with that version.', policy.expiresIn),
      detail: rotationPolicyWhy,
      fix,
    };
  }
  return { ...base, status: 'pass', reason: policyPassReason(policy) };
}

function policyPassReason(policy: RotationPolicyFacts): string {
  if (policy.lifetimeActions.length === 0) return l10n.t('The key has no rotation policy: it changes only when you rotate it yourself.');
  return l10n.t('The key\'s rotation policy only notifies; it neither rotates the key nor sets an expiry.');
}

function triggerText(timeAfterCreate: string | undefined, timeBeforeExpiry: string | undefined): string {
  if (timeAfterCreate) return l10n.t('{0} after each version is created', timeAfterCreate);
  if (timeBeforeExpiry) return l10n.t('{0} before each version expires', timeBeforeExpiry);
  return l10n.t('on a schedule');
}
