import * as fs from 'node:fs';
import * as path from 'node:path';

// A search for secrets in every place a run can leave text: files (raw bytes, UTF-8 and UTF-16LE,
// as SQLite and Chromium store text, and file names) and texts the test collects from the page
// (DOM, notifications, clipboard, browser storage). Needles are known values (a password, a
// client secret) or token shapes with a check (a JWT, a refresh token the sandbox issued). Every
// location is counted, so a report can say what was searched, not only what was found.

export type Needle =
  | { name: string; value: string }
  /** `pattern` must be global; `confirm` decides whether a match is really one of the secrets. */
  | { name: string; pattern: RegExp; confirm?: (match: string) => boolean };

export interface ScanHit {
  location: string;
  item: string;
  needle: string;
  how: 'utf8' | 'utf16le' | 'file name' | 'text';
}

export interface ScanLocation {
  name: string;
  /** Files or texts searched there. */
  items: number;
  bytes: number;
}

function* filesUnder(target: string): Generator<string> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    return;
  }
  if (stat.isFile()) {
    yield target;
    return;
  }
  if (!stat.isDirectory()) return;
  for (const e of fs.readdirSync(target, { withFileTypes: true })) {
    const full = path.join(target, e.name);
    if (e.isDirectory()) yield* filesUnder(full);
    else if (e.isFile()) yield full;
  }
}

export class SecretScan {
  readonly hits: ScanHit[] = [];
  private readonly locations = new Map<string, ScanLocation>();
  /** Files already searched under an earlier location, so no file counts twice. */
  private readonly seen = new Set<string>();

  constructor(private readonly needles: Needle[]) {
    for (const n of needles) {
      if ('value' in n && n.value.length < 8) throw new Error(`needle ${n.name} is too short to be told from ordinary text`);
      if ('pattern' in n && !n.pattern.global) throw new Error(`needle ${n.name} needs a global pattern`);
    }
  }

  private location(name: string): ScanLocation {
    let l = this.locations.get(name);
    if (!l) this.locations.set(name, (l = { name, items: 0, bytes: 0 }));
    return l;
  }

  /** Searches a text the test collected (a DOM, a notification, the clipboard). */
  text(location: string, item: string, text: string): void {
    const l = this.location(location);
    l.items++;
    l.bytes += Buffer.byteLength(text);
    for (const needle of this.needles) if (this.found(needle, text)) this.hits.push({ location, item, needle: needle.name, how: 'text' });
  }

  /** Searches every file under the given files or folders; returns how many files were new here. */
  files(location: string, roots: string[], exclude: (file: string) => boolean = () => false): number {
    const l = this.location(location);
    let searched = 0;
    for (const root of roots) {
      for (const file of filesUnder(root)) {
        if (this.seen.has(file) || exclude(file)) continue;
        let bytes: Buffer;
        try {
          bytes = fs.readFileSync(file);
        } catch {
          continue; // a socket, or a file removed meanwhile
        }
        this.seen.add(file);
        searched++;
        l.items++;
        l.bytes += bytes.length;
        for (const needle of this.needles) {
          if (this.found(needle, path.basename(file))) this.hits.push({ location, item: file, needle: needle.name, how: 'file name' });
          if (this.found(needle, bytes.toString('latin1'), bytes, 'utf8')) this.hits.push({ location, item: file, needle: needle.name, how: 'utf8' });
          if (this.found(needle, bytes.toString('utf16le'), bytes, 'utf16le')) this.hits.push({ location, item: file, needle: needle.name, how: 'utf16le' });
        }
      }
    }
    return searched;
  }

  private found(needle: Needle, text: string, bytes?: Buffer, encoding?: 'utf8' | 'utf16le'): boolean {
    if ('value' in needle) return bytes && encoding ? bytes.includes(Buffer.from(needle.value, encoding)) : text.includes(needle.value);
    needle.pattern.lastIndex = 0;
    for (const m of text.matchAll(needle.pattern)) if (!needle.confirm || needle.confirm(m[0])) return true;
    return false;
  }

  summary(): ScanLocation[] {
    return [...this.locations.values()];
  }

  /** One line per location, for the test log and the note. */
  report(): string {
    const rows = this.summary().map((l) => `        ${l.name}: ${l.items} ${l.items === 1 ? 'item' : 'items'}, ${l.bytes} bytes`);
    return [`      secret scan: ${this.locations.size} locations, ${this.needles.length} needles (${this.needles.map((n) => n.name).join(', ')}), ${this.hits.length} hits`, ...rows].join('\n');
  }
}
