import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as l10n from '@vscode/l10n';
import { getL10nPseudoLocalized } from '@vscode/l10n-dev';
import { describeFilter } from '../../src/core/activity/activityFilter';
import { managedHsmNameProblem } from '../../src/core/securityDomainPolicy';
import { renderKeyManagementHtml } from '../../src/webview/keyManagementHtml';

// The translatable strings: the manifest's %key% references against package.nls.json, the
// committed l10n/bundle.l10n.json against what `npm run l10n:export` extracts from the sources
// today, and a pseudo-localised bundle to show that messages of the pure layers and of the
// webview page go through it.

const root = path.resolve(__dirname, '../..');
const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));

function manifestKeys(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const m = /^%(.+)%$/.exec(value);
    if (m) found.add(m[1]);
  } else if (Array.isArray(value)) {
    for (const v of value) manifestKeys(v, found);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) manifestKeys(v, found);
  }
  return found;
}

describe('Localisation', () => {
  it('every %key% in package.json is in package.nls.json, and every entry there is used', () => {
    const used = manifestKeys(readJson('package.json'));
    const nls = readJson('package.nls.json') as Record<string, string>;
    assert.ok(used.size > 50, `only ${used.size} %key% references`);
    assert.deepEqual([...used].filter((k) => !(k in nls)), [], 'referenced but missing from package.nls.json');
    assert.deepEqual(Object.keys(nls).filter((k) => !used.has(k)), [], 'in package.nls.json but not referenced');
    for (const [k, v] of Object.entries(nls)) assert.ok(typeof v === 'string' && v.trim() !== '', `${k} is empty`);
  });

  it('the manifest shows no user-facing English text outside package.nls.json', () => {
    type Walkthrough = { title: string; description: string; steps: { title: string; description: string; media?: { altText?: string } }[] };
    const manifest = readJson('package.json') as {
      displayName: string;
      description: string;
      contributes: { commands: { title: string; category?: string }[]; views?: Record<string, { name: string; contextualTitle?: string }[]>; walkthroughs?: Walkthrough[] };
    };
    assert.match(manifest.displayName, /^%.+%$/);
    assert.match(manifest.description, /^%.+%$/);
    for (const c of manifest.contributes.commands) {
      assert.match(c.title, /^%.+%$/, c.title);
      if (c.category !== undefined) assert.match(c.category, /^%.+%$/, c.category);
    }
    for (const view of Object.values(manifest.contributes.views ?? {}).flat()) {
      assert.match(view.name, /^%.+%$/, view.name);
      if (view.contextualTitle !== undefined) assert.match(view.contextualTitle, /^%.+%$/, view.contextualTitle);
    }
    const walkthroughs = manifest.contributes.walkthroughs ?? [];
    assert.ok(walkthroughs.length > 0, 'the getting-started walkthrough is checked');
    for (const w of walkthroughs) {
      for (const text of [w.title, w.description, ...w.steps.flatMap((s) => [s.title, s.description, s.media?.altText ?? '%none%'])]) assert.match(text, /^%.+%$/, text);
    }
  });

  it('l10n/bundle.l10n.json is what `npm run l10n:export` extracts from the sources now', async function () {
    // The export parses every source file with tree-sitter: slow on a loaded machine.
    this.timeout(240_000);
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mhsm-l10n-'));
    try {
      const cli = path.join(root, 'node_modules/@vscode/l10n-dev/dist/cli.js');
      await promisify(execFile)(process.execPath, [cli, 'export', '--outDir', outDir, './src', './webview-ui'], { cwd: root });
      const fresh = JSON.parse(fs.readFileSync(path.join(outDir, 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
      const committed = readJson('l10n/bundle.l10n.json') as Record<string, string>;
      const missing = Object.keys(fresh).filter((k) => !(k in committed));
      const stale = Object.keys(committed).filter((k) => !(k in fresh));
      assert.deepEqual({ missing, stale }, { missing: [], stale: [] }, 'run `npm run l10n:export` and commit l10n/bundle.l10n.json');
      assert.deepEqual(committed, fresh);
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  });

  describe('with a pseudo-localised bundle', () => {
    const bundle = getL10nPseudoLocalized(readJson('l10n/bundle.l10n.json') as Record<string, string>) as Record<string, string>;
    before(() => l10n.config({ contents: bundle }));
    after(() => l10n.config({ contents: {} }));

    it('a pure-layer message comes from the bundle, with its arguments filled in', () => {
      const template = 'A Managed HSM name has 3 to 24 characters; \'{0}\' has {1}.';
      assert.ok(bundle[template] && bundle[template] !== template, 'the pseudo bundle transforms the message');
      const shown = managedHsmNameProblem('ab');
      assert.equal(shown, bundle[template].replace('{0}', 'ab').replace('{1}', '2'));
      assert.notEqual(shown, "A Managed HSM name has 3 to 24 characters; 'ab' has 2.");
    });

    it('the activity filter description translates the result word too, not only the frame', () => {
      const shown = describeFilter({ result: 'failed', text: 'key' });
      assert.equal(shown, bundle['Filtered: {0}, “{1}”'].replace('{0}', bundle['failed']).replace('{1}', 'key'));
      assert.notEqual(shown, 'Filtered: failed, “key”');
    });

    it('the webview page receives the bundle in an attribute it can parse back, and its title is translated', () => {
      const json = JSON.stringify(bundle);
      const html = renderKeyManagementHtml({ cspSource: 'vscode-resource:', scriptUri: 'https://x/a.js', styleUri: 'https://x/a.css', nonce: 'abcdefghijklmnopqrstuv', l10nBundle: json });
      const attr = /<meta name="l10n-bundle" content="([^"]*)">/.exec(html)?.[1];
      assert.ok(attr !== undefined, 'no l10n-bundle meta element');
      const decoded = attr.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
      assert.deepEqual(JSON.parse(decoded), bundle);
      assert.ok(html.includes(`<title>${bundle['Secret Server Key Management']}</title>`));
    });
  });

  it('without a bundle the messages stay English', () => {
    assert.equal(managedHsmNameProblem('ab'), "A Managed HSM name has 3 to 24 characters; 'ab' has 2.");
    const html = renderKeyManagementHtml({ cspSource: 'vscode-resource:', scriptUri: 'https://x/a.js', styleUri: 'https://x/a.css', nonce: 'abcdefghijklmnopqrstuv' });
    assert.ok(html.includes('<title>Secret Server Key Management</title>'));
    assert.ok(html.includes('<meta name="l10n-bundle" content="">'));
  });
});
