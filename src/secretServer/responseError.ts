import * as l10n from '@vscode/l10n';
import { ActionableError, type ErrorKind } from '../core/actionableError';
import { maskSecrets } from '../core/secretMask';
import { asObject, firstString, stringField } from './jsonFields';

// Secret Server's error bodies (secret-server-api.md §4): 400 BadRequestResponse {message,
// messageDetail, errorCode, modelState}, 401/403 AuthenticationFailedResponse {message}, 500
// InternalServerErrorResponse {message, exceptionMessage, exceptionType, stackTrace}; the token
// endpoint answers {message} or {error}; some failures come back as an HTML page. Every one of
// them becomes a single sentence for the user, with the masked body kept as detail.

export interface ErrorBody {
  message?: string;
  messageDetail?: string;
  errorCode?: string;
  /** Validation errors keyed by argument path, e.g. "args.azureManagedHsmKeyUrl". */
  modelState?: Record<string, string[]>;
  exceptionMessage?: string;
  exceptionType?: string;
  isHtml: boolean;
}

export interface FailedResponse {
  method: string;
  url: string;
  status: number;
  contentType?: string;
  text: string;
}

export interface ErrorContext {
  /** What the user was doing, as a gerund phrase: "Saving the key management configuration". */
  operation: string;
  username?: string;
  /** Values that must never appear in a message or detail (passwords, principal secrets). */
  knownSecrets?: readonly string[];
  /** Set for failures of POST /oauth2/token. */
  signIn?: boolean;
}

export function looksLikeHtml(text: string, contentType?: string): boolean {
  return /text\/html/i.test(contentType ?? '') || /^\s*(<!doctype html|<html)/i.test(text);
}

export function parseErrorBody(text: string, contentType?: string): ErrorBody {
  if (looksLikeHtml(text, contentType)) return { isHtml: true };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const plain = text.trim();
    return { isHtml: false, message: plain === '' ? undefined : plain.slice(0, 500) };
  }
  if (typeof parsed === 'string') return { isHtml: false, message: parsed };
  const obj = asObject(parsed);
  const modelState = readModelState(obj?.modelState);
  return {
    isHtml: false,
    message: firstString(obj, ['message', 'error_description', 'error', 'Message']),
    messageDetail: stringField(obj, 'messageDetail'),
    errorCode: firstString(obj, ['errorCode', 'code', 'error']),
    modelState,
    exceptionMessage: stringField(obj, 'exceptionMessage'),
    exceptionType: stringField(obj, 'exceptionType'),
  };
}

function readModelState(value: unknown): Record<string, string[]> | undefined {
  const obj = asObject(value);
  if (!obj) return undefined;
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(obj)) {
    const list = Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
    if (list.length > 0) out[k] = list;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Secret Server signals a missing or expired token with 401, or with 403 and the
 * AuthenticationFailedResponse (spec); a 403 about permissions must not trigger a new sign-in.
 */
export function isExpiredTokenResponse(status: number, text: string, contentType?: string): boolean {
  if (status === 401) return true;
  if (status !== 403) return false;
  const body = parseErrorBody(text, contentType);
  const message = `${body.message ?? ''} ${body.errorCode ?? ''}`;
  if (/permission|access\s*(is\s*)?denied|accessdenied|not\s+(authori[sz]ed|allowed)|forbidden|role/i.test(message)) return false;
  return /authenticat|token|expired|session|log\s*-?\s*in|sign\s*-?\s*in/i.test(message);
}

/** Turns a non-success answer into the user's error. */
export function secretServerError(res: FailedResponse, ctx: ErrorContext): ActionableError {
  const secrets = ctx.knownSecrets ?? [];
  const mask = (s: string) => maskSecrets(s, secrets);
  const body = parseErrorBody(res.text, res.contentType);
  const quote = (s: string | undefined) => (s ? `"${mask(tidy(s))}"` : undefined);
  const detail = mask(`${res.method} ${res.url} → HTTP ${res.status}\n${res.text.slice(0, 4000)}`);
  const host = hostOf(res.url);
  const make = (kind: ErrorKind, why: string, todo: string) =>
    new ActionableError(l10n.t('{0} failed because {1}; {2}.', ctx.operation, why, todo), kind, detail, body.errorCode ? mask(body.errorCode) : undefined, res.status);

  if (body.isHtml) {
    return make(
      'unexpected',
      l10n.t('{0} answered with a web page instead of the Secret Server REST API (HTTP {1})', host, res.status),
      l10n.t('check that the Secret Server URL is the address you sign in at, such as https://yourtenant.secretservercloud.com or https://server/SecretServer'),
    );
  }
  const said = quote(body.message);
  const fields = fieldSummary(body.modelState, mask);

  if (ctx.signIn && (res.status === 400 || res.status === 401 || res.status === 403)) {
    return make(
      'authentication',
      l10n.t('Secret Server did not accept the sign-in for {0}{1}', ctx.username ?? l10n.t('this user'), said ? ` (${said})` : ''),
      l10n.t('check the user name, the password and, if the account uses two-factor authentication, the one-time code, then sign in again'),
    );
  }
  if (res.status === 400) {
    const reason = l10n.t('Secret Server refused the request{0}{1}', said ? `: ${said}` : '', fields ? ` (${fields})` : '');
    const text = `${body.message ?? ''} ${body.errorCode ?? ''}`;
    // secret-server-api.md §10 rule 3: the configuration in force must still work to change anything.
    if (/(current|existing)\b.{0,40}\b(configuration|settings|key)/i.test(text) && /no longer|cannot|can't|unable|not valid|invalid|unavailable/i.test(text)) {
      return make(
        'conflict',
        reason,
        l10n.t('restore Secret Server’s access to the key it uses now (its client secret, its role assignment, the key being enabled), then try again'),
      );
    }
    if (/rotation|read-?\s?only|maintenance|in progress|already running|not finished/i.test(text)) {
      return make('conflict', reason, l10n.t('wait until the running secret key rotation or maintenance mode has ended, then try again'));
    }
    return make('invalidInput', reason, l10n.t('correct the values and try again'));
  }
  if (res.status === 401 || (res.status === 403 && isExpiredTokenResponse(res.status, res.text, res.contentType))) {
    return make('authentication', l10n.t('Secret Server no longer accepts the session{0}', said ? ` (${said})` : ''), l10n.t('sign in to Secret Server again'));
  }
  if (res.status === 403) {
    return make(
      'forbidden',
      l10n.t('{0} does not have the permission for it{1}', ctx.username ? l10n.t('the Secret Server user {0}', ctx.username) : l10n.t('the signed-in Secret Server user'), said ? ` (${said})` : ''),
      l10n.t('ask a Secret Server administrator to grant that role permission, or connect as a user who has it'),
    );
  }
  if (res.status === 404 || res.status === 405) {
    return make(
      'notFound',
      l10n.t('{0} has no such Secret Server endpoint (HTTP {1})', host, res.status),
      l10n.t('check the Secret Server URL (on-premises installations usually end in /SecretServer) and that this Secret Server version supports key management'),
    );
  }
  if (res.status === 429) {
    return make('throttled', l10n.t('Secret Server kept refusing requests as too many (HTTP 429) after several retries'), l10n.t('wait a minute and try again'));
  }
  if (res.status === 500) {
    const why = quote(body.exceptionMessage ?? body.message);
    return make('unexpected', l10n.t('Secret Server reported an internal error{0}', why ? ` (${why})` : ''), l10n.t('check Secret Server\'s health and system log, then try again'));
  }
  if (res.status >= 500) {
    return make('unavailable', l10n.t('Secret Server is unavailable (HTTP {0})', res.status), l10n.t('try again in a few minutes, or check the Secret Server status page'));
  }
  if (res.status >= 300 && res.status < 400) {
    return make('unexpected', l10n.t('{0} redirected the request (HTTP {1})', host, res.status), l10n.t('enter the final Secret Server address as the URL'));
  }
  return make('unexpected', l10n.t('Secret Server answered HTTP {0}{1}', res.status, said ? ` (${said})` : ''), l10n.t('try again, and check the output for details'));
}

function tidy(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim().replace(/[.\s]+$/, '');
  return one.length > 300 ? `${one.slice(0, 297)}...` : one;
}

function fieldSummary(modelState: Record<string, string[]> | undefined, mask: (s: string) => string): string | undefined {
  if (!modelState) return undefined;
  const parts = Object.entries(modelState)
    .slice(0, 3)
    .map(([k, v]) => `${k.replace(/^args\./, '')}: ${tidy(v.join(' '))}`);
  return mask(parts.join('; '));
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return l10n.t('the server');
  }
}
