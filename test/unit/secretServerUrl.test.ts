import * as assert from 'node:assert/strict';
import { ActionableError } from '../../src/core/actionableError';
import { parseSecretServerUrl, serviceUrl } from '../../src/secretServer/baseUrl';

describe('Secret Server URL normalisation', () => {
  it('recognises Secret Server Cloud tenants in every geography', () => {
    assert.deepEqual(parseSecretServerUrl('https://Contoso.SecretServerCloud.com/'), {
      baseUrl: 'https://contoso.secretservercloud.com',
      kind: 'cloud',
      tenant: 'contoso',
      cloudDomain: 'com',
    });
    assert.equal(parseSecretServerUrl('contoso.secretservercloud.com.au').cloudDomain, 'com.au');
    assert.equal(parseSecretServerUrl('https://contoso.secretservercloud.eu').kind, 'cloud');
    assert.equal(parseSecretServerUrl('https://contoso.secretservercloud.ca').baseUrl, 'https://contoso.secretservercloud.ca');
  });

  it('keeps an on-premises virtual directory and drops what the browser adds after it', () => {
    for (const input of [
      'https://ss.contoso.local/SecretServer',
      'https://ss.contoso.local/SecretServer/',
      'https://ss.contoso.local/SecretServer/app/#/secrets/view/all',
      'https://ss.contoso.local/SecretServer/Login.aspx?ReturnUrl=%2f',
      'https://ss.contoso.local/SecretServer/api/v1/healthcheck',
      'https://ss.contoso.local//SecretServer//oauth2/token',
    ]) {
      assert.deepEqual(parseSecretServerUrl(input), { baseUrl: 'https://ss.contoso.local/SecretServer', kind: 'onPremises' }, input);
    }
  });

  it('strips API paths from a cloud URL too and keeps explicit ports', () => {
    assert.equal(parseSecretServerUrl('https://contoso.secretservercloud.com/api/v1').baseUrl, 'https://contoso.secretservercloud.com');
    assert.equal(parseSecretServerUrl('https://127.0.0.1:8447').baseUrl, 'https://127.0.0.1:8447');
    assert.equal(parseSecretServerUrl('https://127.0.0.1:8447').kind, 'onPremises');
  });

  it('refuses http, embedded credentials and garbage with a sentence that says what to type', () => {
    const refused = (input: string, pattern: RegExp) =>
      assert.throws(() => parseSecretServerUrl(input), (e: unknown) => e instanceof ActionableError && e.kind === 'invalidInput' && pattern.test(e.message));
    refused('http://ss.contoso.local/SecretServer', /must use https/);
    refused('https://admin:pw@ss.contoso.local', /must not contain a user name or password/);
    refused('   ', /empty/);
    refused('https://exa mple', /not a valid Secret Server URL/);
  });

  it('joins service paths and query parameters', () => {
    assert.equal(
      serviceUrl('https://h/SecretServer', '/api/v1/key-management/config/audit', { skip: 0, take: 10, 'sortBy[0].name': 'dateRecorded', x: undefined }),
      'https://h/SecretServer/api/v1/key-management/config/audit?skip=0&take=10&sortBy%5B0%5D.name=dateRecorded',
    );
  });
});
