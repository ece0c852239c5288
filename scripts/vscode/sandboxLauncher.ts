import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './paths';
import { spawnGroup } from './processGroup';

export interface RunningSandbox {
  /** Absolute path of endpoints.json: the contract the harness hands to VS Code. */
  endpointsFile: string;
  endpoints: { tenantId: string; authorityHost: string; ca: string; control: string; hsms: { name: string; uri: string; activated: boolean }[] };
  /** Resolves if the sandbox exits on its own, never after stop(). */
  unexpectedExit: Promise<number | null>;
  stop(): Promise<void>;
}

export interface SandboxOptions {
  stateDir: string;
  /** Extra sandbox arguments, e.g. ['--reset']. */
  args?: string[];
  /** The sandbox's own output: inherited (npm start) or written to a file (tests). */
  output: 'inherit' | { file: string };
}

/**
 * Starts `tsx sandbox/main.ts` in its own process group (tsx forks node, and both must go) and
 * waits for endpoints.json, which the sandbox writes only once every listener is up.
 */
export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const stateDir = path.resolve(options.stateDir);
  const endpointsFile = path.join(stateDir, 'endpoints.json');
  // A file left by a killed run must not pass for this run's readiness.
  fs.rmSync(endpointsFile, { force: true });
  const out = options.output === 'inherit' ? 'inherit' : fs.openSync(options.output.file, 'w');
  const sandbox = spawnGroup('sandbox', path.join(repoRoot, 'node_modules', '.bin', 'tsx'), [path.join(repoRoot, 'sandbox', 'main.ts'), '--state-dir', stateDir, '--port', '0', ...(options.args ?? [])], {
    cwd: repoRoot,
    stdio: ['ignore', out, out],
    env: process.env,
  });
  if (typeof out === 'number') fs.closeSync(out);
  const deadline = Date.now() + 60_000;
  while (!fs.existsSync(endpointsFile)) {
    if (sandbox.child.exitCode !== null || Date.now() > deadline) {
      await sandbox.stop();
      const where = options.output === 'inherit' ? 'above' : `in ${options.output.file}`;
      throw new Error(`the sandbox did not start (exit code ${sandbox.child.exitCode}); its output is ${where}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const endpoints = JSON.parse(fs.readFileSync(endpointsFile, 'utf8')) as RunningSandbox['endpoints'];
  return { endpointsFile, endpoints, unexpectedExit: sandbox.unexpectedExit, stop: () => sandbox.stop(5000) };
}
