import * as fs from 'node:fs';
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/**
 * A child started as the leader of its own process group. code-server forks file watchers and
 * extension hosts, tsx forks node: killing only the top PID leaves orphans (seen), so every stop
 * signals the whole group.
 */
export interface ProcessGroup {
  readonly child: ChildProcess;
  readonly name: string;
  /** Resolves with the exit code if the leader exits without stop() having been called. */
  readonly unexpectedExit: Promise<number | null>;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves once the leader has exited. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<ProcessGroup>();

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is gone already.
  }
}

function groupAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function spawnGroup(name: string, command: string, args: string[], options: SpawnOptions): ProcessGroup {
  const child = spawn(command, args, { ...options, detached: true });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  let stopping = false;
  const unexpectedExit = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      if (!stopping) resolve(code);
    });
  });
  const group: ProcessGroup = {
    child,
    name,
    unexpectedExit,
    stop: async (graceMs = 3000) => {
      stopping = true;
      live.delete(group);
      const pid = child.pid;
      signalGroup(pid, 'SIGTERM');
      const deadline = Date.now() + graceMs;
      // The leader may exit before its children do: wait for the whole group, not just the leader.
      while (groupAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      signalGroup(pid, 'SIGKILL');
      await exited;
    },
  };
  live.add(group);
  return group;
}

const scratchDirs = new Set<string>();

/** A temporary folder (run folder, sandbox state) to delete even when the runner dies early. */
export function removeOnExit(dir: string): () => void {
  scratchDirs.add(dir);
  return () => {
    scratchDirs.delete(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

/** Last resort when the runner dies: 'exit' handlers cannot wait, so the groups get SIGKILL. */
function killAllNow(): void {
  for (const group of live) signalGroup(group.child.pid, 'SIGKILL');
  live.clear();
  for (const dir of scratchDirs) fs.rmSync(dir, { recursive: true, force: true });
  scratchDirs.clear();
}

process.once('exit', killAllNow);

const signalExitCodes: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/**
 * A process killed by a signal never emits 'exit', and test runners end their workers with
 * SIGTERM (mocha relays Ctrl+C that way): so a signal kills the groups too. stopAllOnSignal()
 * replaces this with a graceful stop.
 */
let onSignal: (signal: NodeJS.Signals) => void = (signal) => {
  killAllNow();
  process.exit(signalExitCodes[signal] ?? 1);
};
for (const signal of Object.keys(signalExitCodes) as NodeJS.Signals[]) process.on(signal, (s: NodeJS.Signals) => onSignal(s));

/**
 * Stops every live group on Ctrl+C / SIGTERM, runs `cleanup`, then exits with 130/143. A second
 * signal during the stop kills at once.
 */
export function stopAllOnSignal(cleanup: () => Promise<void>): void {
  let stopping = false;
  onSignal = (signal) => {
    if (stopping) {
      killAllNow();
      process.exit(1);
    }
    stopping = true;
    console.log(`\n[vscode-e2e] ${signal}: stopping`);
    cleanup()
      .catch((err: unknown) => console.error(err))
      .finally(() => {
        killAllNow();
        process.exit(signalExitCodes[signal] ?? 1);
      });
  };
}
