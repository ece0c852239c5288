import * as assert from 'node:assert/strict';
import { formatKeyIdentifier, hsmUriProblem, isValidKeyName, keyNameProblem, parseKeyIdentifier, type HsmHostRules } from '../../src/core/keyIdentifier';

const publicCloud: HsmHostRules = { dnsSuffix: 'managedhsm.azure.net' };
const sandbox: HsmHostRules = { origins: ['https://127.0.0.1:8443', 'https://127.0.0.1:8444/'] };
const version = 'c1a3cd3849514cc08cb716a73da476d8';

function reason(text: string, rules?: HsmHostRules): string {
  const result = parseKeyIdentifier(text, rules);
  assert.equal(result.ok, false, `expected '${text}' to be refused`);
  return result.ok ? '' : result.reason;
}

function value(text: string, rules?: HsmHostRules) {
  const result = parseKeyIdentifier(text, rules);
  if (!result.ok) assert.fail(`expected '${text}' to parse, got: ${result.reason}`);
  return result.value;
}

describe('parseKeyIdentifier', () => {
  it('parses a versioned identifier into HSM, name and version', () => {
    const id = value(`https://contoso.managedhsm.azure.net/keys/secret-server-key/${version}`, publicCloud);
    assert.equal(id.hsmUri, 'https://contoso.managedhsm.azure.net/');
    assert.equal(id.origin, 'https://contoso.managedhsm.azure.net');
    assert.equal(id.name, 'secret-server-key');
    assert.equal(id.version, version);
    assert.equal(id.versionlessId, 'https://contoso.managedhsm.azure.net/keys/secret-server-key');
    assert.equal(id.id, `https://contoso.managedhsm.azure.net/keys/secret-server-key/${version}`);
  });

  it('parses a versionless identifier, with or without a trailing slash, and surrounding blanks', () => {
    for (const text of ['https://contoso.managedhsm.azure.net/keys/k1', 'https://contoso.managedhsm.azure.net/keys/k1/', '  https://contoso.managedhsm.azure.net/keys/k1 \n']) {
      const id = value(text, publicCloud);
      assert.equal(id.name, 'k1');
      assert.equal(id.version, undefined);
      assert.equal(id.id, 'https://contoso.managedhsm.azure.net/keys/k1');
    }
    assert.equal(value(`https://contoso.managedhsm.azure.net/keys/k1/${version}/`, publicCloud).version, version);
  });

  it('accepts an explicit default port and a host in capitals, and normalises both', () => {
    const id = value(`https://CONTOSO.managedhsm.azure.net:443/keys/k1/${version}`, publicCloud);
    assert.equal(id.origin, 'https://contoso.managedhsm.azure.net');
  });

  it('refuses Key Vault vault URLs of every cloud with a reason that names the mistake', () => {
    for (const host of ['contoso.vault.azure.net', 'contoso.vault.usgovcloudapi.net', 'contoso.vault.azure.cn']) {
      const why = reason(`https://${host}/keys/k1/${version}`, publicCloud);
      assert.match(why, /Key Vault vault, not a Managed HSM/);
      assert.match(why, /oct-HSM/);
    }
    // Even when no cloud rules are given.
    assert.match(reason(`https://contoso.vault.azure.net/keys/k1`), /not a Managed HSM/);
  });

  it('refuses http and other schemes', () => {
    assert.match(reason('http://contoso.managedhsm.azure.net/keys/k1', publicCloud), /must use https, not http/);
    assert.match(reason('ftp://contoso.managedhsm.azure.net/keys/k1'), /must use https/);
  });

  it('refuses text that is not a URL, and empty input', () => {
    assert.match(reason('contoso.managedhsm.azure.net/keys/k1'), /is not a URL/);
    assert.match(reason('   '), /required/);
  });

  it('refuses wrong paths', () => {
    const expected = /path \/keys\/\{key-name\}/;
    assert.match(reason('https://contoso.managedhsm.azure.net/', publicCloud), expected);
    assert.match(reason('https://contoso.managedhsm.azure.net/keys', publicCloud), expected);
    assert.match(reason('https://contoso.managedhsm.azure.net/keys/', publicCloud), expected);
    assert.match(reason(`https://contoso.managedhsm.azure.net/keys/k1/${version}/extra`, publicCloud), expected);
    assert.match(reason('https://contoso.managedhsm.azure.net/hsm1/keys/k1', publicCloud), expected);
    assert.match(reason(`https://contoso.managedhsm.azure.net/secrets/s1/${version}`, publicCloud), /points at a secret, not a key/);
    assert.match(reason('https://contoso.managedhsm.azure.net/keys//' + version, publicCloud), /key name is required/);
  });

  it('refuses malformed versions', () => {
    assert.match(reason('https://contoso.managedhsm.azure.net/keys/k1/latest', publicCloud), /32 hexadecimal/);
    assert.match(reason(`https://contoso.managedhsm.azure.net/keys/k1/${version}0`, publicCloud), /32 hexadecimal/);
    assert.match(reason(`https://contoso.managedhsm.azure.net/keys/k1/${version.slice(1)}g`, publicCloud), /32 hexadecimal/);
  });

  it('refuses invalid key names', () => {
    assert.match(reason('https://contoso.managedhsm.azure.net/keys/my_key', publicCloud), /letters, digits and hyphens/);
    assert.match(reason('https://contoso.managedhsm.azure.net/keys/my%20key', publicCloud), /letters, digits and hyphens/);
    assert.match(reason(`https://contoso.managedhsm.azure.net/keys/${'a'.repeat(128)}`, publicCloud), /at most 127/);
    assert.equal(value(`https://contoso.managedhsm.azure.net/keys/${'a'.repeat(127)}`, publicCloud).name.length, 127);
  });

  it('refuses query strings, fragments and credentials in the URL', () => {
    assert.match(reason('https://contoso.managedhsm.azure.net/keys/k1?api-version=7.6', publicCloud), /query string/);
    assert.match(reason('https://contoso.managedhsm.azure.net/keys/k1#v', publicCloud), /query string or fragment/);
    assert.match(reason('https://user:pw@contoso.managedhsm.azure.net/keys/k1', publicCloud), /user name or password/);
  });

  it('checks the host against the cloud: DNS suffix, other clouds, ports', () => {
    assert.match(reason('https://contoso.managedhsm.usgovcloudapi.net/keys/k1', publicCloud), /Azure US Government.*different cloud/);
    assert.match(reason('https://contoso.managedhsm.azure.cn/keys/k1', publicCloud), /21Vianet/);
    assert.match(reason('https://contoso.example.com/keys/k1', publicCloud), /not a Managed HSM host: expected \{hsm-name\}\.managedhsm\.azure\.net/);
    assert.match(reason('https://managedhsm.azure.net/keys/k1', publicCloud), /not a Managed HSM host/);
    assert.match(reason('https://a.b.managedhsm.azure.net/keys/k1', publicCloud), /not a Managed HSM host/);
    assert.match(reason('https://contoso.managedhsm.azure.net:8443/keys/k1', publicCloud), /not a Managed HSM host/);
    assert.equal(value('https://contoso.managedhsm.usgovcloudapi.net/keys/k1', { dnsSuffix: 'managedhsm.usgovcloudapi.net' }).name, 'k1');
  });

  it('checks the origin against a sandbox list of HSM origins', () => {
    assert.equal(value(`https://127.0.0.1:8443/keys/k1/${version}`, sandbox).hsmUri, 'https://127.0.0.1:8443/');
    assert.equal(value('https://127.0.0.1:8444/keys/k1', sandbox).name, 'k1');
    assert.match(reason('https://127.0.0.1:8445/keys/k1', sandbox), /not one of the Managed HSMs/);
    assert.match(reason('https://contoso.managedhsm.azure.net/keys/k1', sandbox), /not one of the Managed HSMs/);
  });

  it('accepts any https host when no cloud rules are given', () => {
    assert.equal(value('https://127.0.0.1:9999/keys/k1').origin, 'https://127.0.0.1:9999');
  });
});

describe('formatKeyIdentifier', () => {
  it('joins the HSM URI (with or without slash), name and optional version', () => {
    assert.equal(formatKeyIdentifier('https://contoso.managedhsm.azure.net/', 'k1'), 'https://contoso.managedhsm.azure.net/keys/k1');
    assert.equal(formatKeyIdentifier('https://contoso.managedhsm.azure.net', 'k1', version), `https://contoso.managedhsm.azure.net/keys/k1/${version}`);
  });

  it('round-trips through parseKeyIdentifier', () => {
    const text = formatKeyIdentifier('https://contoso.managedhsm.azure.net/', 'secret-server-key', version);
    assert.equal(value(text, publicCloud).id, text);
  });
});

describe('key names', () => {
  it('follows the Managed HSM rule ^[0-9a-zA-Z-]{1,127}$', () => {
    for (const ok of ['a', 'A-9', 'secret-server-key', '-', 'x'.repeat(127)]) assert.equal(isValidKeyName(ok), true, ok);
    for (const bad of ['', 'x'.repeat(128), 'a_b', 'a.b', 'a b', 'ключ', 'a/b']) assert.equal(isValidKeyName(bad), false, bad);
    assert.match(keyNameProblem('') ?? '', /required/);
    assert.match(keyNameProblem('x'.repeat(128)) ?? '', /128 characters long.*at most 127/);
  });
});

describe('hsmUriProblem', () => {
  it('accepts the cloud\'s HSM URIs and explains the rest', () => {
    assert.equal(hsmUriProblem('https://contoso.managedhsm.azure.net/', publicCloud), undefined);
    assert.equal(hsmUriProblem('https://127.0.0.1:8443/', sandbox), undefined);
    assert.match(hsmUriProblem('http://contoso.managedhsm.azure.net/', publicCloud) ?? '', /https/);
    assert.match(hsmUriProblem('not a url', publicCloud) ?? '', /not a URL/);
    assert.match(hsmUriProblem('https://contoso.vault.azure.net/', publicCloud) ?? '', /not a Managed HSM host/);
  });
});
