import { HttpError, type SandboxRequest } from '../http/exchange';
import type { SandboxContext } from '../context';
import type { Hsm } from '../state/world';
import { readPrincipal, type Principal } from '../entra/bearer';
import { managedHsmResource } from '../audiences';

/** The HSM this listener serves; it may have been deleted while the listener was up. */
export function currentHsm(ctx: SandboxContext, hsmName: string): Hsm {
  const hsm = ctx.store.world.hsms.find((h) => h.name === hsmName);
  if (!hsm) throw new HttpError(404, 'NotFound', `The Managed HSM '${hsmName}' does not exist.`);
  return hsm;
}

/**
 * Authenticates a data-plane call before anything else is looked at (the SDK's first request of a
 * client comes without a token and without its body). Without a valid token the answer is the
 * real service's bare 401 challenge: empty body, tenant and resource in WWW-Authenticate.
 */
export function authenticateCaller(ctx: SandboxContext, req: SandboxRequest, hsm: Hsm): Principal {
  const result = readPrincipal(ctx, req, [managedHsmResource], hsm.tenantId);
  if (result.ok) return result.principal;
  const challenge = `Bearer authorization="${ctx.origins.authority}/${hsm.tenantId}", resource="${managedHsmResource}"`;
  const withError = result.reason === 'missing' ? challenge : `${challenge}, error="invalid_token"`;
  throw new HttpError(401, 'Unauthorized', '', { 'www-authenticate': withError }, '');
}

/**
 * An HSM whose security domain was never downloaded refuses key and RBAC operations. The real
 * service's wording is not documented; the sandbox's choice is recorded in sandbox/README.md.
 */
export function requireActivated(hsm: Hsm): void {
  if (hsm.activated) return;
  throw new HttpError(
    400,
    'HsmNotActivated',
    `The Managed HSM '${hsm.name}' is not activated. Download its security domain to activate it before using keys or role assignments.`,
  );
}
