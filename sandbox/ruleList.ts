import { matchesRequest, type RequestMatch } from './requestMatch';

// What both kinds of test rule set through the control API (fault rules, error replies) keep the
// same way: ids, listing, removal, the `times` limit, and the first rule that applies to a request.

export interface CountedRule {
  id: string;
  /** How many times at most the rule fires; absent = unlimited. */
  times?: number;
  fired: number;
}

/** The control API's view of a rule list. */
export interface ControlledRules {
  list(): CountedRule[];
  /** Validates control-API input and adds the rule; returns an error sentence for bad input. */
  add(input: Record<string, unknown>): CountedRule | string;
  clear(): void;
  remove(id: string): boolean;
}

export abstract class RuleList<R extends CountedRule, X = undefined> implements ControlledRules {
  private entries: { rule: R; match: RequestMatch; extra: X }[] = [];
  private counter = 0;

  protected constructor(private readonly idPrefix: string) {}

  abstract add(input: Record<string, unknown>): R | string;

  list(): R[] {
    return this.entries.map((e) => ({ ...e.rule }));
  }

  clear(): void {
    this.entries = [];
  }

  remove(id: string): boolean {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.rule.id !== id);
    return this.entries.length !== before;
  }

  protected nextId(): string {
    return `${this.idPrefix}-${++this.counter}`;
  }

  protected push(rule: R, match: RequestMatch, extra: X): R {
    this.entries.push({ rule, match, extra });
    return rule;
  }

  /** The first rule that matches, has firings left and that `accepts` takes, counted as fired. */
  protected fire(service: string, method: string, path: string, accepts?: (rule: R, extra: X) => boolean): R | undefined {
    for (const { rule, match, extra } of this.entries) {
      if (!matchesRequest(match, service, method, path)) continue;
      if (rule.times !== undefined && rule.fired >= rule.times) continue;
      if (accepts && !accepts(rule, extra)) continue;
      rule.fired++;
      return rule;
    }
    return undefined;
  }
}

/** Control-API input's `times`: absent or a positive integer; otherwise the error sentence. */
export function timesProblem(times: unknown): string | undefined {
  return times !== undefined && (typeof times !== 'number' || !Number.isInteger(times) || times < 1) ? 'times must be a positive integer.' : undefined;
}
