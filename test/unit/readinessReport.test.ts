import * as assert from 'node:assert/strict';
import { known } from '../../src/core/readiness/facts';
import type { Finding } from '../../src/core/readiness/finding';
import { buildReadinessReport, escapeMarkdown, renderReadinessMarkdown, verdictOf } from '../../src/core/readiness/report';
import { evaluate, now, readyFacts } from '../support/readinessFacts';

const f = (status: Finding['status'], extra: Partial<Finding> = {}): Finding => ({ id: `x.${status}`, group: 'key', title: 'T', status, reason: 'R.', ...extra });

describe('readiness report', () => {
  describe('verdict', () => {
    it('all passing is ready', () => assert.equal(verdictOf([f('pass')]), 'ready'));
    it('a warning is ready with warnings', () => assert.equal(verdictOf([f('pass'), f('warn')]), 'readyWithWarnings'));
    it('an unchecked rule is not proven, even with warnings', () => assert.equal(verdictOf([f('warn'), f('unknown')]), 'incomplete'));
    it('a failure is not ready, whatever else', () => assert.equal(verdictOf([f('unknown'), f('fail'), f('pass')]), 'notReady'));
    it('reminders never change the verdict', () => assert.equal(verdictOf([f('pass'), f('pass', { reminder: true })]), 'ready'));
  });

  it('counts statuses without reminders and groups findings in report order', () => {
    const report = buildReadinessReport(readyFacts().target, evaluate(readyFacts()), now, { durationMs: 812.4 });
    assert.equal(report.verdict, 'ready');
    assert.deepEqual(report.counts, { pass: 20, warn: 0, fail: 0, unknown: 0 });
    assert.deepEqual(report.groups.map((g) => g.title), ['Key', 'Managed HSM', 'Access', 'Client secrets', 'Secret Server']);
  });

  it('renders title, target, time, marks, reasons and fixes', () => {
    const facts = readyFacts();
    if (facts.key.state === 'known') facts.key = known({ ...facts.key.value, enabled: false });
    if (facts.hsm.state === 'known') facts.hsm = known({ ...facts.hsm.value, purgeProtection: false });
    const report = buildReadinessReport(facts.target, evaluate(facts), now, { durationMs: 812.4 });
    const md = renderReadinessMarkdown(report);
    assert.match(md, /^# Secret Server readiness: key secret-server-key\n/);
    assert.match(md, /\*\*✗ Not ready\*\* — 1 failed, 1 warning, 18 passed\./);
    assert.match(md, /\| Key \| https:\/\/contoso-mhsm\.managedhsm\.azure\.net\/keys\/secret-server-key \(versionless: the current version\) \|/);
    assert.match(md, /\| Checked \| 2025-06-01 12:00 UTC \(took 812 ms\) \|/);
    assert.match(md, /\n## Key\n\n- ✓ \*\*Key type is oct-HSM\*\* — /);
    assert.match(md, /- ✗ \*\*Key is enabled\*\* — The key version is disabled.*\n {2}- Fix: Enable the key version\n/);
    assert.match(md, /- ⚠ \*\*Purge protection is on\*\* — Purge protection is off/);
    assert.match(md, /- ℹ \*\*Security domain is backed up\*\* — Reminder/);
    assert.match(md, /\n {2}- Why: Without the security domain/);
  });

  describe('escaping', () => {
    const hostile = [
      '<img src=x onerror=alert(1)>',
      '[click me](https://evil.example/phish)',
      '![pixel](https://evil.example/p.png)',
      'col | col',
      'line one\n# injected heading\n\n- injected item',
      '`code` *bold* _em_ ~~strike~~ $x^2$',
      '&lt;already an entity&gt;',
      'safe\u202Eevil\u2066name',
      'back\\slash',
    ];

    for (const text of hostile) {
      it(`renders ${JSON.stringify(text)} as text`, () => {
        const out = escapeMarkdown(text);
        assert.doesNotMatch(out, /[<>\n\r\u202E\u2066]/);
        assert.doesNotMatch(out, /(^|[^\\])[[\]|`*_~$]/, `unescaped markup in ${out}`);
        assert.doesNotMatch(out, /&(?!amp;|lt;|gt;)/);
      });
    }

    it('keeps the text readable', () => {
      assert.equal(escapeMarkdown('Key <a> & [b] | c'), 'Key &lt;a&gt; &amp; \\[b\\] \\| c');
      assert.equal(escapeMarkdown('secret-server-key.v2'), 'secret-server-key.v2');
    });

    it('caps very long text', () => {
      assert.ok(escapeMarkdown('x'.repeat(5000)).length <= 1000);
    });

    it('a hostile app name and server message stay inside their list item', () => {
      const facts = readyFacts();
      if (facts.app.state === 'known') facts.app = known({ ...facts.app.value, secrets: [], displayName: 'Evil</li><script>alert(1)</script>\n## Owned | x' });
      facts.secretServer!.health = known({ healthy: false, reason: '[login](https://evil.example) <b>now</b>' });
      const md = renderReadinessMarkdown(buildReadinessReport(facts.target, evaluate(facts), now));
      assert.doesNotMatch(md, /<script>|<\/li>|<b>/);
      assert.doesNotMatch(md, /\n## Owned/);
      assert.doesNotMatch(md, /[^\\]\]\(https:\/\/evil/);
      assert.match(md, /\\\[login\\\]\(https:\/\/evil\.example\)/);
      assert.match(md, /Evil&lt;\/li&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt; ## Owned \\\| x/);
    });

    it('masks anything shaped like a token or secret that a server echoed', () => {
      const facts = readyFacts();
      const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmMifQ.c2lnbmF0dXJlLXZhbHVl';
      facts.secretServer!.health = known({ healthy: false, reason: `rejected Authorization: Bearer ${jwt} client_secret=abc123def456` });
      const md = renderReadinessMarkdown(buildReadinessReport(facts.target, evaluate(facts), now));
      assert.equal(md.includes(jwt), false);
      assert.equal(md.includes('abc123def456'), false);
    });
  });
});
