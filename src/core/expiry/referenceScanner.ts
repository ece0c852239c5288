import { parseKeyIdentifier, type KeyIdentifier } from '../keyIdentifier';

// Finds Managed HSM key URLs and known app client ids in any text file. The work per document is
// bounded (size cap, match cap) and the patterns have no nested or overlapping quantifiers, so a
// hostile line cannot make them backtrack: every quantifier is bounded and its class cannot
// match the character that follows it.

export interface TextRange {
  line: number;
  /** Character offsets on `line`, end exclusive. */
  start: number;
  end: number;
}

export type Reference =
  | { kind: 'keyUrl'; range: TextRange; text: string; key: KeyIdentifier }
  | { kind: 'clientId'; range: TextRange; appId: string };

export interface ScanRules {
  /** Managed HSM DNS suffixes that count, e.g. ['managedhsm.azure.net']; default: every public and sovereign cloud. */
  dnsSuffixes?: readonly string[];
  /** Exact origins that count as HSMs, e.g. the sandbox's 'https://127.0.0.1:8443'. */
  origins?: readonly string[];
  /** App client ids worth pointing at (any case). */
  clientIds?: ReadonlySet<string> | readonly string[];
  /** Characters scanned at most (default 1,000,000); the rest of the document is ignored. */
  maxChars?: number;
  /** References returned at most (default 500). */
  maxMatches?: number;
}

export interface ScanResult {
  references: Reference[];
  /** True when the document was longer than maxChars or had more than maxMatches references. */
  truncated: boolean;
}

export const defaultManagedHsmSuffixes = ['managedhsm.azure.net', 'managedhsm.usgovcloudapi.net', 'managedhsm.azure.cn'];

// https://{host}[:port]/keys/{name}[/{segment}] — host labels and path segments use disjoint
// classes from their separators, so each position is tried once per start.
const keyUrlPattern = /https:\/\/([A-Za-z0-9.-]{1,253})(:[0-9]{1,5})?\/keys\/([0-9A-Za-z-]{1,127})(\/[0-9A-Za-z]{1,64})?/;
const guidPattern = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;
const wordChar = /[0-9A-Za-z_-]/;

/** Scans a whole document at once (bounded by maxChars and maxMatches). */
export function scanText(text: string, rules: ScanRules = {}): ScanResult {
  const scanner = new DocumentScanner(text, rules);
  while (scanner.step()) {
    // Each step covers one chunk; a caller with a time budget drives step() itself.
  }
  return scanner.result();
}

// The longest text a single reference can span (scheme, host, port, path): chunks overlap by it.
const overlap = 512;

/**
 * Scans a document a chunk at a time, so a caller can yield to the event loop between chunks
 * (a 1 MB file is ~30 chunks). Chunks are cut anywhere; each chunk is matched with `overlap`
 * characters of context either side and keeps only matches that start inside it.
 */
export class DocumentScanner {
  private readonly body: string;
  private readonly suffixes: string[];
  private readonly origins: Set<string>;
  private readonly clientIds: Set<string>;
  private readonly maxMatches: number;
  private readonly lines: LineIndex;
  private readonly found: { offset: number; ref: Reference }[] = [];
  private truncated: boolean;
  private position = 0;

  constructor(
    text: string,
    rules: ScanRules = {},
    private readonly chunkChars = 32_768,
  ) {
    const maxChars = rules.maxChars ?? 1_000_000;
    this.truncated = text.length > maxChars;
    this.body = this.truncated ? text.slice(0, maxChars) : text;
    this.maxMatches = rules.maxMatches ?? 500;
    this.suffixes = (rules.dnsSuffixes ?? defaultManagedHsmSuffixes).map((s) => s.toLowerCase().replace(/^\./, ''));
    this.origins = new Set((rules.origins ?? []).map(originOf).filter((o): o is string => o !== undefined));
    this.clientIds = new Set([...(rules.clientIds ?? [])].map((c) => c.toLowerCase()));
    this.lines = new LineIndex(this.body);
  }

  /** Scans the next chunk; false when the document is done. */
  step(): boolean {
    if (this.position >= this.body.length || this.found.length >= this.maxMatches) return false;
    const start = this.position;
    const end = Math.min(this.body.length, start + this.chunkChars);
    const from = Math.max(0, start - 1);
    const window = this.body.slice(from, Math.min(this.body.length, end + overlap));
    this.keyUrls(window, from, start, end);
    if (this.clientIds.size > 0) this.guids(window, from, start, end);
    this.position = end;
    return this.position < this.body.length && this.found.length < this.maxMatches;
  }

  result(): ScanResult {
    const sorted = [...this.found].sort((a, b) => a.offset - b.offset);
    return { references: sorted.map((f) => f.ref), truncated: this.truncated || this.position < this.body.length };
  }

  private add(offset: number, ref: Reference): boolean {
    if (this.found.length >= this.maxMatches) {
      this.truncated = true;
      return false;
    }
    this.found.push({ offset, ref });
    return true;
  }

  private keyUrls(window: string, from: number, start: number, end: number): void {
    const re = new RegExp(keyUrlPattern.source, 'g');
    re.lastIndex = start - from;
    for (let m = re.exec(window); m; m = re.exec(window)) {
      const offset = from + m.index;
      if (offset >= end) break;
      const after = m.index + m[0].length;
      // A URL that runs on into more path or word characters is something else (or malformed).
      const next = window.charAt(after);
      if (next !== '' && (wordChar.test(next) || (next === '/' && /[0-9A-Za-z]/.test(window.charAt(after + 1))))) continue;
      const host = m[1].toLowerCase();
      const origin = `https://${host}${m[2] ?? ''}`;
      const known = this.origins.has(origin) || (m[2] === undefined && this.suffixes.some((s) => host.endsWith(`.${s}`) && host.length > s.length + 1));
      if (!known) continue;
      const parsed = parseKeyIdentifier(m[0]);
      if (!parsed.ok) continue;
      if (!this.add(offset, { kind: 'keyUrl', range: this.lines.range(offset, offset + m[0].length), text: m[0], key: parsed.value })) return;
    }
  }

  private guids(window: string, from: number, start: number, end: number): void {
    const re = new RegExp(guidPattern.source, 'g');
    re.lastIndex = start - from;
    for (let m = re.exec(window); m; m = re.exec(window)) {
      const offset = from + m.index;
      if (offset >= end) break;
      const after = m.index + m[0].length;
      // Part of a longer hex run (or of a key version) is not a client id.
      if (/[0-9A-Za-z-]/.test(window.charAt(m.index - 1)) || /[0-9A-Za-z-]/.test(window.charAt(after))) continue;
      const appId = m[0].toLowerCase();
      if (!this.clientIds.has(appId)) continue;
      if (!this.add(offset, { kind: 'clientId', range: this.lines.range(offset, offset + m[0].length), appId })) return;
    }
  }
}

function originOf(text: string): string | undefined {
  try {
    return new URL(text).origin.toLowerCase();
  } catch {
    return undefined;
  }
}

/** Offsets to (line, character); line starts are found lazily, up to the furthest offset asked for. */
class LineIndex {
  private readonly starts: number[] = [0];
  private scannedTo = 0;

  constructor(private readonly text: string) {}

  range(start: number, end: number): TextRange {
    while (this.scannedTo <= start) {
      const nl = this.text.indexOf('\n', this.scannedTo);
      if (nl === -1 || nl >= this.text.length) {
        this.scannedTo = this.text.length + 1;
        break;
      }
      this.starts.push(nl + 1);
      this.scannedTo = nl + 1;
    }
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= start) lo = mid;
      else hi = mid - 1;
    }
    const base = this.starts[lo];
    return { line: lo, start: start - base, end: end - base };
  }
}
