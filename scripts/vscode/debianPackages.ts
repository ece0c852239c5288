// The Debian packages the real-VS-Code harness needs: the build tools and Kerberos headers that
// code-server's native modules compile against, and Chromium for the tests that drive a browser.
// Checked before anything is downloaded; installed with apt-get when this process may (root, with
// apt-get on the machine), otherwise named in one command to run.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromiumPath } from './paths';

export interface DebianPackage {
  name: string;
  /** Why the harness needs it, for the message. */
  reason: string;
  present(): boolean;
}

function onPath(tool: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && fs.existsSync(path.join(dir, tool)));
}

/** What code-server's postinstall compiles with (node-gyp: a C++ compiler, make, Python; gssapi.h for kerberos). */
export const codeServerBuildPackages: readonly DebianPackage[] = [
  { name: 'libkrb5-dev', reason: 'Kerberos headers for code-server\'s kerberos module', present: () => fs.existsSync('/usr/include/gssapi/gssapi.h') },
  { name: 'g++', reason: 'compiles code-server\'s native modules', present: () => onPath('g++') },
  { name: 'make', reason: 'runs node-gyp\'s build', present: () => onPath('make') },
  { name: 'python3', reason: 'runs node-gyp', present: () => onPath('python3') },
];

/** Debian's Chromium, which the extension-host and UI tests drive (CHROMIUM_PATH points elsewhere). */
export const chromiumPackages: readonly DebianPackage[] = [
  { name: 'chromium', reason: 'the browser the extension-host and UI tests drive', present: () => fs.existsSync(chromiumPath) },
];

export function missingPackages(packages: readonly DebianPackage[]): DebianPackage[] {
  return packages.filter((p) => !p.present());
}

/** How packages get onto the machine: apt-get as root here; a test passes its own. */
export interface PackageInstaller {
  /** Whether this process may install (root, with apt-get on the machine). */
  canInstall(): boolean;
  /** Runs apt-get with these arguments, its output shown as it runs. */
  apt(args: string[]): void;
}

export const aptGet: PackageInstaller = {
  canInstall: () => typeof process.getuid === 'function' && process.getuid() === 0 && onPath('apt-get'),
  apt(args) {
    const result = spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (result.error) throw result.error;
    if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} exited with ${result.status ?? result.signal}`);
  },
};

/**
 * Makes sure `packages` are installed. Missing ones are installed with apt-get when this process
 * runs as root on a machine with apt-get; otherwise it throws, before anything is downloaded,
 * with the one command that installs them.
 */
export function ensureDebianPackages(packages: readonly DebianPackage[], purpose: string, installer: PackageInstaller = aptGet): void {
  const missing = missingPackages(packages);
  if (missing.length === 0) return;
  const names = missing.map((p) => p.name);
  if (!installer.canInstall()) {
    const why = missing.map((p) => `  ${p.name}: ${p.reason}`).join('\n');
    throw new Error(`${purpose} needs Debian packages that are not installed:\n${why}\nInstall them, then run this again:\n  sudo apt-get update && sudo apt-get install -y ${names.join(' ')}`);
  }
  console.log(`[vscode-e2e] ${purpose} needs ${names.join(', ')}: installing with apt-get (as root)`);
  const started = Date.now();
  installer.apt(['update']);
  installer.apt(['install', '-y', ...names]);
  const still = missingPackages(missing);
  if (still.length) throw new Error(`apt-get installed ${names.join(' ')}, but ${still.map((p) => p.name).join(', ')} is still missing`);
  console.log(`[vscode-e2e] installed ${names.join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
