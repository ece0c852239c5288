import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SandboxContext } from '../context';
import { writeFileAtomic } from '../state/store';
import { newAesKey, open, seal } from './envelope';

// Secret Server keeps its own secrets (the local master key, the key provider's credentials)
// encrypted at rest with a machine-level key, the way a real server has encryption.config. Here it
// is a file beside world.json (0600), so the state — and any view of it — holds only ciphertext.

export const machineKeyFileName = 'secret-server-machine.key';
const cache = new WeakMap<SandboxContext, Buffer>();

/** Creates a new machine key; only when the Secret Server is seeded. */
export function createMachineKey(ctx: SandboxContext): void {
  const key = newAesKey();
  writeFileAtomic(path.join(ctx.stateDir, machineKeyFileName), key.toString('base64'));
  cache.set(ctx, key);
}

/** Loads the machine key (at start, so that a missing file is reported at once). */
export function machineKey(ctx: SandboxContext): Buffer {
  const cached = cache.get(ctx);
  if (cached) return cached;
  const file = path.join(ctx.stateDir, machineKeyFileName);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: the Secret Server's stored configuration cannot be decrypted. Start with --reset.`);
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  cache.set(ctx, key);
  return key;
}

export function sealAtRest(ctx: SandboxContext, value: Buffer, purpose: string): string {
  return seal(machineKey(ctx), value, `machine:${purpose}`);
}

export function openAtRest(ctx: SandboxContext, sealed: string, purpose: string): Buffer {
  return open(machineKey(ctx), sealed, `machine:${purpose}`);
}
