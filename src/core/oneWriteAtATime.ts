// VS Code keeps all of an extension's globalState as one value. Each write goes to the workbench,
// which sends the whole value back as written, and that echo replaces the extension host's copy.
// So a key updated while an earlier write (of any key) is still on its way back is dropped: from
// memory when the echo arrives, and for good when the next write saves that copy — while its own
// update() resolves normally (microsoft/vscode#137132). The activity log saves after every
// change without being awaited, so a renewal's "Keep in VS Code", which saves the stored secrets'
// index right after the new secret's creation is recorded, lost that entry (8 times in 30 in a
// real extension host) and the next key-version rotation asked for the secret again.
// One write at a time avoids it: an update starts only once the previous one is saved (its echo
// has arrived by then). Until then get() and keys() answer with the queued value.

/** The shape of VS Code's Memento (context.globalState). */
export interface Memento {
  keys(): readonly string[];
  get<T>(key: string): T | undefined;
  get<T>(key: string, defaultValue: T): T;
  update(key: string, value: unknown): PromiseLike<void>;
}

export function oneWriteAtATime(memento: Memento): Memento {
  /** The latest queued value of each key, until it is saved. */
  const pending = new Map<string, { value: unknown }>();
  let previous: Promise<void> = Promise.resolve();

  function get<T>(key: string): T | undefined;
  function get<T>(key: string, defaultValue: T): T;
  function get<T>(key: string, defaultValue?: T): T | undefined {
    const queued = pending.get(key);
    if (!queued) return defaultValue === undefined ? memento.get<T>(key) : memento.get<T>(key, defaultValue);
    return queued.value === undefined ? defaultValue : (queued.value as T);
  }

  return {
    keys: () => {
      const keys = new Set(memento.keys());
      for (const [key, { value }] of pending) {
        if (value === undefined) keys.delete(key);
        else keys.add(key);
      }
      return [...keys];
    },
    get,
    update(key: string, value: unknown): Promise<void> {
      // A copy, as VS Code's own update takes one: later changes to the caller's object do not count.
      const entry = { value: value !== null && typeof value === 'object' ? (JSON.parse(JSON.stringify(value)) as unknown) : value };
      pending.set(key, entry);
      const saved = previous.then(() => memento.update(key, entry.value));
      previous = saved.then(
        () => undefined,
        () => undefined,
      );
      return saved.finally(() => {
        if (pending.get(key) === entry) pending.delete(key);
      });
    },
  };
}
