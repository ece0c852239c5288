// Expiry is judged by the services' time, not the laptop's: Entra ID ends a client secret and
// Managed HSM a key version by their own clocks, so a skewed local clock would show a secret as
// fine that the service already refuses. Every service response carries an HTTP `Date` header;
// the offset between it and the local clock at receipt is the correction applied to `now()`.

/** Below this the difference is the Date header's one-second resolution plus latency, not skew. */
const noiseMs = 2_000;
/** A Date header further off than this is a broken proxy or cache, not a clock to trust. */
const implausibleMs = 20 * 365 * 86_400_000;

export class ServiceClock {
  private offsetMs = 0;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly localNow: () => number = Date.now) {}

  /** The services' current time in epoch milliseconds. */
  now(): number {
    return this.localNow() + this.offsetMs;
  }

  /** How far the services' clock is ahead of the local one (negative when behind). */
  get offset(): number {
    return this.offsetMs;
  }

  /**
   * Takes a response's `Date` header. Returns true when the offset changed. The latest plausible
   * observation wins: the services agree with each other, so there is nothing to average.
   */
  observe(dateHeader: string | undefined | null, receivedAtLocalMs: number = this.localNow()): boolean {
    const offset = offsetFromDateHeader(dateHeader, receivedAtLocalMs);
    if (offset === undefined) return false;
    if (Math.abs(offset - this.offsetMs) < noiseMs) return false;
    this.offsetMs = Math.abs(offset) < noiseMs ? 0 : offset;
    for (const listener of this.listeners) listener();
    return true;
  }

  /** Called after the offset changes (e.g. to re-assess expiry). */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}

/** The service clock's lead over the local one, or undefined for a missing or unusable header. */
export function offsetFromDateHeader(dateHeader: string | undefined | null, receivedAtLocalMs: number): number | undefined {
  if (!dateHeader) return undefined;
  const serviceMs = Date.parse(dateHeader);
  if (!Number.isFinite(serviceMs)) return undefined;
  // The header has whole seconds, truncated: the service's time was somewhere in the next second.
  const offset = serviceMs + 500 - receivedAtLocalMs;
  return Math.abs(offset) > implausibleMs ? undefined : offset;
}
