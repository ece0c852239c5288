import * as fs from 'node:fs';
import * as path from 'node:path';

// Looks for a secret's raw bytes (UTF-8 and UTF-16LE, as SQLite and Chromium may store text) in
// every file under the given folders; used to prove a secret left no trace.

export interface SecretHit {
  file: string;
  encoding: 'utf8' | 'utf16le';
}

function* filesUnder(dir: string): Generator<string> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) yield* filesUnder(full);
    else if (e.isFile()) yield full;
  }
}

export function searchFiles(roots: string[], secret: string, exclude: (file: string) => boolean = () => false): { hits: SecretHit[]; filesSearched: number } {
  const needles: [SecretHit['encoding'], Buffer][] = [
    ['utf8', Buffer.from(secret, 'utf8')],
    ['utf16le', Buffer.from(secret, 'utf16le')],
  ];
  const hits: SecretHit[] = [];
  let filesSearched = 0;
  for (const root of roots) {
    for (const file of filesUnder(root)) {
      if (exclude(file)) continue;
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(file);
      } catch {
        continue; // a socket or a file removed meanwhile
      }
      filesSearched++;
      // A file's name counts too (screenshots are named by the test).
      if (path.basename(file).includes(secret)) hits.push({ file, encoding: 'utf8' });
      for (const [encoding, needle] of needles) if (bytes.includes(needle)) hits.push({ file, encoding });
    }
  }
  return { hits, filesSearched };
}
