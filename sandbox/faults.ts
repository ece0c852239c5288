import { matchesRequest, parseRequestMatch } from './requestMatch';
// Fault rules set through the control API. Each rule draws from its own seeded generator, so a
// test that sets the same rules and makes the same requests sees the same faults.

export type FaultKind = 'latency' | 'throttle' | 'unavailable' | 'drop' | 'truncate';

export interface FaultRule {
  id: string;
  /** Service name (entra, arm, graph, hsm, secretServer) or '*'. */
  service: string;
  /** HTTP method or '*'. */
  method: string;
  /** Regular expression tested against the normalised path. */
  path: string;
  kind: FaultKind;
  /** Chance per matching request, 0..1. */
  probability: number;
  /** How many times at most the rule fires; absent = unlimited. */
  times?: number;
  /** Delay for 'latency'. */
  latencyMs?: number;
  /** Retry-After (seconds) for 'throttle' (429) and 'unavailable' (503). */
  retryAfterSeconds?: number;
  seed: number;
  fired: number;
}

export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'latency'; ms: number }
  | { kind: 'throttle' | 'unavailable'; retryAfterSeconds: number }
  | { kind: 'drop' | 'truncate' };

const kinds: FaultKind[] = ['latency', 'throttle', 'unavailable', 'drop', 'truncate'];

export class FaultRegistry {
  private rules: (FaultRule & { regex: RegExp; next: () => number })[] = [];
  private counter = 0;

  list(): FaultRule[] {
    return this.rules.map(({ regex: _r, next: _n, ...rule }) => rule);
  }

  clear(): void {
    this.rules = [];
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  /** Validates and adds a rule; returns an error sentence for bad input. */
  add(input: Record<string, unknown>): FaultRule | string {
    const kind = input.kind;
    if (typeof kind !== 'string' || !kinds.includes(kind as FaultKind)) return `kind must be one of ${kinds.join(', ')}.`;
    const target = parseRequestMatch(input);
    if (typeof target === 'string') return target;
    const { service, method, path, regex } = target;
    const probability = input.probability ?? 1;
    if (typeof probability !== 'number' || !(probability >= 0 && probability <= 1)) return 'probability must be a number from 0 to 1.';
    const times = input.times;
    if (times !== undefined && (typeof times !== 'number' || !Number.isInteger(times) || times < 1)) return 'times must be a positive integer.';
    const latencyMs = input.latencyMs ?? (kind === 'latency' ? 100 : undefined);
    if (latencyMs !== undefined && (typeof latencyMs !== 'number' || latencyMs < 0 || latencyMs > 120_000)) return 'latencyMs must be 0..120000.';
    const retryAfterSeconds = input.retryAfterSeconds ?? 1;
    if (typeof retryAfterSeconds !== 'number' || retryAfterSeconds < 0 || retryAfterSeconds > 3600) return 'retryAfterSeconds must be 0..3600.';
    const seed = input.seed ?? 1;
    if (typeof seed !== 'number' || !Number.isInteger(seed)) return 'seed must be an integer.';
    const rule: FaultRule = {
      id: `fault-${++this.counter}`,
      service,
      method: method.toUpperCase(),
      path,
      kind: kind as FaultKind,
      probability,
      times: times as number | undefined,
      latencyMs: latencyMs as number | undefined,
      retryAfterSeconds,
      seed,
      fired: 0,
    };
    this.rules.push({ ...rule, regex, next: mulberry32(seed) });
    return rule;
  }

  /** Picks the first matching rule that fires for this request. Latency may combine with nothing else. */
  decide(service: string, method: string, path: string): FaultDecision {
    for (const rule of this.rules) {
      if (!matchesRequest(rule, service, method, path)) continue;
      if (rule.times !== undefined && rule.fired >= rule.times) continue;
      if (rule.next() >= rule.probability) continue;
      rule.fired++;
      switch (rule.kind) {
        case 'latency':
          return { kind: 'latency', ms: rule.latencyMs ?? 0 };
        case 'throttle':
        case 'unavailable':
          return { kind: rule.kind, retryAfterSeconds: rule.retryAfterSeconds ?? 1 };
        default:
          return { kind: rule.kind };
      }
    }
    return { kind: 'none' };
  }
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
