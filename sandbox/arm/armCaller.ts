import { HttpError, bearerToken, type SandboxRequest } from '../http/exchange';
import type { SandboxContext } from '../context';
import { readPrincipal, type Principal } from '../entra/bearer';
import { armResources } from '../audiences';

// Azure Resource Manager's front door: a bearer token for the management resource first, then the
// api-version. ARM does not challenge like Key Vault; its 401s carry an ARM error body and a
// WWW-Authenticate header naming the authority (the sandbox's own, where Azure says
// https://login.windows.net/).

/** ARM's own list of accepted audiences, quoted in InvalidAuthenticationTokenAudience. */
const allowedAudiences = ['https://management.core.windows.net/', 'https://management.core.windows.net', 'https://management.azure.com/', 'https://management.azure.com'];

export function authenticateArmCaller(ctx: SandboxContext, req: SandboxRequest): Principal {
  const header = req.headers.authorization;
  if (typeof header !== 'string' || header.trim() === '') {
    throw unauthorized(ctx, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.", "The authentication failed because of missing 'Authorization' header.");
  }
  const token = bearerToken(req);
  if (!token) {
    throw unauthorized(ctx, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is provided in an invalid format.");
  }
  const result = readPrincipal(ctx, req, armResources);
  if (result.ok) return result.principal;
  const claims = unverifiedClaims(token);
  switch (result.reason) {
    case 'expired': {
      const exp = typeof claims?.exp === 'number' ? claims.exp : 0;
      throw unauthorized(
        ctx,
        'ExpiredAuthenticationToken',
        `The access token expiry UTC time '${dotNetUtc(exp)}' is earlier than current UTC time '${dotNetUtc(ctx.clock.nowSeconds())}'.`,
        'The access token has expired.',
      );
    }
    case 'audience': {
      const aud = typeof claims?.aud === 'string' ? claims.aud : '';
      throw unauthorized(
        ctx,
        'InvalidAuthenticationTokenAudience',
        `The access token has been obtained for wrong audience or resource '${aud}'. It should exactly match with one of the allowed audiences ${allowedAudiences.map((a) => `'${a}'`).join(',')}.`,
      );
    }
    case 'not-yet-valid':
      throw unauthorized(ctx, 'InvalidAuthenticationToken', 'The access token is not yet valid.');
    default:
      throw unauthorized(ctx, 'InvalidAuthenticationToken', 'The access token is invalid.');
  }
}

/** ARM refuses every call without api-version, before looking at the resource. */
export function requireArmApiVersion(req: SandboxRequest): string {
  const version = req.query.get('api-version');
  if (!version) throw new HttpError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
  return version;
}

function unauthorized(ctx: SandboxContext, code: string, message: string, description = message): HttpError {
  const challenge = `Bearer authorization_uri="${ctx.origins.authority}/", error="invalid_token", error_description="${description.replace(/"/g, "'")}"`;
  return new HttpError(401, code, message, { 'www-authenticate': challenge });
}

/** The claims of a token that failed validation, read only to word the error as ARM does. */
function unverifiedClaims(token: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** .NET's invariant DateTime text, which ARM puts in its messages: 5/14/2023 3:04:05 PM. */
function dotNetUtc(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const hours = d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${hours}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
}
