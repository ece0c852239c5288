import type { SandboxContext } from '../context';
import type { KeyManagementAuditRecord, SecretServerState } from './state';

/** The Secret Server's slot of the world; seeded before the listener starts. */
export function ssState(ctx: SandboxContext): SecretServerState {
  const state = ctx.store.world.secretServer;
  if (!state) throw new Error('The Secret Server state has not been seeded.');
  return state;
}

/** Appends an audit record; call inside ctx.store.mutate. */
export function addAudit(ctx: SandboxContext, state: SecretServerState, action: string, displayName: string, notes: string): void {
  const record: KeyManagementAuditRecord = { action, dateRecorded: ctx.clock.nowIso(), displayName, notes };
  state.audit.push(record);
}
