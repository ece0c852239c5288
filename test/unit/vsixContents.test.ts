import * as assert from 'node:assert/strict';
import { requiredEntries, vsixContentProblems } from '../../scripts/package/vsixContents';

// The allow-list the packaging check (scripts/package/packageVsix.ts) and the integration test
// apply to a .vsix listing: it must pass what the extension loads and name every other file.

describe('.vsix contents allow-list', () => {
  it('passes the files the extension loads and vsce’s own manifest files', () => {
    const listing = ['[Content_Types].xml', 'extension.vsixmanifest', 'extension/readme.md', 'extension/changelog.md', 'extension/LICENSE.txt', 'extension/package.nls.json', 'extension/package.nls.de.json', 'extension/l10n/bundle.l10n.de.json', 'extension/media/walkthrough/sign-in.svg', ...requiredEntries];
    assert.deepEqual(vsixContentProblems(listing), []);
  });

  it('names tests, sources, source maps, sandbox state and node_modules', () => {
    const bad = [
      'extension/dist/extension.js.map',
      'extension/out/test/extension/index.js',
      'extension/test/e2e/smoke.e2e.ts',
      'extension/src/extension.ts',
      'extension/sandbox/main.ts',
      'extension/.sandbox/endpoints.json',
      'extension/.sandbox-e2e/state.json',
      'extension/node_modules/@azure/identity/package.json',
      'extension/webview-ui/keyManagementForm.ts',
      'extension/dist/secrets.txt',
      'extension/.vscode-e2e/code-server/x.js',
    ];
    const problems = vsixContentProblems(bad);
    assert.deepEqual(
      problems.map((p) => p.path),
      bad,
    );
    assert.match(problems[0].problem, /source map/);
    assert.match(problems[1].problem, /tests/);
    assert.match(problems[5].problem, /sandbox/);
    assert.match(problems[7].problem, /node_modules/);
    assert.match(problems[9].problem, /allow-list/);
  });
});
