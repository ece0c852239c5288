import { HttpError, json, jsonObject, type ErrorStyle } from '../http/exchange';
import { Router } from '../http/router';
import type { SandboxContext } from '../context';

export const controlErrorStyle: ErrorStyle = (_status, code, message) => ({ error: { code, message } });

/**
 * The test-control API under /_sandbox on its own origin: the clock, fault rules, and read-only
 * views of the state so tests can check results without going through the client under test.
 */
export function createControlRouter(ctx: SandboxContext): Router {
  const r = new Router();
  const clock = () => ({ now: ctx.clock.nowIso(), nowSeconds: ctx.clock.nowSeconds(), offsetMs: ctx.clock.offset });

  r.on('GET', '/_sandbox', () => json(200, { service: 'managed-hsm-for-secret-server sandbox', ...clock(), origins: ctx.origins }));
  r.on('GET', '/_sandbox/clock', () => json(200, clock()));
  r.on('POST', '/_sandbox/clock', (req) => {
    const body = jsonObject(req);
    const seconds = body.advanceSeconds ?? (typeof body.advanceDays === 'number' ? body.advanceDays * 86_400 : undefined);
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || seconds > 10 * 365 * 86_400) {
      throw new HttpError(400, 'BadParameter', 'Give advanceSeconds or advanceDays: a number from 0 to ten years. The clock only moves forward.');
    }
    ctx.clock.advance(Math.round(seconds * 1000));
    return json(200, clock());
  });

  r.on('GET', '/_sandbox/faults', () => json(200, { value: ctx.faults.list() }));
  r.on('POST', '/_sandbox/faults', (req) => {
    const rule = ctx.faults.add(jsonObject(req));
    if (typeof rule === 'string') throw new HttpError(400, 'BadParameter', rule);
    return json(201, rule);
  });
  r.on('DELETE', '/_sandbox/faults', () => {
    ctx.faults.clear();
    return { status: 204 };
  });
  r.on('DELETE', '/_sandbox/faults/:id', (req) => {
    if (!ctx.faults.remove(req.params.id)) throw new HttpError(404, 'NotFound', `No fault rule ${req.params.id}.`);
    return { status: 204 };
  });

  // Entra access tokens issued from now on live at most this long (real clock, see tokens.ts).
  const tokens = () => ({ accessTokenLifetimeSeconds: ctx.tokens.accessTokenLifetimeOverride ?? null, expiredRefusals: ctx.tokens.expiredRefusals });
  r.on('GET', '/_sandbox/tokens', () => json(200, tokens()));
  r.on('POST', '/_sandbox/tokens', (req) => {
    const seconds = jsonObject(req).accessTokenLifetimeSeconds;
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1 || seconds > 3599) {
      throw new HttpError(400, 'BadParameter', 'Give accessTokenLifetimeSeconds: a whole number of seconds from 1 to 3599.');
    }
    ctx.tokens.accessTokenLifetimeOverride = seconds;
    return json(200, tokens());
  });
  r.on('DELETE', '/_sandbox/tokens', () => {
    ctx.tokens.accessTokenLifetimeOverride = undefined;
    return { status: 204 };
  });

  r.on('GET', '/_sandbox/error-replies', () => json(200, { value: ctx.errorReplies.list() }));
  r.on('POST', '/_sandbox/error-replies', (req) => {
    const rule = ctx.errorReplies.add(jsonObject(req));
    if (typeof rule === 'string') throw new HttpError(400, 'BadParameter', rule);
    return json(201, rule);
  });
  r.on('DELETE', '/_sandbox/error-replies', () => {
    ctx.errorReplies.clear();
    return { status: 204 };
  });
  r.on('DELETE', '/_sandbox/error-replies/:id', (req) => {
    if (!ctx.errorReplies.remove(req.params.id)) throw new HttpError(404, 'NotFound', `No error reply ${req.params.id}.`);
    return { status: 204 };
  });

  r.on('GET', '/_sandbox/digest', () => json(200, { digest: ctx.store.digest() }));
  // A view of the world without secret hashes or key material, for assertions in tests.
  r.on('GET', '/_sandbox/world', () => json(200, publicWorld(ctx)));
  return r;
}

/** Key material, credential hashes, refresh tokens and TOTP seeds never leave the sandbox. */
const hiddenKeys = new Set(['material', 'secretHash', 'passwordHash', 'refreshTokens', 'otpSecret']);

function publicWorld(ctx: SandboxContext): unknown {
  return JSON.parse(JSON.stringify(ctx.store.world, (key, value) => (hiddenKeys.has(key) ? undefined : value)));
}
