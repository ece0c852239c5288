import type { FormPrefill } from '../protocol/keyManagementForm';

// What the form is opened with, read from a command argument: a tree node or a plain object.

const guidLike = /^[0-9a-f-]{36}$/i;

/**
 * Reads a prefill from a command argument (a tree node or a plain object): only strings, only
 * the known fields, and nothing secret. Node classes name things differently, so the usual
 * spellings are accepted.
 */
export function prefillFromArgument(arg: unknown): FormPrefill {
  if (typeof arg !== 'object' || arg === null) return {};
  const o = arg as Record<string, unknown>;
  const pick = (...names: string[]): string | undefined => {
    for (const n of names) {
      const v = o[n];
      if (typeof v === 'string' && v.length > 0 && v.length <= 2048) return v;
    }
    return undefined;
  };
  const storedSecretKeyId = pick('storedSecretKeyId', 'secretKeyId');
  return {
    connectionId: pick('connectionId'),
    tenantId: pick('tenantId'),
    principalId: pick('principalId', 'clientId', 'appId'),
    keyUrl: pick('keyUrl', 'keyId', 'kid'),
    storedSecretKeyId: storedSecretKeyId && guidLike.test(storedSecretKeyId) ? storedSecretKeyId : undefined,
  };
}
