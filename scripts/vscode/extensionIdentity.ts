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

/** The display name as VS Code shows it: a `%key%` reference is looked up in package.nls.json. */
export function displayName(dir: string): string | undefined {
  const name = readManifest(dir).displayName;
  const key = /^%(.+)%$/.exec(name ?? '')?.[1];
  if (!key) return name;
  const nls = path.join(dir, 'package.nls.json');
  return fs.existsSync(nls) ? ((JSON.parse(fs.readFileSync(nls, 'utf8')) as Record<string, string>)[key] ?? name) : name;
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
