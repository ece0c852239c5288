import * as assert from 'node:assert/strict';
import { azurePublicCloud, azureUsGovernment, sandboxCloud } from '../../src/azure/cloud';
import type { Finding } from '../../src/core/readiness/finding';
import type { FormInput, TypeOption } from '../../src/protocol/keyManagementForm';
import { currentConfiguration, typeKind, type LoadedConnection } from '../../src/webview/connectionStateLoader';
import { readinessFieldErrors, serverErrorField, validateFieldFormat } from '../../src/webview/formFieldValidation';
import { createNonce, renderKeyManagementHtml } from '../../src/webview/keyManagementHtml';
import { serverStateProblem } from '../../src/webview/keyManagementSave';
import { prefillFromArgument } from '../../src/webview/formPrefill';
import { describeRotation } from '../../src/webview/rotationView';

// The host's pure parts: what the user is told before anything is sent, which field an answer
// belongs to, and the page's HTML/CSP.

const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const client = '0c2a1e55-6a66-4d07-a0a5-9d7bfc2c8a11';
const version = 'c1a3cd3849514cc08cb716a73da476d8';
const hsmType: TypeOption = { id: 7, name: 'Azure Managed HSM', kind: 'azureManagedHsm' };
const noneType: TypeOption = { id: 0, name: 'None', kind: 'none' };

function form(overrides: Partial<FormInput> = {}): FormInput {
  return {
    connectionId: 'https://ss.example.test admin',
    typeId: 7,
    tenantId: tenant,
    principalId: client,
    keyUrl: `https://contoso.managedhsm.azure.net/keys/ss-key/${version}`,
    secret: { kind: 'typed', value: 'a-secret-value' },
    confirmed: true,
    ...overrides,
  };
}

describe('key management form: field format (level 1)', () => {
  it('accepts a complete Azure Managed HSM form, versioned or versionless', () => {
    assert.deepEqual(validateFieldFormat(form(), hsmType, azurePublicCloud), {});
    assert.deepEqual(validateFieldFormat(form({ keyUrl: 'https://contoso.managedhsm.azure.net/keys/ss-key' }), hsmType, azurePublicCloud), {});
  });

  it('puts each problem next to its own field', () => {
    const errors = validateFieldFormat(form({ tenantId: 'contoso.onmicrosoft.com', principalId: '1234', secret: { kind: 'typed', value: '  ' }, confirmed: false }), hsmType, azurePublicCloud);
    assert.deepEqual(Object.keys(errors).sort(), ['confirm', 'principalId', 'principalSecret', 'tenantId']);
    assert.match(errors.tenantId ?? '', /GUID/);
    assert.match(errors.confirm ?? '', /maintenance mode/i);
  });

  it('refuses a Key Vault vault URL with its own sentence (vaults are unsupported)', () => {
    const errors = validateFieldFormat(form({ keyUrl: `https://contoso.vault.azure.net/keys/ss-key/${version}` }), hsmType, azurePublicCloud);
    assert.match(errors.keyUrl ?? '', /Key Vault vault, not a Managed HSM/);
  });

  it('refuses http, another cloud, and a secret URL', () => {
    assert.match(validateFieldFormat(form({ keyUrl: 'http://contoso.managedhsm.azure.net/keys/k' }), hsmType, azurePublicCloud).keyUrl ?? '', /https/);
    assert.match(validateFieldFormat(form({ keyUrl: 'https://contoso.managedhsm.azure.net/keys/k' }), hsmType, azureUsGovernment).keyUrl ?? '', /signed in to a different cloud/);
    assert.match(validateFieldFormat(form({ keyUrl: 'https://contoso.managedhsm.azure.net/secrets/k' }), hsmType, azurePublicCloud).keyUrl ?? '', /secret, not a key/);
  });

  it('accepts only the sandbox HSM origins when signed in to the sandbox', () => {
    const cloud = sandboxCloud({ ca: '', tenantId: tenant, authorityHost: 'https://127.0.0.1:1', armEndpoint: 'https://127.0.0.1:2', graphEndpoint: 'https://127.0.0.1:3', hsms: [{ uri: 'https://127.0.0.1:8443/' }] }, '');
    assert.deepEqual(validateFieldFormat(form({ keyUrl: 'https://127.0.0.1:8443/keys/k' }), hsmType, cloud), {});
    assert.ok(validateFieldFormat(form({ keyUrl: 'https://127.0.0.1:9999/keys/k' }), hsmType, cloud).keyUrl);
  });

  it('needs only the confirmation for None, and refuses a type it cannot configure', () => {
    assert.deepEqual(validateFieldFormat(form({ tenantId: '', principalId: '', keyUrl: '', secret: undefined }), noneType, azurePublicCloud), {});
    assert.ok(validateFieldFormat(form({ confirmed: false }), noneType, azurePublicCloud).confirm);
    assert.match(validateFieldFormat(form(), { id: 2, name: 'AWS KMS', kind: 'other' }, azurePublicCloud).type ?? '', /cannot be configured/);
    assert.ok(validateFieldFormat(form(), undefined, azurePublicCloud).type);
  });
});

function finding(id: string, status: Finding['status'], reason: string): Finding {
  return { id, group: id.split('.')[0] as Finding['group'], title: id, status, reason };
}

const probePass = finding('access.probe', 'pass', 'wrapped and unwrapped');

describe('key management form: readiness findings to fields (level 2)', () => {
  it('passes when the probe passed and nothing blocking failed', () => {
    assert.deepEqual(readinessFieldErrors([probePass, finding('hsm.region', 'warn', 'far away'), finding('secretServer.usesKey', 'fail', 'not yet')]), {});
  });

  it('maps key, role and secret failures to their fields', () => {
    const errors = readinessFieldErrors([
      finding('key.type', 'fail', 'The key is RSA-HSM, not oct-HSM.'),
      finding('access.role', 'fail', 'No Managed HSM Crypto User role on the key.'),
      finding('access.probe', 'fail', 'The live test failed while signing in as the app: AADSTS7000215 Invalid client secret provided.'),
    ]);
    assert.match(errors.keyUrl ?? '', /oct-HSM/);
    assert.match(errors.principalId ?? '', /Crypto User/);
    assert.match(errors.principalSecret ?? '', /AADSTS7000215/);
  });

  it('blames the role for a refused wrap and the client id for an unknown app', () => {
    assert.ok(readinessFieldErrors([finding('access.probe', 'fail', 'The live test failed while wrapping a test value (A256KW): Forbidden by policy')]).principalId);
    assert.ok(readinessFieldErrors([finding('access.probe', 'fail', 'The live test failed while signing in as the app: AADSTS700016 Application with identifier x was not found')]).principalId);
  });

  it('blocks when the live wrap/unwrap did not run: unknown is not known to work', () => {
    assert.ok(readinessFieldErrors([finding('access.probe', 'unknown', 'Not checked: no secret')]).principalSecret);
    assert.ok(readinessFieldErrors([]).principalSecret);
  });
});

describe('key management form: server answers to fields (level 3)', () => {
  it('finds the field a refusal concerns', () => {
    assert.equal(serverErrorField('Secret Server could not sign in to Azure: the principal secret is invalid (AADSTS7000215).'), 'principalSecret');
    assert.equal(serverErrorField('The tenant 72f988bf… was not found.'), 'tenantId');
    assert.equal(serverErrorField('The principal id is not an application in the tenant.'), 'principalId');
    assert.equal(serverErrorField('The key URL does not point to an AES-256 oct-HSM key.'), 'keyUrl');
    assert.equal(serverErrorField('Unwrap was refused for the key.'), 'keyUrl');
    assert.equal(serverErrorField("Azure sign-in failed: app was not found in tenant 'x' (AADSTS700016). Check the Azure Managed HSM principal (client) ID."), 'principalId');
  });

  it("prefers the server's error code to its wording", () => {
    assert.equal(serverErrorField('Azure sign-in failed: the tenant was not found.', 'API_AzureTenantNotFound'), 'tenantId');
    assert.equal(serverErrorField('AccessDenied: application may not wrapKey with the key.', 'API_ManagedHsmAccessDenied'), 'principalId');
    assert.equal(serverErrorField('The key is disabled.', 'API_ManagedHsmKeyDisabled'), 'keyUrl');
    assert.equal(serverErrorField('the principal secret is not valid', 'API_AzureClientSecretInvalid'), 'principalSecret');
  });

  it('keeps whole-form refusals for the summary', () => {
    assert.equal(serverErrorField('Key management cannot be changed while maintenance mode is enabled.'), undefined);
    assert.equal(serverErrorField('You do not have the Edit Key Management permission.'), undefined);
  });
});

function loaded(partial: Partial<LoadedConnection['state']>): LoadedConnection {
  return { types: [], state: { connectionId: 'c', current: { kind: 'azureManagedHsm', typeId: 7 }, types: [], ...partial } };
}

describe('key management form: current server state', () => {
  it('says before saving that a broken current configuration blocks any change', () => {
    assert.match(serverStateProblem(loaded({ health: { healthy: false, keyManagementHealthy: false, reason: 'unwrap refused' } })) ?? '', /current configuration to work.*restore/);
    assert.equal(serverStateProblem(loaded({ current: { kind: 'none' }, health: { healthy: true, keyManagementHealthy: false } })), undefined);
  });

  it('refuses during maintenance mode and while a rotation runs', () => {
    assert.match(serverStateProblem(loaded({ health: { healthy: true, readOnlyMode: true } })) ?? '', /maintenance mode/);
    assert.match(serverStateProblem(loaded({ lastRotation: { state: 'running', done: false } })) ?? '', /still running/);
    assert.equal(serverStateProblem(loaded({ health: { healthy: true, keyManagementHealthy: true }, lastRotation: { state: 'succeeded', done: true } })), undefined);
  });

  it('reads the current configuration and type kinds by name', () => {
    assert.equal(typeKind('AzureManagedHsm'), 'azureManagedHsm');
    assert.equal(typeKind('None'), 'none');
    assert.equal(typeKind('AWS KMS'), 'other');
    const c = currentConfiguration({ typeId: 7, typeName: 'Azure Managed HSM', azureManagedHsm: { tenantId: tenant, principalId: client, keyUrl: 'https://x' }, awsKms: {}, availableTypes: [] });
    assert.deepEqual(c, { typeId: 7, typeName: 'Azure Managed HSM', kind: 'azureManagedHsm', tenantId: tenant, principalId: client, keyUrl: 'https://x' });
  });

  it('describes rotation progress as secrets processed of total', () => {
    assert.equal(describeRotation({ state: 'running', done: false, secretsProcessed: 40, totalSecrets: 160, percent: 25 }), 'Rotating secret keys — 40 of 160 secrets processed (25 %)');
    assert.match(describeRotation({ state: 'succeeded', done: true, maintenanceMode: true }), /completed — maintenance mode is still on/);
  });
});

describe('key management form: HTML and CSP', () => {
  const params = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', scriptUri: 'https://x/dist/webview/keyManagementForm.js', styleUri: 'https://x/dist/webview/keyManagementForm.css' };

  it('has a CSP meta tag with default-src none and the nonce for scripts', () => {
    const nonce = createNonce();
    const html = renderKeyManagementHtml({ ...params, nonce });
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.ok(csp, 'no CSP meta tag');
    assert.match(csp, /^default-src 'none';/);
    assert.ok(csp.includes(`script-src 'nonce-${nonce}'`));
    assert.ok(csp.includes(`style-src ${params.cspSource} 'nonce-${nonce}';`));
    // The toolkit tags the <style> it creates with the nonce from this meta tag.
    assert.ok(html.includes(`<meta property="csp-nonce" content="${nonce}">`));
    assert.ok(csp.includes(`font-src ${params.cspSource};`));
    assert.ok(csp.includes("connect-src 'none'"));
    assert.ok(!/unsafe-inline|unsafe-eval/.test(csp));
  });

  it('has no inline script or style: every script is external and carries the nonce', () => {
    const nonce = createNonce();
    const html = renderKeyManagementHtml({ ...params, nonce });
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    for (const [, attrs, body] of scripts) {
      assert.equal(body.trim(), '', 'inline script');
      assert.ok(attrs.includes(`nonce="${nonce}"`));
      assert.ok(attrs.includes(`src="${params.scriptUri}"`));
    }
    assert.ok(!/<style[\s>]/i.test(html), 'inline <style>');
    assert.ok(!/\sstyle=/i.test(html), 'inline style attribute');
    assert.ok(!/\son[a-z]+=/i.test(html), 'inline event handler');
    assert.ok(html.includes(`<link rel="stylesheet" href="${params.styleUri}">`));
  });

  it('uses a new nonce for every render', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => createNonce()));
    assert.equal(nonces.size, 50);
    for (const n of nonces) assert.match(n, /^[A-Za-z0-9_-]{20,}$/);
    const a = renderKeyManagementHtml({ ...params, nonce: createNonce() });
    const b = renderKeyManagementHtml({ ...params, nonce: createNonce() });
    assert.notEqual(a, b);
  });

  it('refuses a weak nonce and escapes substituted values', () => {
    assert.throws(() => renderKeyManagementHtml({ ...params, nonce: 'abc' }));
    const html = renderKeyManagementHtml({ ...params, scriptUri: 'https://x/a.js"><script>alert(1)</script>', nonce: createNonce() });
    assert.ok(!html.includes('<script>alert(1)'));
  });
});

describe('key management form: prefill from a command argument', () => {
  it('reads the known fields of a node in their usual spellings, and nothing else', () => {
    const keyId = '0f0e0d0c-0b0a-4909-8807-060504030201';
    assert.deepEqual(prefillFromArgument({ keyId: 'https://h/keys/k', tenantId: tenant, appId: client, secretKeyId: keyId, secretText: 'x', password: 'y' }), {
      connectionId: undefined,
      tenantId: tenant,
      principalId: client,
      keyUrl: 'https://h/keys/k',
      storedSecretKeyId: keyId,
    });
    assert.deepEqual(prefillFromArgument(undefined), {});
    assert.deepEqual(prefillFromArgument('https://h/keys/k'), {});
    assert.equal(prefillFromArgument({ secretKeyId: 'not a guid' }).storedSecretKeyId, undefined);
    assert.equal(prefillFromArgument({ keyUrl: 'x'.repeat(5000) }).keyUrl, undefined);
  });
});
