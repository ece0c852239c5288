import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { packageReportFile, type PackageReport } from '../../scripts/package/packageVsix';
import { requiredEntries, vsixContentProblems } from '../../scripts/package/vsixContents';
import { zipListing } from '../../scripts/package/zipListing';
import { repoRoot } from '../../scripts/vscode/paths';

const exec = promisify(execFile);

// `npm run package` as a user runs it: production bundles, vsce, the .vsix. Then the .vsix itself
// (its zip listing, not vsce's plan) must hold exactly what the extension loads.

describe('npm run package: the .vsix', function () {
  this.timeout(240_000);
  let report: PackageReport;
  let listing: string[];
  let vsix: string;

  before(async () => {
    await exec('npm', ['run', '--silent', 'package'], { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 });
    report = JSON.parse(fs.readFileSync(packageReportFile, 'utf8')) as PackageReport;
    vsix = path.join(repoRoot, report.vsix);
    listing = zipListing(vsix).map((e) => e.name);
  });

  it('holds only allowed files, and every file the extension loads', () => {
    assert.deepEqual(vsixContentProblems(listing), []);
    for (const required of requiredEntries) assert.ok(listing.includes(required), `${required} is in the .vsix`);
  });

  it('reports the size and file count of the file it wrote', () => {
    assert.equal(report.bytes, fs.statSync(vsix).size);
    assert.equal(report.zipEntries, listing.length);
    assert.equal(report.extensionFiles, listing.filter((n) => n.startsWith('extension/')).length);
    console.log(`      ${report.vsix}: ${(report.bytes / 1024).toFixed(1)} KB, ${report.extensionFiles} extension files`);
  });

  it('carries minified production bundles without source map references', () => {
    const stage = path.join(repoRoot, 'dist-package', 'stage', 'dist');
    for (const file of ['extension.js', 'azure-sdk.js', path.join('webview', 'keyManagementForm.js')]) {
      const text = fs.readFileSync(path.join(stage, file), 'utf8');
      assert.doesNotMatch(text, /sourceMappingURL/, `${file} points at no source map`);
      // Minified code keeps only the line breaks inside template literals: long lines on average
      // (the webview toolkit's many CSS templates keep the page bundle's lines shorter).
      if (!file.startsWith('webview')) assert.ok(text.length / text.split('\n').length > 1000, `${file} is minified`);
    }
  });

  it('`vsce ls` in the project folder lists no source map, test or source, even next to a development build', async () => {
    // npm test builds dist/ (with maps) before this suite; build it here too when run alone.
    if (!fs.existsSync(path.join(repoRoot, 'dist', 'extension.js.map'))) await exec('npm', ['run', '--silent', 'build'], { cwd: repoRoot });
    const { stdout } = await exec(path.join(repoRoot, 'node_modules', '.bin', 'vsce'), ['ls', '--no-dependencies'], { cwd: repoRoot });
    const files = stdout.split('\n').map((l) => l.trim()).filter(Boolean);
    assert.ok(files.includes('dist/extension.js'), `vsce ls lists dist/extension.js:\n${stdout}`);
    assert.deepEqual(vsixContentProblems(files.map((f) => `extension/${f}`)), []);
  });
});
