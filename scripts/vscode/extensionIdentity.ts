import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InstalledExtension } from './codeServer';

interface Manifest {
  publisher: string;
  name: string;
  version: string;
  displayName?: string;
}

export function readManifest(dir: string): Manifest {
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** `<publisher>.<name>`, the id VS Code knows the extension by. */
export function extensionId(dir: string): string {
  const m = readManifest(dir);
  return `${m.publisher}.${m.name}`;
}

/** The extensions-folder entry for an unpacked extension (a symlink named as VS Code names it). */
export function asInstalled(dir: string): InstalledExtension {
  const m = readManifest(dir);
  return { folderName: `${m.publisher}.${m.name}-${m.version}`, dir };
}
