import type { SandboxContext } from '../context';
import { AzureKeyAccess, KeyAccessError } from './azureKeyAccess';
import { open } from './envelope';
import { describeProtection, recoverMasterKey } from './masterKey';
import { masterRecord, reencryptSecret } from './secretVault';
import { addAudit, ssState } from './stateAccess';
import type { ActiveRotation, SecretServerState, StoredSecret } from './state';

// The secret key rotation: every secret gets a new data key, sealed under the new master key.
// Work is done in small batches, each saved atomically with its progress, so that a stop at any
// moment leaves every secret readable under one of the two master keys, and a restart can resume
// (or roll back) from the last saved batch.

export interface RotationSpeed {
  /** Secrets re-encrypted per second (default: realistic, tens of seconds for the seeded set). */
  secretsPerSecond: number;
  /** How long entering maintenance mode takes before the first secret is touched. */
  maintenanceDelayMs: number;
}

export const defaultRotationSpeed: RotationSpeed = { secretsPerSecond: 10, maintenanceDelayMs: 3000 };

export const escrowContext = 'master-key-escrow';
const tickMs = 50;
const retryMs = 5000;

export class RotationEngine {
  /** Master keys in the clear for the active run only, by generation. */
  private readonly keys = new Map<number, Buffer>();
  private timer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private budget = 0;
  private lastTickMs = 0;
  private closed = false;

  constructor(
    private readonly ctx: SandboxContext,
    private readonly access: AzureKeyAccess,
    private readonly speed: RotationSpeed,
    private readonly announce: (line: string) => void,
  ) {}

  /** Starts working on the run the caller has just saved as `rotation.active`. */
  begin(fromKey: Buffer, toKey: Buffer): void {
    const active = this.active();
    if (!active) return;
    this.keys.clear();
    this.keys.set(active.fromGeneration, fromKey);
    this.keys.set(active.toGeneration, toKey);
    this.schedule();
  }

  /** Asks the active run to stop and put back what it changed; true when there was one to cancel. */
  cancel(displayName: string): boolean {
    const active = this.active();
    if (!active || active.phase === 'Cancelling') return Boolean(active);
    this.ctx.store.mutate(() => {
      const state = ssState(this.ctx);
      const run = state.rotation.active as ActiveRotation;
      run.phase = 'Cancelling';
      run.rollbackReason = 'cancelled';
      run.rollbackTotal = countAt(state, run.toGeneration);
      run.note = `Cancellation requested by ${displayName}: returning ${run.rollbackTotal} secret(s) to the previous master key.`;
      addAudit(this.ctx, state, 'Secret Key Rotation Cancel Requested', displayName, run.note);
    });
    return true;
  }

  /**
   * On start: a run that a stop interrupted is resumed when both master keys can be had; rolled
   * back when the new one cannot (the escrow copy under the old key makes that possible); left
   * waiting, and retried, when even the old one cannot. Says which, in the status and on stdout.
   */
  async recoverAfterRestart(): Promise<void> {
    const active = this.active();
    if (!active || this.keys.size) return;
    let fromKey: Buffer;
    try {
      fromKey = await recoverMasterKey(this.ctx, this.access, masterRecord(this.ctx, active.fromGeneration));
    } catch (err) {
      if (!(err instanceof KeyAccessError)) throw err;
      this.note(`The secret key rotation was interrupted by a restart and is waiting: the previous master key (${describeProtection(masterRecord(this.ctx, active.fromGeneration).protection)}) cannot be unwrapped: ${err.message} It will be retried.`);
      this.retryTimer = setTimeout(() => void this.recoverAfterRestart().catch(() => undefined), retryMs);
      this.retryTimer.unref();
      return;
    }
    let toKey: Buffer;
    let rollbackCause: string | undefined;
    try {
      toKey = await recoverMasterKey(this.ctx, this.access, masterRecord(this.ctx, active.toGeneration));
    } catch (err) {
      if (!(err instanceof KeyAccessError)) throw err;
      toKey = open(fromKey, active.escrow, escrowContext);
      rollbackCause = err.message;
    }
    const state = ssState(this.ctx);
    const done = countAt(state, active.toGeneration);
    let line: string;
    if (active.phase === 'Cancelling') {
      line = `The secret key rotation was being cancelled when the server stopped; the cancellation continues: rolling back ${done} secret(s) to the previous master key.`;
    } else if (rollbackCause) {
      line = `The secret key rotation was interrupted by a restart and is being rolled back: ${done} of ${active.total} secret(s) return to the previous master key, because the new one cannot be unwrapped: ${rollbackCause}`;
    } else {
      line = `The secret key rotation was interrupted by a restart and resumed at ${done} of ${active.total} secret(s).`;
    }
    this.ctx.store.mutate(() => {
      const run = state.rotation.active as ActiveRotation;
      if (run.phase !== 'Cancelling' && rollbackCause) {
        run.phase = 'Cancelling';
        run.rollbackReason = 'restart';
        run.rollbackTotal = done;
      }
      run.note = line;
      addAudit(this.ctx, state, run.phase === 'Cancelling' ? 'Secret Key Rotation Rolled Back After Restart' : 'Secret Key Rotation Resumed After Restart', 'System', line);
    });
    this.announce(`[secretServer] ${line}`);
    this.begin(fromKey, toKey);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.timer = undefined;
    this.keys.clear();
  }

  private active(): ActiveRotation | undefined {
    return ssState(this.ctx).rotation.active;
  }

  private note(line: string): void {
    const active = this.active();
    if (!active || active.note === line) return;
    this.ctx.store.mutate(() => {
      (ssState(this.ctx).rotation.active as ActiveRotation).note = line;
    });
    this.announce(`[secretServer] ${line}`);
  }

  private schedule(): void {
    if (this.closed || this.timer) return;
    this.budget = 0;
    this.lastTickMs = Date.now();
    this.timer = setInterval(() => this.tick(), tickMs);
    this.timer.unref();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.keys.clear();
  }

  private tick(): void {
    const active = this.active();
    if (!active) return this.stop();
    const fromKey = this.keys.get(active.fromGeneration);
    const toKey = this.keys.get(active.toGeneration);
    if (!fromKey || !toKey) return;
    // Pace on real elapsed time: the sandbox clock may jump days ahead in a test.
    const wall = Date.now();
    const elapsed = wall - this.lastTickMs;
    this.lastTickMs = wall;
    if (active.phase === 'EnablingMaintenanceMode') {
      if (this.ctx.clock.nowMs() < active.enabledAtMs) return;
      this.ctx.store.mutate(() => {
        const run = ssState(this.ctx).rotation.active as ActiveRotation;
        run.phase = 'Running';
      });
      return;
    }
    this.budget += (this.speed.secretsPerSecond * elapsed) / 1000;
    const allowance = Math.floor(this.budget);
    const state = ssState(this.ctx);
    const forward = active.phase === 'Running';
    const [source, target, sourceKey, targetKey] = forward
      ? [active.fromGeneration, active.toGeneration, fromKey, toKey]
      : [active.toGeneration, active.fromGeneration, toKey, fromKey];
    const pending = state.secrets.filter((s) => s.generation === source);
    if (pending.length === 0) return this.finish(active);
    if (allowance < 1) return;
    this.budget -= allowance;
    // Compute the whole batch first: a failure must not leave it half applied.
    const batch = pending.slice(0, allowance).map((s) => reencryptSecret(s, sourceKey, targetKey, target));
    const byId = new Map<number, StoredSecret>(batch.map((s) => [s.id, s]));
    this.ctx.store.mutate(() => {
      state.secrets = state.secrets.map((s) => byId.get(s.id) ?? s);
    });
    if (pending.length === batch.length) this.finish(active);
  }

  private finish(active: ActiveRotation): void {
    const state = ssState(this.ctx);
    const now = this.ctx.clock.nowIso();
    const forward = active.phase !== 'Cancelling';
    const keep = forward ? active.toGeneration : active.fromGeneration;
    const kept = masterRecord(this.ctx, keep);
    let message: string;
    if (forward) {
      message = `Secret key rotation completed: ${active.total} secret(s) re-encrypted under new data keys; the master key is ${describeProtection(kept.protection)}.${active.note.includes('restart') ? ' (Resumed after a restart.)' : ''}`;
    } else if (active.rollbackReason === 'restart') {
      message = `Secret key rotation rolled back after a restart: every secret is back under the previous master key (${describeProtection(kept.protection)}) and the previous key management configuration is in force.`;
    } else {
      message = `Secret key rotation cancelled: every secret is back under the previous master key (${describeProtection(kept.protection)}) and the previous key management configuration is in force.`;
    }
    this.ctx.store.mutate(() => {
      state.masterKeys = [kept];
      state.currentGeneration = keep;
      if (!forward) state.config = active.previousConfig;
      state.readOnlyMode = false;
      state.rotation.lastRunDate = now;
      state.rotation.lastStatus = forward ? 'Success' : active.rollbackReason === 'restart' ? 'RolledBack' : 'Cancelled';
      state.rotation.message = message;
      delete state.rotation.active;
      addAudit(this.ctx, state, forward ? 'Secret Key Rotation Completed' : active.rollbackReason === 'restart' ? 'Secret Key Rotation Rolled Back' : 'Secret Key Rotation Cancelled', 'System', message);
    });
    this.ctx.log(`[secretServer] ${message}`);
    this.stop();
  }
}

export function countAt(state: SecretServerState, generation: number): number {
  let n = 0;
  for (const s of state.secrets) if (s.generation === generation) n++;
  return n;
}
