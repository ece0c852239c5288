import type { RotationPolicy } from '../state/world';
import { badParameter } from './keyValidation';

// Key rotation policies: validation of the PUT body and the wire shape. Durations are ISO 8601
// (P18M, P28D, PT48H); months count as 30 days and years as 365 for the minimum checks, which
// is how the service states its limits (rotation at least 7 days, expiry at least 28 days).

const day = 86_400;
const durationPattern = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Seconds in an ISO 8601 duration, or undefined when it is not one. */
export function durationSeconds(value: string): number | undefined {
  const m = durationPattern.exec(value);
  if (!m) return undefined;
  const [y, mo, w, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
  return ((y * 365 + mo * 30 + w * 7 + d) * 24 + h) * 3600 + mi * 60 + s;
}

type LifetimeAction = RotationPolicy['lifetimeActions'][number];

export interface PolicyInput {
  lifetimeActions: LifetimeAction[];
  expiryTime?: string;
}

export function parseRotationPolicy(body: Record<string, unknown>): PolicyInput {
  const attributes = body.attributes ?? {};
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) throw badParameter("The 'attributes' field must be an object.");
  const expiryRaw = (attributes as Record<string, unknown>).expiryTime ?? undefined;
  let expirySeconds: number | undefined;
  if (expiryRaw !== undefined) {
    expirySeconds = typeof expiryRaw === 'string' ? durationSeconds(expiryRaw) : undefined;
    if (expirySeconds === undefined) throw badParameter(`The expiry time '${String(expiryRaw)}' is not an ISO 8601 duration such as P90D.`);
    if (expirySeconds < 28 * day) throw badParameter('The expiry time of a rotation policy must be at least 28 days (P28D).');
  }

  const rawActions = body.lifetimeActions ?? [];
  if (!Array.isArray(rawActions)) throw badParameter("The 'lifetimeActions' field must be an array.");
  if (rawActions.length > 2) throw badParameter('A rotation policy has at most two lifetime actions: one Rotate and one Notify.');
  const actions = rawActions.map((raw, i) => parseAction(raw, i, expirySeconds));
  const types = actions.map((a) => a.action.type);
  if (new Set(types).size !== types.length) throw badParameter('A rotation policy can hold each action type only once.');
  return { lifetimeActions: actions, expiryTime: expiryRaw as string | undefined };
}

function parseAction(raw: unknown, index: number, expirySeconds: number | undefined): LifetimeAction {
  const where = `lifetimeActions[${index}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw badParameter(`${where} must be an object with 'trigger' and 'action'.`);
  const { trigger, action } = raw as Record<string, unknown>;
  if (typeof action !== 'object' || action === null || typeof (action as Record<string, unknown>).type !== 'string') {
    throw badParameter(`${where}.action.type is required: 'Rotate' or 'Notify'.`);
  }
  const typeRaw = ((action as Record<string, unknown>).type as string).toLowerCase();
  if (typeRaw !== 'rotate' && typeRaw !== 'notify') throw badParameter(`${where}.action.type must be 'Rotate' or 'Notify'.`);
  const type = typeRaw === 'rotate' ? 'Rotate' : 'Notify';

  if (typeof trigger !== 'object' || trigger === null || Array.isArray(trigger)) throw badParameter(`${where}.trigger is required.`);
  const t = trigger as Record<string, unknown>;
  const afterCreate = t.timeAfterCreate ?? undefined;
  const beforeExpiry = t.timeBeforeExpiry ?? undefined;
  if ((afterCreate === undefined) === (beforeExpiry === undefined)) {
    throw badParameter(`${where}.trigger needs exactly one of 'timeAfterCreate' and 'timeBeforeExpiry'.`);
  }
  const value = (afterCreate ?? beforeExpiry) as unknown;
  const seconds = typeof value === 'string' ? durationSeconds(value) : undefined;
  if (seconds === undefined) throw badParameter(`${where}.trigger holds '${String(value)}', which is not an ISO 8601 duration such as P30D.`);
  if (seconds < 7 * day) throw badParameter(`${where}.trigger must be at least 7 days (P7D).`);
  if (afterCreate !== undefined) {
    if (expirySeconds !== undefined && seconds >= expirySeconds) throw badParameter(`${where}.trigger.timeAfterCreate must be shorter than the policy's expiry time.`);
    return { trigger: { timeAfterCreate: afterCreate as string }, action: { type } };
  }
  if (expirySeconds === undefined) throw badParameter(`${where}.trigger.timeBeforeExpiry needs the policy's 'attributes.expiryTime'.`);
  if (seconds > expirySeconds - 7 * day) throw badParameter(`${where}.trigger.timeBeforeExpiry must leave at least 7 days after the version is created.`);
  return { trigger: { timeBeforeExpiry: beforeExpiry as string }, action: { type } };
}

export function rotationPolicyId(origin: string, name: string): string {
  return `${origin}/keys/${name}/rotationpolicy`;
}

/** The wire shape; a key never given a policy has no lifetime actions and no attributes. */
export function rotationPolicyBody(origin: string, name: string, policy: RotationPolicy | undefined): Record<string, unknown> {
  if (!policy) return { id: rotationPolicyId(origin, name), lifetimeActions: [], attributes: {} };
  return {
    id: rotationPolicyId(origin, name),
    lifetimeActions: policy.lifetimeActions.map((a) => ({ trigger: { ...a.trigger }, action: { ...a.action } })),
    attributes: { ...(policy.expiryTime ? { expiryTime: policy.expiryTime } : {}), created: policy.created, updated: policy.updated },
  };
}
