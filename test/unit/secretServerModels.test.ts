import * as assert from 'node:assert/strict';
import { ActionableError } from '../../src/core/actionableError';
import { mapHealth } from '../../src/secretServer/health';
import { azureManagedHsmProblems, keyManagementUpdateBody, mapKeyManagementConfig } from '../../src/secretServer/keyManagement';
import { findKeyManagementType, parseKeyManagementTypes, providerKindOf, requireKeyManagementType } from '../../src/secretServer/keyManagementTypes';
import { mapPage, pagingQuery } from '../../src/secretServer/paging';
import { retryAfterMs, retryDecision, type RetryInput } from '../../src/secretServer/retryRules';

const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const clientId = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';

describe('Secret Server key management models', () => {
  it('maps the configuration and drops a principal secret even if a server returned one', () => {
    const config = mapKeyManagementConfig({
      keyManagementConfigId: 7,
      keyManagementTypeId: 42,
      keyManagementTypeName: 'Azure Managed HSM',
      azureManagedHsmTenantId: tenantId,
      azureManagedHsmPrincipalId: clientId,
      azureManagedHsmPrincipalSecret: 'should-never-be-here',
      azureManagedHsmKeyUrl: 'https://contoso.managedhsm.azure.net/keys/ss',
      awsKmsSecretAccessKey: '',
      awsKmsKeyArn: null,
    });
    assert.equal(config.configId, 7);
    assert.equal(config.typeId, 42);
    assert.equal(config.provider, 'azureManagedHsm');
    assert.deepEqual(config.azureManagedHsm, { tenantId, principalId: clientId, keyUrl: 'https://contoso.managedhsm.azure.net/keys/ss' });
    assert.doesNotMatch(JSON.stringify(config), /should-never-be-here/);
    assert.deepEqual(config.awsKms, { accessKeyId: undefined, keyArn: undefined, keyId: undefined });
  });

  it('recognises providers by name in any spelling and never by id', () => {
    assert.equal(providerKindOf('Azure Managed HSM'), 'azureManagedHsm');
    assert.equal(providerKindOf('AzureManagedHsm'), 'azureManagedHsm');
    assert.equal(providerKindOf('Azure Key Vault Managed HSM'), 'azureManagedHsm');
    assert.equal(providerKindOf('AwsKms'), 'awsKms');
    assert.equal(providerKindOf('Amazon KMS'), 'awsKms');
    assert.equal(providerKindOf('AzureKeyVault'), 'azureKeyVault');
    assert.equal(providerKindOf('None'), 'none');
    assert.equal(providerKindOf('Thales Luna'), undefined);

    const types = parseKeyManagementTypes([{ id: 9, name: 'None' }, { keyManagementTypeId: 3, keyManagementTypeName: 'AzureManagedHsm' }, { id: 'x' }]);
    assert.deepEqual(types, [{ id: 9, name: 'None' }, { id: 3, name: 'AzureManagedHsm' }]);
    assert.deepEqual(findKeyManagementType(types, 'azureManagedHsm'), { id: 3, name: 'AzureManagedHsm' });
    assert.deepEqual(findKeyManagementType(types, 'none'), { id: 9, name: 'None' });
  });

  it('says which types the server offers when the wanted one is missing', () => {
    assert.throws(
      () => requireKeyManagementType([{ id: 1, name: 'None' }], 'azureManagedHsm'),
      (e: unknown) => e instanceof ActionableError && e.kind === 'notFound' && /does not offer it \(it offers: None\)/.test(e.message),
    );
  });

  it('builds the flat PUT body: only the type for None, the four fields for Azure Managed HSM', () => {
    assert.deepEqual(keyManagementUpdateBody({ type: { id: 5, name: 'None' } }), { keyManagementTypeId: 5 });
    assert.deepEqual(
      keyManagementUpdateBody({ type: { id: 8, name: 'AzureManagedHsm' }, azureManagedHsm: { tenantId: ` ${tenantId} `, principalId: clientId, principalSecret: 's3cret value', keyUrl: 'https://h.managedhsm.azure.net/keys/k/abc ' } }),
      {
        keyManagementTypeId: 8,
        azureManagedHsmTenantId: tenantId,
        azureManagedHsmPrincipalId: clientId,
        azureManagedHsmPrincipalSecret: 's3cret value',
        azureManagedHsmKeyUrl: 'https://h.managedhsm.azure.net/keys/k/abc',
      },
    );
  });

  it('finds the mistakes a user can fix before sending', () => {
    assert.deepEqual(azureManagedHsmProblems({ tenantId, principalId: clientId, principalSecret: 'x', keyUrl: 'https://h.managedhsm.azure.net/keys/secret-server-key/0123abcd' }), []);
    assert.deepEqual(azureManagedHsmProblems({ tenantId, principalId: clientId, principalSecret: 'x', keyUrl: 'https://127.0.0.1:8450/keys/secret-server-key' }), []);
    assert.deepEqual(azureManagedHsmProblems({ tenantId: 'contoso', principalId: 'app', principalSecret: ' ', keyUrl: 'http://h/secrets/x' }), [
      'the tenant ID must be a GUID',
      'the principal (client) ID must be a GUID',
      'the principal secret is empty',
      'the key URL must use https://',
      'the key URL must look like https://<hsm>.managedhsm.azure.net/keys/<name>[/<version>]',
    ]);
  });
});

describe('Secret Server paging', () => {
  it('writes the sort query the way the API names it', () => {
    assert.deepEqual(pagingQuery({ skip: 10, take: 5, sortBy: 'dateRecorded', sortDirection: 'Asc' }), {
      skip: 10,
      take: 5,
      'sortBy[0].name': 'dateRecorded',
      'sortBy[0].direction': 'Asc',
      'sortBy[0].priority': 0,
    });
  });

  it('maps the PagingOf envelope and derives the next page when the server omits it', () => {
    const page = mapPage({ records: [{ a: 1 }, { a: 2 }], skip: 0, take: 2, total: 5, hasNext: true, nextSkip: 2 }, (r) => r.a);
    assert.deepEqual(page, { records: [1, 2], total: 5, skip: 0, take: 2, hasNext: true, nextSkip: 2 });
    const derived = mapPage({ records: [{ a: 3 }], total: 3 }, (r) => r.a, { skip: 2, take: 1 });
    assert.equal(derived.hasNext, false);
  });
});

describe('Secret Server health model', () => {
  it('maps the healthcheck, including maintenance mode', () => {
    assert.deepEqual(mapHealth({ healthy: false, databaseHealthy: true, readOnlyMode: true, utcNow: '2025-01-01T00:00:00Z', reason: 'The master key cannot be unwrapped.' }), {
      healthy: false,
      databaseHealthy: true,
      serviceBusHealthy: undefined,
      storageAccountHealthy: undefined,
      readOnlyMode: true,
      keyManagementHealthy: undefined,
      scheduledForDeletion: undefined,
      reason: 'The master key cannot be unwrapped.',
      utcNow: '2025-01-01T00:00:00Z',
    });
  });
});

describe('Secret Server retry rules', () => {
  const input = (over: Partial<RetryInput>): RetryInput => ({ replay: 'idempotent', attempt: 0, maxRetries: 3, nowMs: 0, baseDelayMs: 1000, maxDelayMs: 15_000, random: 0.5, ...over });

  it('retries reads on throttling, outages, gateway errors and broken connections', () => {
    for (const status of [429, 503, 502, 504, 408]) assert.equal(retryDecision(input({ status })).retry, true, String(status));
    for (const errorCode of ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'PARSE_ERROR']) assert.equal(retryDecision(input({ errorCode })).retry, true, errorCode);
    for (const status of [400, 401, 403, 404, 500]) assert.equal(retryDecision(input({ status })).retry, false, String(status));
  });

  it('retries a change only when the server proves it did not act', () => {
    assert.equal(retryDecision(input({ replay: 'once', status: 429 })).retry, true);
    assert.equal(retryDecision(input({ replay: 'once', status: 503 })).retry, true);
    assert.equal(retryDecision(input({ replay: 'once', errorCode: 'ECONNREFUSED' })).retry, true);
    assert.equal(retryDecision(input({ replay: 'once', status: 502 })).retry, false);
    assert.equal(retryDecision(input({ replay: 'once', status: 504 })).retry, false);
    assert.equal(retryDecision(input({ replay: 'once', errorCode: 'ECONNRESET' })).retry, false);
    assert.equal(retryDecision(input({ replay: 'once', errorCode: 'PARSE_ERROR' })).retry, false);
  });

  it('honours Retry-After, backs off exponentially, and gives up after the limit or a very long wait', () => {
    assert.deepEqual(retryDecision(input({ status: 429, retryAfter: '2' })), { retry: true, delayMs: 2000 });
    assert.deepEqual(retryDecision(input({ status: 503, attempt: 2 })), { retry: true, delayMs: 4000 });
    assert.deepEqual(retryDecision(input({ status: 503, attempt: 3 })), { retry: false });
    assert.deepEqual(retryDecision(input({ status: 429, retryAfter: '3600' })), { retry: false });
    assert.equal(retryAfterMs({ retryAfter: new Date(10_000).toUTCString(), nowMs: 4_000 }), 6_000);
    assert.equal(retryAfterMs({ retryAfterMs: '250', nowMs: 0 }), 250);
  });
});
