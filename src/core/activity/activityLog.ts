import { activityRecord, parseActivityRecord, type ActivityInput, type ActivityRecord } from './activityRecord';

// The activity log: a bounded ring of records, newest first, persisted after each change through
// a Memento-shaped store (VS Code's globalState in the extension). The bound keeps globalState
// small — it is loaded at every start — and old entries go first.

/** At most this many records are kept; the oldest are dropped beyond it. */
export const activityLogLimit = 1_000;

export const activityStateKey = 'mhsm.activityLog';

export interface ActivityStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

export interface ActivityLogOptions {
  now: () => Date;
  limit?: number;
  /** A fresh unique id per record. */
  newId: () => string;
}

export class ActivityLog {
  /** Read from the store on first use, not at construction: activation need not parse the log. */
  private loaded: ActivityRecord[] | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly limit: number;
  private saving: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(
    private readonly store: ActivityStore,
    private readonly options: ActivityLogOptions,
  ) {
    this.limit = options.limit ?? activityLogLimit;
  }

  private get records(): ActivityRecord[] {
    if (!this.loaded) {
      const stored = this.store.get<unknown[]>(activityStateKey);
      this.loaded = (Array.isArray(stored) ? stored : [])
        .map(parseActivityRecord)
        .filter((r): r is ActivityRecord => r !== undefined)
        .sort(newestFirst)
        .slice(0, this.limit);
    }
    return this.loaded;
  }

  private set records(records: ActivityRecord[]) {
    this.loaded = records;
  }

  /** Newest first. */
  entries(): readonly ActivityRecord[] {
    return this.records;
  }

  /** Records a change (masked, see activityRecord) and saves the log; returns the stored record. */
  add(input: ActivityInput, knownSecrets: readonly string[] = []): ActivityRecord {
    const record = activityRecord(input, this.options.newId(), this.options.now(), knownSecrets);
    // Usually the newest; a service clock that moved back puts it further down.
    const at = this.records.findIndex((r) => newestFirst(record, r) <= 0);
    const records = [...this.records];
    records.splice(at === -1 ? records.length : at, 0, record);
    this.records = records.slice(0, this.limit);
    this.persist();
    return record;
  }

  clear(): void {
    this.records = [];
    this.persist();
  }

  /** Resolves when every change so far is in the store. */
  flushed(): Promise<void> {
    return this.saving;
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private persist(): void {
    // One save at a time, each of the latest records, so an older list never overwrites a newer
    // one and a burst of changes costs one or two writes rather than one each.
    if (!this.dirty) {
      this.dirty = true;
      this.saving = this.saving.then(async () => {
        this.dirty = false;
        await this.store.update(activityStateKey, this.records);
      }).catch(() => undefined);
    }
    for (const listener of this.listeners) listener();
  }
}

function newestFirst(a: ActivityRecord, b: ActivityRecord): number {
  return Date.parse(b.time) - Date.parse(a.time);
}
