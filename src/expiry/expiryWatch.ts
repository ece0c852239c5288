import type { KeyIdentifier } from '../core/keyIdentifier';
import { appPath, keyPath, keyVersionPath } from '../core/expiry/expiryPath';
import { overallState, propagateSeverity, type OverallState, type PathState } from '../core/expiry/propagation';
import { defaultThresholds, type ExpiryThresholds } from '../core/expiry/thresholds';
import { assessAll, type Assessment, type WatchedItem } from '../core/expiry/watchedItem';

// The live state of the expiry watch: watched items by source (each tree loader, each Secret
// Server connection replaces its own list), assessed at the current time. The decorations,
// diagnostics, hovers, CodeLenses, status bar and notifications all read from one snapshot, so
// they never disagree. No 'vscode' here; listeners are plain callbacks.

export interface ExpirySnapshot {
  nowMs: number;
  assessments: Assessment[];
  /** Worst state per path, propagated to parents. */
  states: Map<string, PathState>;
  overall: OverallState;
  /** App client ids worth pointing at in the editor. */
  clientIds: Set<string>;
}

export interface ExpiryWatchOptions {
  now: () => number;
  thresholds?: () => ExpiryThresholds;
}

export class ExpiryWatch {
  private readonly sources = new Map<string, readonly WatchedItem[]>();
  private readonly listeners = new Set<() => void>();
  private cached?: ExpirySnapshot;

  constructor(private readonly options: ExpiryWatchOptions) {}

  /** Replaces the items one source watches (e.g. 'app:{appId}', 'hsm:{uri}', 'secretServer:{id}'). */
  setItems(source: string, items: readonly WatchedItem[]): void {
    if (items.length === 0) this.sources.delete(source);
    else this.sources.set(source, items);
    this.changed();
  }

  /** Re-assesses at the current time (thresholds crossed by time passing, settings changed). */
  recompute(): void {
    this.changed();
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  snapshot(): ExpirySnapshot {
    if (this.cached) return this.cached;
    const nowMs = this.options.now();
    const items = [...this.sources.values()].flat();
    const assessments = assessAll(items, nowMs, this.options.thresholds?.() ?? defaultThresholds);
    const clientIds = new Set(items.filter((i) => i.kind === 'clientSecret').map((i) => (i.kind === 'clientSecret' ? i.appId.toLowerCase() : '')));
    this.cached = { nowMs, assessments, states: propagateSeverity(assessments), overall: overallState(assessments), clientIds };
    return this.cached;
  }

  private changed(): void {
    this.cached = undefined;
    for (const l of [...this.listeners]) l();
  }
}

/** The path whose state a key URL found in a file should show: the version, or the key as a whole. */
export function pathForKey(key: KeyIdentifier): string {
  return key.version ? keyVersionPath(key.origin, key.name, key.version) : keyPath(key.origin, key.name);
}

export function pathForClientId(appId: string): string {
  return appPath(appId);
}

/** The assessments at or below `path` (its own item and, for parents, its children), worst first. */
export function assessmentsUnder(snapshot: ExpirySnapshot, path: string): Assessment[] {
  return snapshot.assessments.filter((a) => a.path === path || a.ancestors.includes(path)).sort((a, b) => rankOf(b) - rankOf(a));
}

const order = ['ok', 'notYetValid', 'warning', 'critical', 'expired'];
function rankOf(a: Assessment): number {
  return order.indexOf(a.severity);
}
