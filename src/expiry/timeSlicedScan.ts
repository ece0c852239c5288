import { performance } from 'node:perf_hooks';

// Runs synchronous work over items that arrive in batches (e.g. files read from disk), yielding to
// the event loop whenever the synchronous time since the last yield reaches the budget, so no
// extension-host task runs long. Awaiting the next batch counts as a yield: it waits on I/O.

export interface SliceOptions {
  /** Synchronous milliseconds before yielding (default 8). */
  budgetMs?: number;
  now?: () => number;
  /** How to yield (default setImmediate). */
  yieldToEventLoop?: () => Promise<void>;
  /** Checked between items; true stops the run. */
  cancelled?: () => boolean;
}

export interface SliceStats {
  items: number;
  /** Explicit yields taken. */
  yields: number;
  /** The longest synchronous stretch observed, in ms (the figure the 50 ms rule is about). */
  longestTaskMs: number;
  /** The slowest single call of `work` (an item or one step of it), in ms. */
  longestItemMs: number;
  cancelled: boolean;
}

const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * `work` handles one item, or one step of it: returning true means "call me again for this item"
 * (e.g. DocumentScanner.step), so a large item is split across slices too.
 */
export async function runInSlices<T>(batches: AsyncIterable<readonly T[]> | Iterable<readonly T[]>, work: (item: T) => boolean | void, options: SliceOptions = {}): Promise<SliceStats> {
  const budget = options.budgetMs ?? 8;
  const now = options.now ?? (() => performance.now());
  const yieldNow = options.yieldToEventLoop ?? immediate;
  const stats: SliceStats = { items: 0, yields: 0, longestTaskMs: 0, longestItemMs: 0, cancelled: false };
  for await (const batch of batches) {
    let stretch = 0;
    for (const item of batch) {
      if (options.cancelled?.()) {
        stats.cancelled = true;
        return stats;
      }
      let more = true;
      while (more) {
        const started = now();
        more = work(item) === true;
        const took = now() - started;
        stretch += took;
        stats.longestItemMs = Math.max(stats.longestItemMs, took);
        if (stretch >= budget) {
          stats.longestTaskMs = Math.max(stats.longestTaskMs, stretch);
          await yieldNow();
          stats.yields += 1;
          stretch = 0;
        }
        if (more && options.cancelled?.()) {
          stats.cancelled = true;
          return stats;
        }
      }
      stats.items += 1;
    }
    stats.longestTaskMs = Math.max(stats.longestTaskMs, stretch);
    // Between batches, always let other work in.
    await yieldNow();
    stats.yields += 1;
  }
  return stats;
}
