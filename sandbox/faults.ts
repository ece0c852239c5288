import { parseRequestMatch } from './requestMatch';
import { RuleList, timesProblem } from './ruleList';
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

export class FaultRegistry extends RuleList<FaultRule, { next: () => number }> {
  constructor() {
    super('fault');
  }

  /** Validates and adds a rule; returns an error sentence for bad input. */
  add(input: Record<string, unknown>): FaultRule | string {
    const kind = input.kind;
    if (typeof kind !== 'string' || !kinds.includes(kind as FaultKind)) return `kind must be one of ${kinds.join(', ')}.`;
    const target = parseRequestMatch(input);
    if (typeof target === 'string') return target;
    const { service, method, path } = target;
    const probability = input.probability ?? 1;
    if (typeof probability !== 'number' || !(probability >= 0 && probability <= 1)) return 'probability must be a number from 0 to 1.';
    const times = input.times;
    const badTimes = timesProblem(times);
    if (badTimes) return badTimes;
    const latencyMs = input.latencyMs ?? (kind === 'latency' ? 100 : undefined);
    if (latencyMs !== undefined && (typeof latencyMs !== 'number' || latencyMs < 0 || latencyMs > 120_000)) return 'latencyMs must be 0..120000.';
    const retryAfterSeconds = input.retryAfterSeconds ?? 1;
    if (typeof retryAfterSeconds !== 'number' || retryAfterSeconds < 0 || retryAfterSeconds > 3600) return 'retryAfterSeconds must be 0..3600.';
    const seed = input.seed ?? 1;
    if (typeof seed !== 'number' || !Number.isInteger(seed)) return 'seed must be an integer.';
    const rule: FaultRule = {
      id: this.nextId(),
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
    return this.push(rule, target, { next: mulberry32(seed) });
  }

  /** Picks the first matching rule that fires for this request. Latency may combine with nothing else. */
  decide(service: string, method: string, path: string): FaultDecision {
    const rule = this.fire(service, method, path, (r, { next }) => next() < r.probability);
    switch (rule?.kind) {
      case undefined:
        return { kind: 'none' };
      case 'latency':
        return { kind: 'latency', ms: rule!.latencyMs ?? 0 };
      case 'throttle':
      case 'unavailable':
        return { kind: rule!.kind, retryAfterSeconds: rule!.retryAfterSeconds ?? 1 };
      default:
        return { kind: rule!.kind };
    }
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
