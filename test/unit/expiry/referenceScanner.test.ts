import * as assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { DocumentScanner, scanText } from '../../../src/core/expiry/referenceScanner';

const v = '0123456789abcdef0123456789abcdef';
const url = 'https://contoso-mhsm.managedhsm.azure.net/keys/secret-server-key';
const appId = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

describe('reference scanner', () => {
  it('finds versioned and versionless key URLs in JSON, YAML, Bicep, Terraform, PowerShell and Markdown', () => {
    const samples: Record<string, string> = {
      json: `{\n  "keyUrl": "${url}/${v}"\n}`,
      yaml: `key:\n  url: ${url}\n`,
      bicep: `param keyUrl string = '${url}/${v}'`,
      terraform: `resource "x" "y" {\n  key_id = "${url}"\n}`,
      powershell: `$KeyUrl = "${url}/${v}"; Update-TssKeyManagement -AzureManagedHsmKeyUrl $KeyUrl`,
      markdown: `See [the key](${url}/${v}) and <${url}/>.`,
    };
    for (const [kind, text] of Object.entries(samples)) {
      const refs = scanText(text).references.filter((r) => r.kind === 'keyUrl');
      assert.ok(refs.length >= 1, kind);
      const r = refs[0];
      assert.ok(r.kind === 'keyUrl');
      assert.equal(r.key.name, 'secret-server-key', kind);
      const line = text.split('\n')[r.range.line];
      assert.equal(line.slice(r.range.start, r.range.end), r.text, kind);
    }
    const md = scanText(samples.markdown).references;
    assert.equal(md.length, 2);
    assert.ok(md[0].kind === 'keyUrl' && md[0].key.version === v);
    assert.ok(md[1].kind === 'keyUrl' && md[1].key.version === undefined);
  });

  it('ignores Key Vault vaults, other hosts and malformed versions, but accepts sandbox origins and sovereign suffixes', () => {
    const text = [
      'https://contoso.vault.azure.net/keys/k',
      'https://example.com/keys/k',
      `${url}/nothex`,
      'https://127.0.0.1:8443/keys/sandbox-key',
      'https://127.0.0.1:9999/keys/other-port',
      'https://gov.managedhsm.usgovcloudapi.net/keys/gov-key',
    ].join('\n');
    const refs = scanText(text, { origins: ['https://127.0.0.1:8443'], dnsSuffixes: ['managedhsm.azure.net', 'managedhsm.usgovcloudapi.net'] }).references;
    assert.deepEqual(
      refs.map((r) => (r.kind === 'keyUrl' ? r.key.name : r.kind)),
      ['sandbox-key', 'gov-key'],
    );
    assert.deepEqual(refs.map((r) => r.range.line), [3, 5]);
  });

  it('finds only known client ids, in any case, not inside longer hex runs', () => {
    const text = `client_id = "${appId.toUpperCase()}"\nother = "11111111-2222-3333-4444-555555555555"\nx${appId}0`;
    const refs = scanText(text, { clientIds: [appId] }).references;
    assert.equal(refs.length, 1);
    assert.deepEqual(refs[0], { kind: 'clientId', appId, range: { line: 0, start: 13, end: 49 } });
  });

  it('caps matches and size and says so', () => {
    const many = Array.from({ length: 50 }, () => url).join('\n');
    const capped = scanText(many, { maxMatches: 10 });
    assert.equal(capped.references.length, 10);
    assert.equal(capped.truncated, true);
    const big = scanText(`${'x'.repeat(100)}\n${url}`, { maxChars: 50 });
    assert.equal(big.references.length, 0);
    assert.equal(big.truncated, true);
  });

  it('stays linear on adversarial long lines', () => {
    const hostile = [
      'https://'.repeat(50_000),
      `https://${'a'.repeat(200_000)}`,
      `https://${'a.'.repeat(100_000)}managedhsm.azure.net/keys/`,
      `${url.slice(0, -3)}${'-'.repeat(200_000)}`,
      `${'0'.repeat(8)}-`.repeat(40_000),
      `https://x.managedhsm.azure.net/keys/k/${'a'.repeat(200_000)}`,
    ];
    for (const line of hostile) {
      const started = performance.now();
      const result = scanText(line, { clientIds: [appId] });
      const ms = performance.now() - started;
      // A generous bound: catastrophic backtracking would take seconds to minutes here.
      assert.ok(ms < 1000, `${line.slice(0, 20)}… took ${ms.toFixed(0)} ms`);
      assert.equal(result.references.length, 0);
    }
  });

  it('finds each reference exactly once when it straddles a chunk boundary', () => {
    for (let pad = 90; pad < 140; pad++) {
      const text = `${'x'.repeat(pad)} ${url}/${v} ${appId}\n${url}`;
      const scanner = new DocumentScanner(text, { clientIds: [appId] }, 100);
      let steps = 0;
      while (scanner.step()) steps++;
      const refs = scanner.result().references;
      assert.ok(steps >= 1);
      assert.deepEqual(refs.map((r) => r.kind), ['keyUrl', 'clientId', 'keyUrl'], `pad ${pad}`);
      assert.deepEqual(refs, scanText(text, { clientIds: [appId] }).references, `pad ${pad}`);
    }
  });
});
