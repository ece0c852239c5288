import * as l10n from '@vscode/l10n';
import { isCutResponse } from './cutResponseRetry';
import { ActionableError, type ErrorKind } from '../core/actionableError';
import { maskSecrets } from '../core/secretMask';

// Every failure of the @azure packages (and of VS Code's Microsoft sign-in) becomes one
// ActionableError here: a sentence saying what failed, why and what to do, with the service's own
// code and the masked technical detail kept for the output channel. Errors are recognised by shape
// (name, statusCode, code, body), not by class, so this file loads no SDK.

/** What an error says about itself, whatever package threw it. */
interface ErrorFacts {
  name: string;
  message: string;
  statusCode?: number;
  /** The service's code: RestError.code, the body's error.code, or the OAuth error (invalid_client). */
  code?: string;
  /** The body's innererror code (Key Vault's ObjectIsDeletedButRecoverable). */
  innerCode?: string;
  /** The service's message from the body, when there is one. */
  serviceMessage?: string;
  /** AADSTS code, e.g. AADSTS7000215. */
  aadsts?: string;
  /** Request, trace or correlation ids worth quoting to support. */
  ids: string[];
  body?: string;
  /** Socket-level code (ECONNREFUSED…), when the request never got an answer. */
  systemCode?: string;
  /** Path of the failed request, for errors whose service message the SDK dropped. */
  requestPath?: string;
}

const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED']);
const tlsCodes = /^(?:SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_(?:GET|VERIFY)_|CERT_|ERR_TLS_)/;

/**
 * Turns anything thrown while doing `what` ("list keys of contoso-mhsm-eus") into an
 * ActionableError. An ActionableError passes through unchanged.
 */
export function toActionableError(err: unknown, what: string, knownSecrets: Iterable<string> = []): ActionableError {
  if (err instanceof ActionableError) return err;
  const secrets = [...knownSecrets];
  const facts = readFacts(innermost(err));
  const detail = maskSecrets(describe(facts, what), secrets);
  const make = (kind: ErrorKind, why: string, todo: string) =>
    new ActionableError(maskSecrets(sentence(what, why, todo), secrets), kind, detail, facts.aadsts ?? facts.code ?? facts.innerCode, facts.statusCode);

  const classified = classify(facts);
  return make(classified.kind, classified.why, classified.todo);
}

interface Classification {
  kind: ErrorKind;
  why: string;
  todo: string;
}

function classify(f: ErrorFacts): Classification {
  const text = `${f.message}\n${f.serviceMessage ?? ''}`;

  if (f.name === 'AbortError' || f.code === 'ABORT_ERR' || f.name === 'Canceled' || /User did not consent/i.test(text)) {
    return { kind: 'cancelled', why: l10n.t('it was cancelled'), todo: l10n.t('run it again when you are ready') };
  }
  if (f.aadsts) return classifyEntra(f);
  if (/No authentication provider '[^']*' is currently registered|Timed out waiting for authentication provider/i.test(text)) {
    return {
      kind: 'authentication',
      why: l10n.t('VS Code\'s Microsoft sign-in for this cloud is not available'),
      todo: l10n.t('check the setting microsoft-sovereign-cloud.environment (and customEnvironment for a custom cloud) and that the built-in Microsoft Account extension is enabled'),
    };
  }
  if (f.name === 'CredentialUnavailableError' || f.name === 'AuthenticationRequiredError') {
    return {
      kind: 'authentication',
      why: /endpoints_resolution_error|network|ENOTFOUND|ECONNREFUSED/i.test(text)
        ? l10n.t('the sign-in endpoint could not be reached')
        : l10n.t('no usable sign-in was available'),
      todo: l10n.t('sign in again, and check the network and the cloud settings if it keeps failing'),
    };
  }
  if (f.systemCode && tlsCodes.test(f.systemCode)) {
    return { kind: 'unavailable', why: l10n.t('the server\'s TLS certificate was not trusted ({0})', f.systemCode), todo: l10n.t('check the cloud settings and any proxy that intercepts TLS') };
  }
  if (f.statusCode === undefined && f.systemCode && networkCodes.has(f.systemCode)) {
    return { kind: 'unavailable', why: l10n.t('the service could not be reached ({0})', f.systemCode), todo: l10n.t('check the network connection and proxy settings, then try again') };
  }

  if (isCutResponse({ message: text })) {
    // Reads are retried (cutResponseRetry.ts); a write may have been carried out by the service.
    return {
      kind: 'unavailable',
      why: l10n.t('the connection was cut before the answer arrived, so the service may or may not have made the change'),
      todo: l10n.t('refresh the view to see whether it was made before you run the command again'),
    };
  }
  const status = f.statusCode;
  const code = f.code ?? '';
  // The real service's wording for an HSM without a security domain is not documented: match it loosely.
  const answered = status !== undefined && status >= 400 && status < 500;
  if (code === 'HsmNotActivated' || (answered && /not (?:yet |been )?activated|security domain (?:has not|must)|download (?:its|the) security domain/i.test(text))) {
    return {
      kind: 'notActivated',
      why: l10n.t('the Managed HSM is not activated yet'),
      todo: l10n.t('activate it by downloading its security domain (az keyvault security-domain download), then try again'),
    };
  }
  switch (status) {
    case 401:
      return classify401(f);
    case 403:
      return classify403(f);
    case 404:
      return classify404(f);
    case 409:
      return classify409(f);
    case 429:
      return { kind: 'throttled', why: l10n.t('the service is throttling requests (429 Too Many Requests) even after retries'), todo: l10n.t('wait a minute and try again') };
    case 500:
    case 502:
    case 503:
    case 504:
      return { kind: 'unavailable', why: l10n.t('the service is unavailable ({0}{1}) even after retries', status, code ? ` ${code}` : ''), todo: l10n.t('try again in a few minutes and check Azure status if it persists') };
  }
  if (status === 400 || status === 422) {
    return { kind: 'invalidInput', why: l10n.t('the service rejected the request{0}: {1}', code ? ` (${code})` : '', firstLine(f.serviceMessage ?? f.message)), todo: l10n.t('correct the input and try again') };
  }
  if (f.systemCode === 'REQUEST_SEND_ERROR' || /REQUEST_SEND_ERROR/.test(code)) {
    return { kind: 'unavailable', why: l10n.t('the request could not be sent'), todo: l10n.t('check the network connection and proxy settings, then try again') };
  }
  return { kind: 'unexpected', why: firstLine(f.serviceMessage ?? f.message) || l10n.t('an unexpected error occurred'), todo: l10n.t('see the output channel for details') };
}

function classifyEntra(f: ErrorFacts): Classification {
  const id = f.aadsts ?? '';
  const app = /app '([0-9a-f-]{36})'|identifier '([0-9a-f-]{36})'/i.exec(`${f.message}\n${f.serviceMessage ?? ''}`);
  const appText = app ? l10n.t(' of app {0}', app[1] ?? app[2]) : '';
  switch (id) {
    case 'AADSTS7000215':
      return {
        kind: 'authentication',
        why: l10n.t('the client secret{0} is wrong (Entra {1})', appText, id),
        todo: l10n.t('enter the secret\'s value (not its secret ID) again, or create a new client secret'),
      };
    case 'AADSTS7000222':
      return {
        kind: 'authentication',
        why: l10n.t('the client secret{0} has expired (Entra {1})', appText, id),
        todo: l10n.t('create a new client secret for the app and give it to everything that uses the old one, including Secret Server'),
      };
    case 'AADSTS700016':
      return {
        kind: 'authentication',
        why: l10n.t('the application{0} was not found in the tenant (Entra {1})', appText, id),
        todo: l10n.t('check the client ID and the tenant ID, and that the app is registered in this tenant and cloud'),
      };
    case 'AADSTS90002':
      return { kind: 'authentication', why: l10n.t('the tenant was not found (Entra {0})', id), todo: l10n.t('check the tenant ID and that you are signing in to the right cloud') };
    case 'AADSTS65001':
      return {
        kind: 'consentRequired',
        why: l10n.t('consent has not been granted for the permissions it needs (Entra {0})', id),
        todo: l10n.t('sign in again and accept the consent prompt, or ask an administrator to grant admin consent'),
      };
    case 'AADSTS65002':
      return {
        kind: 'consentRequired',
        why: l10n.t('the VS Code sign-in app is not pre-authorized for this API (Entra {0}), which an administrator cannot change', id),
        todo: l10n.t('use an administrator-approved client app or run the equivalent az commands instead'),
      };
    case 'AADSTS90038':
    case 'AADSTS900381':
      return { kind: 'authentication', why: l10n.t('the tenant belongs to another Azure cloud (Entra {0})', id), todo: l10n.t('set microsoft-sovereign-cloud.environment to the cloud of that tenant') };
    case 'AADSTS50076':
    case 'AADSTS50079':
    case 'AADSTS53003':
    case 'AADSTS530003':
      return { kind: 'authentication', why: l10n.t('a Conditional Access or MFA policy blocked the sign-in (Entra {0})', id), todo: l10n.t('sign in again interactively and satisfy the policy, or ask your administrator') };
    case 'AADSTS500011':
      return { kind: 'authentication', why: l10n.t('the requested API is not known in this tenant (Entra {0})', id), todo: l10n.t('check the cloud settings: the token audience does not exist in this tenant') };
    default:
      return { kind: 'authentication', why: l10n.t('sign-in failed (Entra {0}): {1}', id, firstLine(stripAadsts(f.serviceMessage ?? f.message))), todo: l10n.t('sign in again and see the output channel for details') };
  }
}

function classify401(f: ErrorFacts): Classification {
  if (f.code === 'InvalidAuthenticationTokenTenant') {
    return { kind: 'authentication', why: l10n.t('the sign-in token is for another tenant'), todo: l10n.t('sign in to the tenant that owns the resource') };
  }
  return {
    kind: 'authentication',
    why: l10n.t('the service did not accept the sign-in token (401{0})', f.code ? ` ${f.code}` : ''),
    todo: l10n.t('sign in again; if it persists, check that the right cloud is configured'),
  };
}

function classify403(f: ErrorFacts): Classification {
  const text = f.serviceMessage ?? f.message;
  if (f.code === 'AccessDenied') {
    // Managed HSM local RBAC: "Not authorized to access <data action> on <scope> (Activity ID: …)".
    const m = /Not authorized to access (\S+) on (\S+?)(?:\s*\(Activity ID|\s*$|\s)/.exec(text);
    const action = m?.[1];
    // Paged listings of the Key Vault SDK drop the message: the request path still names the scope.
    const scope = m?.[2] ?? (f.requestPath !== undefined ? hsmScopeOf(f.requestPath) : undefined);
    return {
      kind: 'accessDenied',
      why: action
        ? l10n.t('the Managed HSM\'s local RBAC does not allow {0} on {1}', action, String(scope))
        : l10n.t('the Managed HSM\'s local RBAC denied access{0}', f.requestPath ? ` to ${f.requestPath}` : ''),
      todo: l10n.t('ask an HSM administrator to assign {0} at {1} or above', roleFor(action), scope ?? l10n.t('that scope')),
    };
  }
  if (f.code === 'AuthorizationFailed' || f.code === 'LinkedAuthorizationFailed') {
    const m = /perform action '([^']+)' over scope '([^']+)'/.exec(text);
    // Paged ARM listings of the newer SDKs drop the body and keep only the code: name the path instead.
    const fallback = f.requestPath ? l10n.t('Azure RBAC denied access to {0}', f.requestPath) : l10n.t('Azure RBAC denied the request');
    return {
      kind: 'forbidden',
      why: m ? l10n.t('Azure RBAC does not allow action {0} on {1}', m[1], m[2]) : fallback,
      todo: l10n.t('ask a subscription owner for a role that grants it (e.g. Reader), then sign in again'),
    };
  }
  if (f.code === 'Authorization_RequestDenied') {
    return {
      kind: 'consentRequired',
      why: l10n.t('Microsoft Graph refused: the signed-in account or app lacks the permission to manage app registrations (Authorization_RequestDenied)'),
      todo: l10n.t('ask an administrator to grant Application.ReadWrite.All consent or the Application Developer role, or create the app with the az commands instead'),
    };
  }
  if (/purge protection is enabled/i.test(text)) {
    // Not a missing permission: no role can purge early, so asking an administrator would not help.
    return {
      kind: 'conflict',
      why: l10n.t('the Managed HSM has purge protection, so a deleted key stays recoverable until its scheduled purge date'),
      todo: l10n.t('recover the key if it is still needed; otherwise the service purges it by itself when the retention period ends'),
    };
  }
  return { kind: 'forbidden', why: l10n.t('access was denied (403{0}): {1}', f.code ? ` ${f.code}` : '', firstLine(text)), todo: l10n.t('ask an administrator for the missing permission') };
}

function classify404(f: ErrorFacts): Classification {
  const text = firstLine(f.serviceMessage ?? f.message);
  switch (f.code) {
    case 'KeyNotFound':
      return { kind: 'notFound', why: l10n.t('the key does not exist'), todo: l10n.t('refresh the view; if it was deleted recently, look for it among the deleted keys') };
    case 'ResourceGroupNotFound':
      return { kind: 'notFound', why: l10n.t('the resource group does not exist'), todo: l10n.t('refresh the view and check the subscription') };
    case 'ResourceNotFound':
      return { kind: 'notFound', why: l10n.t('the Azure resource does not exist'), todo: l10n.t('refresh the view; it may have been deleted') };
    case 'SubscriptionNotFound':
      return { kind: 'notFound', why: l10n.t('the subscription was not found'), todo: l10n.t('check that you are signed in to the right tenant') };
    case 'Request_ResourceNotFound':
      return { kind: 'notFound', why: l10n.t('the directory object does not exist'), todo: l10n.t('refresh and check the ID; new apps can take a minute to appear') };
    case 'RoleAssignmentNotFound':
      return { kind: 'notFound', why: l10n.t('the role assignment does not exist'), todo: l10n.t('refresh the view') };
    default:
      return { kind: 'notFound', why: l10n.t('it was not found{0}: {1}', f.code ? ` (${f.code})` : '', text), todo: l10n.t('refresh the view and check the name') };
  }
}

function classify409(f: ErrorFacts): Classification {
  const text = `${f.serviceMessage ?? ''} ${f.message}`;
  if (f.innerCode === 'ObjectIsDeletedButRecoverable' || f.code === 'ObjectIsDeletedButRecoverable' || /deleted but recoverable/i.test(text)) {
    return {
      kind: 'conflict',
      why: l10n.t('a deleted key with that name is still kept for recovery, so the name cannot be reused'),
      todo: l10n.t('recover the deleted key, or purge it (needs Managed HSM Crypto Officer) and try again, or choose another name'),
    };
  }
  if (f.code === 'RoleAssignmentExists') {
    return { kind: 'conflict', why: l10n.t('an identical role assignment already exists'), todo: l10n.t('nothing more is needed; refresh the view') };
  }
  return { kind: 'conflict', why: l10n.t('it conflicts with the current state{0}: {1}', f.code ? ` (${f.code})` : '', firstLine(f.serviceMessage ?? f.message)), todo: l10n.t('refresh and try again') };
}

/** The built-in local RBAC role that grants a Managed HSM data action. */
function roleFor(action: string | undefined): string {
  const a = (action ?? '').toLowerCase();
  if (/\/keys\/(deletedkeys|export)/.test(a)) return l10n.t('the Managed HSM Crypto Officer role');
  if (/\/role(assignments|definitions)\/(write|delete)/.test(a)) return l10n.t('the Managed HSM Crypto Officer or Administrator role');
  if (/\/(securitydomain|backup|restore)\//.test(a)) return l10n.t('the Managed HSM Administrator role');
  return l10n.t('the Managed HSM Crypto User role');
}

/** The local RBAC scope a data-plane path falls under: /keys/{name}, /keys or /. */
function hsmScopeOf(path: string): string {
  const m = /^\/keys(?:\/([^/]+))?/i.exec(path);
  if (!m) return '/';
  return m[1] ? `/keys/${m[1]}` : '/keys';
}

function sentence(what: string, why: string, todo: string): string {
  return l10n.t('Could not {0}: {1}; {2}.', what, why, todo);
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/).map((l) => l.trim()).find(Boolean) ?? '';
  const trimmed = line.replace(/[.\s]+$/, '');
  return trimmed.length > 200 ? `${trimmed.slice(0, 197)}…` : trimmed;
}

function stripAadsts(text: string): string {
  return text.replace(/^.*?AADSTS\d+:\s*/s, '');
}

/** The most specific error: the first inner error of an aggregate, or the cause of a wrapper. */
function innermost(err: unknown): unknown {
  let current = err;
  for (let depth = 0; depth < 5; depth++) {
    if (!isObject(current)) return current;
    const errors = current.errors;
    if (Array.isArray(errors) && errors.length > 0) {
      const withStatus = errors.find((e) => isObject(e) && (typeof e.statusCode === 'number' || /AADSTS\d+/.test(safeString(e.message))));
      current = withStatus ?? errors[0];
      continue;
    }
    const cause = current.cause;
    const ownAadsts = /AADSTS\d+/.test(safeString(current.message));
    if (isObject(cause) && typeof current.statusCode !== 'number' && !ownAadsts && current.name !== 'RestError') {
      current = cause;
      continue;
    }
    return current;
  }
  return current;
}

function readFacts(err: unknown): ErrorFacts {
  if (!isObject(err)) return { name: 'Error', message: safeString(err), ids: [] };
  const name = typeof err.name === 'string' ? err.name : 'Error';
  const message = typeof err.message === 'string' ? err.message : safeString(err);
  const facts: ErrorFacts = { name, message, ids: [] };
  if (typeof err.statusCode === 'number') facts.statusCode = err.statusCode;

  const rawCode = typeof err.code === 'string' ? err.code : undefined;
  if (rawCode && (networkCodes.has(rawCode) || tlsCodes.test(rawCode) || rawCode === 'REQUEST_SEND_ERROR')) {
    facts.systemCode = rawCode;
    const cause = isObject(err.cause) && typeof err.cause.code === 'string' ? err.cause.code : undefined;
    if (cause) facts.systemCode = cause;
    const inMessage = /\b(E[A-Z]{4,}|[A-Z_]*CERT[A-Z_]*)\b/.exec(message)?.[1];
    if (rawCode === 'REQUEST_SEND_ERROR' && !cause && inMessage) facts.systemCode = inMessage;
  } else if (rawCode) {
    facts.code = rawCode;
  }

  // RestError: the response body carries the service's own code and message.
  const response = isObject(err.response) ? err.response : undefined;
  const bodyText = typeof response?.bodyAsText === 'string' ? response.bodyAsText : undefined;
  if (bodyText) {
    facts.body = bodyText;
    const parsed = parseJson(bodyText);
    readServiceBody(parsed, facts);
  } else if (response && isObject(response.parsedBody)) {
    readServiceBody(response.parsedBody, facts);
  }
  const request = isObject(err.request) ? err.request : isObject(response?.request) ? response.request : undefined;
  if (typeof request?.url === 'string') {
    try {
      facts.requestPath = new URL(request.url).pathname;
    } catch {
      /* not a URL: leave it out */
    }
  }
  const headers = response && isObject(response.headers) ? response.headers : undefined;
  const header = (n: string) => (headers && typeof headers.get === 'function' ? (headers.get as (k: string) => string | undefined)(n) : undefined);
  for (const h of ['x-ms-request-id', 'request-id', 'x-ms-correlation-request-id']) {
    const v = header(h);
    if (v) facts.ids.push(`${h}: ${v}`);
  }

  // AuthenticationError from @azure/identity.
  const er = isObject(err.errorResponse) ? err.errorResponse : undefined;
  if (er) {
    if (typeof er.error === 'string' && !facts.code) facts.code = er.error;
    if (typeof er.errorDescription === 'string') facts.serviceMessage = er.errorDescription;
    if (Array.isArray(er.errorCodes) && typeof er.errorCodes[0] === 'number') facts.aadsts = `AADSTS${er.errorCodes[0]}`;
    if (typeof er.traceId === 'string') facts.ids.push(l10n.t('trace id: {0}', er.traceId));
    if (typeof er.correlationId === 'string') facts.ids.push(l10n.t('correlation id: {0}', er.correlationId));
  }
  facts.aadsts ??= /AADSTS\d+/.exec(`${facts.serviceMessage ?? ''}\n${message}`)?.[0];
  if (facts.aadsts && !/^AADSTS/.test(facts.code ?? '')) {
    // Entra's trace and correlation ids are in the description text when not in fields.
    for (const m of `${facts.serviceMessage ?? ''}\n${message}`.matchAll(/(Trace ID|Correlation ID): ([0-9a-f-]{36})/g)) {
      const id = `${m[1].toLowerCase()}: ${m[2]}`;
      if (!facts.ids.includes(id)) facts.ids.push(id);
    }
  }
  return facts;
}

/** ARM, Key Vault, Graph: `{error:{code,message,innererror}}`; Entra: `{error, error_description, error_codes}`. */
function readServiceBody(body: unknown, facts: ErrorFacts): void {
  if (!isObject(body)) return;
  const error = body.error;
  if (isObject(error)) {
    if (typeof error.code === 'string') facts.code = error.code;
    if (typeof error.message === 'string') facts.serviceMessage = error.message;
    const inner = isObject(error.innererror) ? error.innererror : isObject(error.innerError) ? error.innerError : undefined;
    if (inner && typeof inner.code === 'string') facts.innerCode = inner.code;
    if (inner && typeof inner['request-id'] === 'string') facts.ids.push(`request-id: ${inner['request-id']}`);
  } else if (typeof error === 'string') {
    facts.code ??= error;
    if (typeof body.error_description === 'string') facts.serviceMessage = body.error_description;
    if (Array.isArray(body.error_codes) && typeof body.error_codes[0] === 'number') facts.aadsts = `AADSTS${body.error_codes[0]}`;
  }
}

function describe(f: ErrorFacts, what: string): string {
  const lines = [l10n.t('Failed to {0}.', what), `${f.name}${f.statusCode !== undefined ? ` ${f.statusCode}` : ''}${f.code ? ` ${f.code}` : ''}${f.innerCode ? ` (${f.innerCode})` : ''}: ${f.message}`];
  if (f.serviceMessage && !f.message.includes(f.serviceMessage)) lines.push(l10n.t('Service message: {0}', f.serviceMessage));
  if (f.systemCode) lines.push(`Network: ${f.systemCode}`);
  if (f.requestPath) lines.push(l10n.t('Request path: {0}', f.requestPath));
  if (f.ids.length) lines.push(...f.ids);
  return lines.join('\n');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** String(v), except for values String() throws on (a null-prototype object, a throwing toString). */
function safeString(v: unknown): string {
  try {
    return String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

function isObject(v: unknown): v is Record<string, unknown> & { get?: unknown } {
  return typeof v === 'object' && v !== null;
}
