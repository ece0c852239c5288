import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import type { World } from './world';

// Persists the world after each change with write-then-rename, so a crash or a kill never leaves
// a half-written file behind and a restart continues from the last complete change.
export class WorldStore {
  private dirty = false;

  constructor(readonly file: string, public world: World) {}

  static load(file: string): WorldStore | undefined {
    if (!fs.existsSync(file)) return undefined;
    const world = JSON.parse(fs.readFileSync(file, 'utf8')) as World;
    return new WorldStore(file, world);
  }

  /** Runs a change and saves it. Callers validate first: a thrown error must leave nothing half-changed. */
  mutate<T>(change: (world: World) => T): T {
    const result = change(this.world);
    this.dirty = true;
    this.save();
    return result;
  }

  save(): void {
    if (!this.dirty && fs.existsSync(this.file)) return;
    writeFileAtomic(this.file, JSON.stringify(this.world));
    this.dirty = false;
  }

  /** A fingerprint of the whole state, for tests that prove a bad request changed nothing. */
  digest(): string {
    return createHash('sha256').update(JSON.stringify(this.world)).digest('hex');
  }
}

export function writeFileAtomic(file: string, content: string | Uint8Array, mode = 0o600): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, content, { mode });
  fs.renameSync(tmp, file);
}
