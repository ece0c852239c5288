import { randomUUID } from 'node:crypto';
import { HttpError } from '../http/exchange';
import type { Hsm } from '../state/world';
import { builtInRoles } from './roleDefinitions';

// Every data-plane call is authorised from the HSM's local role assignments, as on the real
// service: an assignment applies at its scope and everything below it ('/' covers '/keys', which
// covers '/keys/{name}').

export const dataActionPrefix = 'Microsoft.KeyVault/managedHsm';

/** True when `scope` is `assignmentScope` or lies below it. */
export function scopeCovers(assignmentScope: string, scope: string): boolean {
  const a = normaliseScope(assignmentScope);
  const s = normaliseScope(scope);
  if (a === '/') return true;
  return s.toLowerCase() === a.toLowerCase() || s.toLowerCase().startsWith(`${a.toLowerCase()}/`);
}

export function normaliseScope(scope: string): string {
  const collapsed = `/${scope}`.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  return collapsed === '' ? '/' : collapsed;
}

/** `dataAction` without the prefix, e.g. '/keys/wrap/action'. */
export function isAuthorized(hsm: Hsm, principalId: string, dataAction: string, scope: string): boolean {
  for (const assignment of hsm.roleAssignments) {
    if (assignment.principalId !== principalId) continue;
    if (!scopeCovers(assignment.scope, scope)) continue;
    const role = builtInRoles.find((r) => r.id === assignment.roleDefinitionId);
    if (role?.dataActions.includes(dataAction)) return true;
  }
  return false;
}

/** Managed HSM's refusal: code AccessDenied, with the data action and scope in the message. */
export function accessDenied(dataAction: string, scope: string): HttpError {
  return new HttpError(403, 'AccessDenied', `Not authorized to access ${dataActionPrefix}${dataAction} on ${normaliseScope(scope)} (Activity ID: ${randomUUID()})`);
}

export function requireAuthorized(hsm: Hsm, principalId: string, dataAction: string, scope: string): void {
  if (!isAuthorized(hsm, principalId, dataAction, scope)) throw accessDenied(dataAction, scope);
}
