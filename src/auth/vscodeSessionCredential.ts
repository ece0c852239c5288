import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import * as l10n from '@vscode/l10n';
import { ActionableError } from '../core/actionableError';
import type { AzureCloud } from '../azure/cloud';
import { toActionableError } from '../azure/azureErrors';
import type { AuthenticationAccount, AuthenticationApi, AuthenticationSessionLike, GetSessionOptions } from './authenticationApi';
import { accessTokenExpiry } from './accessTokenExpiry';

// A TokenCredential over VS Code's Microsoft sign-in. Unlike the credential of the Azure
// extensions' shared auth package, it asks for exactly the scopes and tenant the SDK requests: the
// Managed HSM challenge policy asks for the HSM audience, ARM clients for management, the Graph
// client for Graph — one resource per token, as Entra requires.

export interface VscodeSessionCredentialOptions {
  /**
   * Whether getToken may show VS Code's sign-in or consent prompts. Tree loads pass false (a
   * missing session becomes a "Sign in" node); commands a user started pass true.
   */
  allowInteraction: boolean;
  /** The tenant to use when the SDK does not name one (e.g. the tenant of the chosen subscription). */
  tenantId?: string;
  /** Pins the account when the user is signed in with several. */
  account?: AuthenticationAccount;
  /** Let the user pick another account on the next interactive sign-in. */
  clearSessionPreference?: boolean;
}

const oidcScopes = new Set(['openid', 'profile', 'email', 'offline_access']);
const tenantPseudoScope = 'VSCODE_TENANT:';

export class VscodeSessionCredential implements TokenCredential {
  constructor(
    private readonly auth: AuthenticationApi,
    private readonly cloud: Pick<AzureCloud, 'authProviderId' | 'displayName'>,
    private readonly options: VscodeSessionCredentialOptions,
  ) {}

  /** The same sign-in, with prompts allowed or not: a command can upgrade a tree's credential. */
  withInteraction(allowInteraction: boolean): VscodeSessionCredential {
    return new VscodeSessionCredential(this.auth, this.cloud, { ...this.options, allowInteraction });
  }

  async getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken | null> {
    const requested = sessionScopes(scopes, options.tenantId ?? this.options.tenantId);
    throwIfAborted(options);
    const resource = describeResource(requested);
    const session = await this.findSession(requested, options.claims);
    throwIfAborted(options);
    if (!session) {
      const tenant = requested.find((s) => s.startsWith(tenantPseudoScope))?.slice(tenantPseudoScope.length);
      // Signed in elsewhere, a tenant can still refuse a silent token (MFA or Conditional Access,
      // a guest invitation not accepted): the fix is a sign-in to that tenant, not to VS Code.
      // The likely cause comes first: a tree row shows only the start of the sentence.
      const message = tenant
        ? l10n.t('Multi-factor authentication, Conditional Access or a new sign-in is needed for tenant {0}: VS Code could not get a token for {1} without a prompt; sign in to that tenant again.', tenant, resource)
        : l10n.t('Could not get a token for {0}: you are not signed in to {1} with VS Code; sign in from the Accounts menu or run the command again to be asked.', resource, this.cloud.displayName);
      throw new ActionableError(
        message,
        'authentication',
        `No ${this.cloud.authProviderId} session for scopes ${requested.join(' ')} (interaction ${this.options.allowInteraction ? 'allowed' : 'not allowed'}).`,
      );
    }
    return { token: session.accessToken, expiresOnTimestamp: accessTokenExpiry(session.accessToken), tokenType: 'Bearer' };
  }

  /** Silently first; a prompt only when this credential allows one. */
  private async findSession(scopes: string[], claims: string | undefined): Promise<AuthenticationSessionLike | undefined> {
    const account = this.options.account ? { account: this.options.account } : {};
    const silent: GetSessionOptions = { silent: true, ...account };
    const interactive: GetSessionOptions = {
      ...account,
      ...(claims ? { forceNewSession: true } : { createIfNone: true }),
      ...(this.options.clearSessionPreference ? { clearSessionPreference: true } : {}),
    };
    const ask = (o: GetSessionOptions) => this.request(scopes, claims, o);

    // A claims challenge means the cached token was refused, so only a new token helps.
    if (!claims || this.auth.getSessionForChallenge) {
      const session = await ask(silent);
      if (session) return session;
    }
    if (!this.options.allowInteraction) {
      if (claims) {
        throw new ActionableError(
          l10n.t('Could not get a token for {0}: the service asks you to sign in again (for example for multi-factor authentication); run the command again to be asked.', describeResource(scopes)),
          'authentication',
          `Claims challenge for scopes ${scopes.join(' ')} while interaction is not allowed.`,
        );
      }
      return undefined;
    }
    return ask(interactive);
  }

  private async request(scopes: string[], claims: string | undefined, options: GetSessionOptions): Promise<AuthenticationSessionLike | undefined> {
    const what = l10n.t('sign in to {0} for {1}', this.cloud.displayName, describeResource(scopes));
    try {
      if (claims && this.auth.getSessionForChallenge) {
        const request = { wwwAuthenticate: claimsChallengeHeader(claims), fallbackScopes: scopes };
        if (options.createIfNone || options.forceNewSession) {
          // The provider reads the claims from the challenge; forceNewSession is the scopes form's idea.
          const { forceNewSession: _force, ...rest } = options;
          return await this.auth.getSessionForChallenge(this.cloud.authProviderId, request, { ...rest, createIfNone: true });
        }
        return await this.auth.getSessionForChallenge(this.cloud.authProviderId, request, options);
      }
      return await this.auth.getSession(this.cloud.authProviderId, scopes, options);
    } catch (err) {
      throw toActionableError(err, what);
    }
  }
}

/**
 * The scopes handed to VS Code: the SDK's resource scopes (one resource only) and the tenant as
 * the provider's VSCODE_TENANT pseudo-scope.
 */
export function sessionScopes(scopes: string | string[], tenantId: string | undefined): string[] {
  const list = (Array.isArray(scopes) ? scopes : [scopes]).map((s) => s.trim()).filter(Boolean);
  const resources = new Set(list.filter((s) => !oidcScopes.has(s) && !s.startsWith('VSCODE_')).map(resourceOf));
  if (resources.size > 1) {
    throw new ActionableError(
      l10n.t('Could not get a token: one request asked for more than one Azure resource, which Entra ID refuses; this is a bug in the extension.'),
      'unexpected',
      `Scopes for several resources in one token request: ${list.join(' ')}`,
    );
  }
  const withoutTenant = list.filter((s) => !s.startsWith(tenantPseudoScope));
  const tenant = tenantId ?? list.find((s) => s.startsWith(tenantPseudoScope))?.slice(tenantPseudoScope.length);
  return [...new Set(withoutTenant), ...(tenant ? [`${tenantPseudoScope}${tenant}`] : [])];
}

/** VS Code's Microsoft provider parses a Bearer challenge with base64 claims, as resource servers send it. */
function claimsChallengeHeader(claims: string): string {
  return l10n.t('Bearer realm="", error="insufficient_claims", claims="{0}"', Buffer.from(claims, 'utf8').toString('base64'));
}

function resourceOf(scope: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(scope)) return scope.includes('/') ? scope.slice(0, scope.lastIndexOf('/')) : 'https://graph.microsoft.com';
  const url = scope.replace(/\/[^/]*$/, '');
  // `https://management.core.windows.net//.default` names the resource with its trailing slash.
  return url.replace(/\/+$/, '').toLowerCase();
}

function describeResource(scopes: string[]): string {
  const resource = scopes.find((s) => !oidcScopes.has(s) && !s.startsWith('VSCODE_'));
  return resource ? resourceOf(resource) : l10n.t('Microsoft Graph');
}

function throwIfAborted(options: GetTokenOptions): void {
  if (options.abortSignal?.aborted) {
    throw new ActionableError(l10n.t('Sign-in was cancelled.'), 'cancelled', 'getToken aborted by the caller.');
  }
}
