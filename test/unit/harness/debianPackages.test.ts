import { strict as assert } from 'node:assert';
import { ensureDebianPackages, type DebianPackage, type PackageInstaller } from '../../../scripts/vscode/debianPackages';

// What `npm start` and `npm test` do when a Debian package they need is missing: install it with
// apt-get as root, or stop before any download and name the one command to run.

function fakePackage(name: string, present: boolean): DebianPackage & { installed: boolean } {
  const p = { name, reason: `needed for ${name}`, installed: present, present: () => p.installed };
  return p;
}

function recorder(canInstall: boolean, onInstall: (names: string[]) => void = () => undefined): PackageInstaller & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    canInstall: () => canInstall,
    apt(args) {
      calls.push(args);
      if (args[0] === 'install') onInstall(args.slice(2));
    },
  };
}

describe('the harness\'s Debian packages', () => {
  it('does nothing when every package is present', () => {
    const apt = recorder(true);
    ensureDebianPackages([fakePackage('g++', true)], 'Installing code-server', apt);
    assert.deepEqual(apt.calls, []);
  });

  it('without root, stops before any download with the one command that installs what is missing', () => {
    const apt = recorder(false);
    assert.throws(
      () => ensureDebianPackages([fakePackage('g++', true), fakePackage('libkrb5-dev', false), fakePackage('chromium', false)], 'Installing code-server', apt),
      (err: Error) => {
        assert.match(err.message, /^Installing code-server needs Debian packages that are not installed:/);
        assert.match(err.message, /libkrb5-dev: needed for libkrb5-dev/);
        assert.match(err.message, /sudo apt-get update && sudo apt-get install -y libkrb5-dev chromium$/);
        assert.doesNotMatch(err.message, /g\+\+/);
        return true;
      },
    );
    assert.deepEqual(apt.calls, []);
  });

  it('as root, installs only the missing packages with apt-get, after an update', () => {
    const missing = fakePackage('libkrb5-dev', false);
    const apt = recorder(true, () => (missing.installed = true));
    ensureDebianPackages([fakePackage('make', true), missing], 'Installing code-server', apt);
    assert.deepEqual(apt.calls, [['update'], ['install', '-y', 'libkrb5-dev']]);
  });

  it('says so when apt-get ran but the package is still missing', () => {
    const apt = recorder(true);
    assert.throws(() => ensureDebianPackages([fakePackage('chromium', false)], 'Running the UI tests', apt), /apt-get installed chromium, but chromium is still missing/);
  });
});
