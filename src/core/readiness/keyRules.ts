import { secretServerKeySpec } from '../secretServerKey';
import { classifyExpiry, describeRemaining, formatUtc } from './expiryHorizon';
import type { ProbeFacts, ReadinessFacts, RotationPolicyFacts } from './facts';
import { notCheckedFinding, type ExpiryThresholds, type Finding, type Fix } from './finding';

// The key Secret Server wraps its master key with: an AES-256 key held in the HSM (oct-HSM),
// allowed to wrap and unwrap, enabled, inside its validity window, and not rotated or expired
// behind Secret Server's back by a rotation policy (Delinea's best practices, secret-server-api.md §10 #12).

const newKeyFix: Fix = { id: 'createSecretServerKey', label: 'Create an oct-HSM 256-bit key for Secret Server' };

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
  const base = { id: 'key.type', group: 'key', title: 'Key type is oct-HSM' } as const;
  if (facts.key.state !== 'known') return notCheckedFinding(base, facts.key);
  const key = facts.key.value;
  if (!key.keyType) return { ...base, status: 'unknown', reason: 'The service did not report the key type.' };
  if (key.keyType === secretServerKeySpec.keyType) {
    return { ...base, status: 'pass', reason: 'The key is oct-HSM: an AES key that never leaves the HSM, the only type Secret Server accepts.' };
  }
  return { ...base, status: 'fail', reason: `The key is ${key.keyType}, but Secret Server accepts only oct-HSM (AES) keys; no other type will work.`, fix: newKeyFix };
}

function keySizeRule(facts: ReadinessFacts): Finding {
  const base = { id: 'key.size', group: 'key', title: 'Key is 256 bits' } as const;
  if (facts.key.state !== 'known') return notCheckedFinding(base, facts.key);
  const key = facts.key.value;
  if (key.keyType && key.keyType !== secretServerKeySpec.keyType) {
    const size = key.keySize ? `${key.keySize}-bit ` : '';
    return { ...base, status: 'fail', reason: `The key is a ${size}${key.keyType} key; Secret Server needs a 256-bit AES (oct-HSM) key.`, fix: newKeyFix };
  }
  // Managed HSM never reports an AES key's size: only a wrap with A256KW, which the HSM refuses
  // for a 128- or 192-bit key, proves it.
  const probe = facts.probe;
  if (probe.state === 'known' && probe.value.ok) {
    return { ...base, status: 'pass', reason: 'The live test wrapped with A256KW, which the HSM allows only with a 256-bit key (the service does not report the size of AES keys).' };
  }
  if (probe.state === 'known' && !probe.value.ok && probe.value.step === 'wrap' && isRefusedAlgorithm(probe.value)) {
    return {
      ...base,
      status: 'fail',
      reason: `The HSM refused to wrap with A256KW, so the key is not 256 bits (the service does not report the size of AES keys): ${probe.value.error.message}`,
      fix: newKeyFix,
    };
  }
  if (key.keySize !== undefined) {
    return key.keySize === secretServerKeySpec.keySize
      ? { ...base, status: 'pass', reason: 'The service reports a 256-bit key.' }
      : { ...base, status: 'fail', reason: `The service reports a ${key.keySize}-bit key; Secret Server needs 256 bits.`, fix: newKeyFix };
  }
  const why =
    probe.state === 'known' && !probe.value.ok
      ? `the live test stopped before the wrap (${probe.value.error.message})`
      : probe.state === 'failed'
        ? `the live test could not run (${probe.error.message})`
        : probe.state === 'notChecked'
          ? `the live test did not run (${probe.reason})`
          : 'the live test did not run';
  return { ...base, status: 'unknown', reason: `Managed HSM does not report the size of AES keys and only a wrap with A256KW proves it, but ${why}` };
}

function isRefusedAlgorithm(probe: Extract<ProbeFacts, { ok: false }>): boolean {
  return probe.error.statusCode === 400 || probe.error.kind === 'invalidInput';
}

function keyOperationsRule(facts: ReadinessFacts): Finding {
  const base = { id: 'key.operations', group: 'key', title: 'Key allows wrapKey and unwrapKey' } as const;
  if (facts.key.state !== 'known') return notCheckedFinding(base, facts.key);
  const ops = facts.key.value.keyOps;
  if (!ops) return { ...base, status: 'unknown', reason: 'The service did not report which operations the key allows.' };
  const missing = secretServerKeySpec.keyOps.filter((op) => !ops.includes(op));
  if (missing.length > 0) {
    return {
      ...base,
      status: 'fail',
      reason: `The key does not allow ${missing.join(' or ')}; Secret Server wraps and unwraps its master key with it, so it needs both.`,
      fix: { id: 'addKeyOperations', label: 'Allow wrapKey and unwrapKey' },
    };
  }
  const extra = ops.filter((op) => !(secretServerKeySpec.keyOps as readonly string[]).includes(op));
  const note = extra.length > 0 ? ` It also allows ${extra.join(', ')}, which Secret Server does not need.` : '';
  return { ...base, status: 'pass', reason: `The key allows wrapKey and unwrapKey.${note}` };
}

function keyEnabledRule(facts: ReadinessFacts): Finding {
  const base = { id: 'key.enabled', group: 'key', title: 'Key is enabled' } as const;
  if (facts.key.state !== 'known') return notCheckedFinding(base, facts.key);
  if (facts.key.value.enabled) return { ...base, status: 'pass', reason: 'The key version is enabled.' };
  return {
    ...base,
    status: 'fail',
    reason: 'The key version is disabled: the HSM refuses every wrap and unwrap with it, so Secret Server could neither save nor read its master key.',
    fix: { id: 'enableKey', label: 'Enable the key version' },
  };
}

function keyExpiryRule(facts: ReadinessFacts, now: Date, thresholds: ExpiryThresholds): Finding {
  const base = { id: 'key.expiry', group: 'key', title: 'Key is not expired or about to expire' } as const;
  if (facts.key.state !== 'known') return notCheckedFinding(base, facts.key);
  const expiresOn = facts.key.value.expiresOn;
  const fix: Fix = { id: 'extendKeyExpiry', label: 'Set a later expiry date' };
  const when = expiresOn ? `${formatUtc(expiresOn)}, ${describeRemaining(expiresOn, now)}` : '';
  // After its expiry the HSM refuses wrapKey with the version (unwrap keeps working), so Secret
  // Server rejects it and cannot re-protect its master key at its next rotation.
  switch (classifyExpiry(expiresOn, now, thresholds)) {
    case 'never':
      return { ...base, status: 'pass', reason: 'The key version has no expiry date.' };
    case 'ok':
      return { ...base, status: 'pass', reason: `The key version expires on ${when}.` };
    case 'warning':
      return { ...base, status: 'warn', reason: `The key version expires on ${when}: after that the HSM refuses to wrap with it, so plan a new version and switch Secret Server before then.`, fix };
    case 'critical':
      return { ...base, status: 'fail', reason: `The key version expires on ${when}: too soon to configure Secret Server with it, as the HSM then refuses to wrap with it.`, fix };
    case 'expired':
      return { ...base, status: 'fail', reason: `The key version expired on ${when}: the HSM refuses to wrap with it, so Secret Server rejects it and cannot re-protect its master key.`, fix };
  }
}

function keyActivationRule(facts: ReadinessFacts, now: Date): Finding {
  const base = { id: 'key.activation', group: 'key', title: 'Key activation date has passed' } as const;
  if (facts.key.state !== 'known') return notCheckedFinding(base, facts.key);
  const notBefore = facts.key.value.notBefore;
  if (!notBefore) return { ...base, status: 'pass', reason: 'The key version has no activation date, so it is usable now.' };
  if (notBefore.getTime() <= now.getTime()) return { ...base, status: 'pass', reason: `The key version is active since ${formatUtc(notBefore)}.` };
  return {
    ...base,
    status: 'fail',
    reason: `The key version is not active until ${formatUtc(notBefore)} (${describeRemaining(notBefore, now)}): until then the HSM refuses to wrap with it and Secret Server rejects it.`,
    fix: { id: 'activateKeyNow', label: 'Make the key version active now' },
  };
}

const rotationPolicyWhy =
  'Delinea advises against automatic rotation. Secret Server keeps the key URL it was given: a rotation makes a new current ' +
  'version, which a versionless URL then points to although Secret Server never re-wrapped its master key with it (Delinea does not ' +
  'document whether Secret Server keeps using the version that wrapped it), and the policy\'s expiry ends each version it creates, ' +
  'after which the HSM refuses to wrap with that version (unwrap keeps working) so Secret Server cannot re-protect its master key. ' +
  'Rotate by hand instead: create a new version, switch Secret Server to it, wait at least a day and check that secrets are readable, ' +
  'then consider expiring or disabling the old version.';

function rotationPolicyRule(facts: ReadinessFacts): Finding {
  const base = { id: 'key.rotationPolicy', group: 'key', title: 'No automatic rotation or expiry policy' } as const;
  if (facts.rotationPolicy.state !== 'known') return notCheckedFinding(base, facts.rotationPolicy);
  const policy = facts.rotationPolicy.value;
  const fix: Fix = { id: 'removeRotationPolicy', label: 'Remove the rotation policy' };
  const rotate = policy.lifetimeActions.find((a) => a.action.toLowerCase() === 'rotate');
  if (rotate) {
    const trigger = triggerText(rotate.timeAfterCreate, rotate.timeBeforeExpiry);
    const expiry = policy.expiresIn ? ` and gives each new version an expiry of ${policy.expiresIn}` : '';
    return {
      ...base,
      status: 'fail',
      reason: `The key's rotation policy rotates it automatically (${trigger})${expiry}, which can leave Secret Server on a version that no longer wraps its master key.`,
      detail: rotationPolicyWhy,
      fix,
    };
  }
  if (policy.expiresIn) {
    return {
      ...base,
      status: 'warn',
      reason: `The key's rotation policy gives each version a rotation creates an expiry of ${policy.expiresIn}, after which the HSM refuses to wrap with that version.`,
      detail: rotationPolicyWhy,
      fix,
    };
  }
  return { ...base, status: 'pass', reason: policyPassReason(policy) };
}

function policyPassReason(policy: RotationPolicyFacts): string {
  if (policy.lifetimeActions.length === 0) return 'The key has no rotation policy: it changes only when you rotate it yourself.';
  return "The key's rotation policy only notifies; it neither rotates the key nor sets an expiry.";
}

function triggerText(timeAfterCreate: string | undefined, timeBeforeExpiry: string | undefined): string {
  if (timeAfterCreate) return `${timeAfterCreate} after each version is created`;
  if (timeBeforeExpiry) return `${timeBeforeExpiry} before each version expires`;
  return 'on a schedule';
}
