import * as assert from 'node:assert/strict';
import { ActionableError } from '../../src/core/actionableError';
import { azurePublicCloud, azureUsGovernment } from '../../src/azure/cloud';
import type { AuthenticationApi, AuthenticationSessionLike, GetSessionOptions, WwwAuthenticateRequest } from '../../src/auth/authenticationApi';
import { VscodeSessionCredential, sessionScopes } from '../../src/auth/vscodeSessionCredential';

// The seam: a fake `vscode.authentication` that records every getSession call and answers from a
// script, as VS Code would (undefined for "no session", a session, or a thrown error).

interface Call {
  providerId: string;
  scopes?: readonly string[];
  request?: WwwAuthenticateRequest;
  options: GetSessionOptions;
}

type Answer = AuthenticationSessionLike | undefined | Error;

function jwt(claims: Record<string, unknown>): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}.c2lnbmF0dXJl`;
}

function session(exp: number, scopes: readonly string[] = []): AuthenticationSessionLike {
  return { id: 's1', accessToken: jwt({ exp, aud: 'x' }), account: { id: 'a1', label: 'admin@contoso.com' }, scopes };
}

function fakeAuth(script: { silent?: Answer; interactive?: Answer }, withChallenges = false): AuthenticationApi & { calls: Call[] } {
  const calls: Call[] = [];
  const answer = async (options: GetSessionOptions) => {
    const a = options.silent ? script.silent : script.interactive;
    if (a instanceof Error) throw a;
    return a;
  };
  const api: AuthenticationApi & { calls: Call[] } = {
    calls,
    getSession: async (providerId, scopes, options) => {
      calls.push({ providerId, scopes, options });
      return answer(options);
    },
  };
  if (withChallenges) {
    api.getSessionForChallenge = async (providerId, request, options) => {
      calls.push({ providerId, request, options });
      return answer(options);
    };
  }
  return api;
}

const exp = 2_000_000_000;
const hsmScope = 'https://managedhsm.azure.net/.default';

describe('VscodeSessionCredential', () => {
  it('asks VS Code for exactly the requested scopes and returns the token with the expiry from its JWT', async () => {
    const auth = fakeAuth({ silent: session(exp) });
    const credential = new VscodeSessionCredential(auth, azurePublicCloud, { allowInteraction: false });
    const token = await credential.getToken(hsmScope);
    assert.ok(token);
    assert.equal(token.expiresOnTimestamp, exp * 1000);
    assert.equal(token.tokenType, 'Bearer');
    assert.deepEqual(auth.calls, [{ providerId: 'microsoft', scopes: [hsmScope], options: { silent: true } }]);
  });

  it('uses the sovereign-cloud provider of the cloud', async () => {
    const auth = fakeAuth({ silent: session(exp) });
    await new VscodeSessionCredential(auth, azureUsGovernment, { allowInteraction: false }).getToken(azureUsGovernment.armScope);
    assert.equal(auth.calls[0].providerId, 'microsoft-sovereign-cloud');
    assert.deepEqual(auth.calls[0].scopes, ['https://management.core.usgovcloudapi.net/.default']);
  });

  it('adds the requested tenant as the VSCODE_TENANT pseudo-scope, preferring the SDK’s tenant over the default', async () => {
    const auth = fakeAuth({ silent: session(exp) });
    const credential = new VscodeSessionCredential(auth, azurePublicCloud, { allowInteraction: false, tenantId: 'default-tenant' });
    await credential.getToken([hsmScope], { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' });
    await credential.getToken([azurePublicCloud.graphScope]);
    assert.deepEqual(auth.calls[0].scopes, [hsmScope, 'VSCODE_TENANT:72f988bf-86f1-41af-91ab-2d7cd011db47']);
    assert.deepEqual(auth.calls[1].scopes, ['https://graph.microsoft.com/.default', 'VSCODE_TENANT:default-tenant']);
  });

  it('tries silently first, then asks the user when interaction is allowed', async () => {
    const auth = fakeAuth({ silent: undefined, interactive: session(exp) });
    const token = await new VscodeSessionCredential(auth, azurePublicCloud, { allowInteraction: true }).getToken(hsmScope);
    assert.equal(token?.expiresOnTimestamp, exp * 1000);
    assert.deepEqual(
      auth.calls.map((c) => c.options),
      [{ silent: true }, { createIfNone: true }],
    );
  });

  it('never prompts when interaction is not allowed, and says how to sign in', async () => {
    const auth = fakeAuth({ silent: undefined, interactive: session(exp) });
    const credential = new VscodeSessionCredential(auth, azurePublicCloud, { allowInteraction: false });
    await assert.rejects(credential.getToken(hsmScope), (err: unknown) => {
      assert.ok(err instanceof ActionableError);
      assert.equal(err.kind, 'authentication');
      assert.match(err.message, /not signed in to Azure/);
      assert.match(err.message, /sign in/i);
      return true;
    });
  });

  it('names the tenant when a silent token for one tenant is missing, and the sign-in to that tenant as the fix', async () => {
    const auth = fakeAuth({ silent: undefined, interactive: session(exp) });
    const tenantId = '00000000-0000-0000-0000-00000000f00d';
    const credential = new VscodeSessionCredential(auth, azurePublicCloud, { allowInteraction: false, tenantId });
    await assert.rejects(credential.getToken(hsmScope), (err: unknown) => {
      assert.ok(err instanceof ActionableError);
      assert.equal(err.kind, 'authentication');
      assert.match(err.message, new RegExp(`^Multi-factor authentication, Conditional Access or a new sign-in is needed for tenant ${tenantId}: .*; sign in to that tenant again\\.$`));
      return true;
    });
    assert.deepEqual(auth.calls.map((c) => c.options), [{ silent: true }]);
    assert.equal(auth.calls.length, 1);
    assert.equal(auth.calls[0].options.silent, true);
  });

  it('withInteraction() upgrades a tree credential for a command without losing its tenant', async () => {
    const auth = fakeAuth({ silent: undefined, interactive: session(exp) });
    const quiet = new VscodeSessionCredential(auth, azurePublicCloud, { allowInteraction: false, tenantId: 't1' });
    await quiet.withInteraction(true).getToken(hsmScope);
    assert.deepEqual(auth.calls[1], { providerId: 'microsoft', scopes: [hsmScope, 'VSCODE_TENANT:t1'], options: { createIfNone: true } });
  });

  it('passes a claims challenge as a WWW-Authenticate request where VS Code supports it', async () => {
    const auth = fakeAuth({ silent: undefined, interactive: session(exp) }, true);
    const claims = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';
    await new VscodeSessionCredential(auth, azurePublicCloud, { allowInteraction: true }).getToken(hsmScope, { claims, tenantId: 't1' });
    assert.equal(auth.calls.length, 2);
    for (const call of auth.calls) {
      assert.equal(call.scopes, undefined);
      assert.deepEqual(call.request?.fallbackScopes, [hsmScope, 'VSCODE_TENANT:t1']);
      const m = /^Bearer realm="", error="insufficient_claims", claims="([^"]+)"$/.exec(call.request?.wwwAuthenticate ?? '');
      assert.ok(m, call.request?.wwwAuthenticate);
      assert.equal(Buffer.from(m[1], 'base64').toString('utf8'), claims);
    }
    assert.deepEqual(auth.calls.map((c) => c.options), [{ silent: true }, { createIfNone: true }]);
  });

  it('falls back to a forced new session for claims on VS Code versions without challenge support', async () => {
    const auth = fakeAuth({ silent: session(exp - 1), interactive: session(exp) });
    const token = await new VscodeSessionCredential(auth, azurePublicCloud, { allowInteraction: true }).getToken(hsmScope, { claims: '{"x":1}' });
    // The cached session is the one the service refused, so it is not asked for silently.
    assert.deepEqual(auth.calls, [{ providerId: 'microsoft', scopes: [hsmScope], options: { forceNewSession: true } }]);
    assert.equal(token?.expiresOnTimestamp, exp * 1000);
  });

  it('refuses a claims challenge it cannot satisfy without a prompt', async () => {
    const auth = fakeAuth({ silent: undefined }, true);
    await assert.rejects(
      new VscodeSessionCredential(auth, azurePublicCloud, { allowInteraction: false }).getToken(hsmScope, { claims: '{"x":1}' }),
      (err: unknown) => err instanceof ActionableError && err.kind === 'authentication' && /sign in again/.test(err.message),
    );
  });

  it('falls back to now + 1 hour when the access token is not a JWT', async () => {
    const auth = fakeAuth({ silent: { id: 's', accessToken: 'opaque-token', account: { id: 'a', label: 'a' }, scopes: [] } });
    const before = Date.now();
    const token = await new VscodeSessionCredential(auth, azurePublicCloud, { allowInteraction: false }).getToken(hsmScope);
    assert.ok(token);
    assert.ok(token.expiresOnTimestamp >= before + 3_600_000 && token.expiresOnTimestamp <= Date.now() + 3_600_000);
  });

  it('turns VS Code sign-in failures into actionable errors', async () => {
    const declined = fakeAuth({ silent: undefined, interactive: new Error('User did not consent to login.') });
    await assert.rejects(
      new VscodeSessionCredential(declined, azurePublicCloud, { allowInteraction: true }).getToken(hsmScope),
      (err: unknown) => err instanceof ActionableError && err.kind === 'cancelled',
    );
    const preauth = fakeAuth({
      silent: undefined,
      interactive: new Error("AADSTS65002: Consent between first party application 'aebc6443-996d-45c2-90f0-388ff96faa56' and first party resource '589d5083-6f11-4d30-a62a-a4b316a14abf' must be configured via preauthorization."),
    });
    await assert.rejects(
      new VscodeSessionCredential(preauth, azurePublicCloud, { allowInteraction: true }).getToken(hsmScope),
      (err: unknown) => err instanceof ActionableError && err.kind === 'consentRequired' && err.code === 'AADSTS65002' && /az commands/.test(err.message),
    );
    const noProvider = fakeAuth({ silent: new Error("No authentication provider 'microsoft-sovereign-cloud' is currently registered.") });
    await assert.rejects(
      new VscodeSessionCredential(noProvider, azureUsGovernment, { allowInteraction: false }).getToken(azureUsGovernment.armScope),
      (err: unknown) => err instanceof ActionableError && err.kind === 'authentication' && /microsoft-sovereign-cloud\.environment/.test(err.message),
    );
  });

  it('refuses one token for two resources, which Entra would reject', () => {
    assert.throws(() => sessionScopes([hsmScope, 'https://graph.microsoft.com/.default'], undefined), ActionableError);
    assert.deepEqual(sessionScopes(['https://graph.microsoft.com/User.Read', 'offline_access', 'https://graph.microsoft.com/Application.ReadWrite.All'], undefined), [
      'https://graph.microsoft.com/User.Read',
      'offline_access',
      'https://graph.microsoft.com/Application.ReadWrite.All',
    ]);
  });

  it('does not call VS Code when the caller already cancelled', async () => {
    const auth = fakeAuth({ silent: session(exp) });
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      new VscodeSessionCredential(auth, azurePublicCloud, { allowInteraction: true }).getToken(hsmScope, { abortSignal: controller.signal }),
      (err: unknown) => err instanceof ActionableError && err.kind === 'cancelled',
    );
    assert.equal(auth.calls.length, 0);
  });
});
