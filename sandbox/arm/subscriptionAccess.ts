import { HttpError } from '../http/exchange';
import type { SandboxContext } from '../context';
import type { Principal } from '../entra/bearer';
import type { Subscription } from '../state/world';

// Who may see what through ARM. The sandbox has one role, Owner, kept as subscription.owners; a
// principal that is not an owner sees nothing in the subscription (403 AuthorizationFailed on the
// resources under it, and the subscription itself is not found, as Azure answers callers with no
// role on it).

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isOwner(principal: Principal, subscription: Subscription): boolean {
  return subscription.tenantId === principal.tenantId && subscription.owners.includes(principal.objectId);
}

/**
 * The subscription named in the path, as the caller may address it: 400 for a malformed id, 404
 * when it does not exist, 401 when the token comes from another tenant.
 */
export function addressedSubscription(ctx: SandboxContext, principal: Principal, rawId: string): Subscription {
  if (!guidPattern.test(rawId)) {
    throw new HttpError(400, 'InvalidSubscriptionId', `The provided subscription identifier '${rawId}' is malformed or invalid.`);
  }
  const subscription = ctx.store.world.subscriptions.find((s) => s.subscriptionId.toLowerCase() === rawId.toLowerCase());
  if (!subscription) throw subscriptionNotFound(rawId);
  if (subscription.tenantId !== principal.tenantId) {
    const tid = subscription.tenantId;
    throw new HttpError(
      401,
      'InvalidAuthenticationTokenTenant',
      `The access token is from the wrong issuer 'https://sts.windows.net/${principal.tenantId}/'. It must match the tenant 'https://sts.windows.net/${tid}/' associated with this subscription. Please use the authority (URL) '${ctx.origins.authority}/${tid}' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.`,
      { 'www-authenticate': `Bearer authorization_uri="${ctx.origins.authority}/${tid}", error="invalid_token", error_description="The access token is from the wrong issuer."` },
    );
  }
  return subscription;
}

/** A subscription the caller may read, else SubscriptionNotFound (Azure does not reveal it). */
export function readableSubscription(ctx: SandboxContext, principal: Principal, rawId: string): Subscription {
  const subscription = addressedSubscription(ctx, principal, rawId);
  if (!isOwner(principal, subscription)) throw subscriptionNotFound(rawId);
  return subscription;
}

/** Refuses an ARM action over `scope` to a caller without a role on the subscription. */
export function requireArmAction(ctx: SandboxContext, principal: Principal, subscription: Subscription, action: string, scope: string): void {
  if (isOwner(principal, subscription)) return;
  const client = principal.kind === 'user' ? (ctx.store.world.users.find((u) => u.objectId === principal.objectId)?.userPrincipalName ?? principal.objectId) : principal.objectId;
  throw new HttpError(
    403,
    'AuthorizationFailed',
    `The client '${client}' with object id '${principal.objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}

function subscriptionNotFound(id: string): HttpError {
  return new HttpError(404, 'SubscriptionNotFound', `The subscription '${id}' could not be found.`);
}
