import { UsernamePasswordCredential } from '@azure/identity';
import type { AuthenticationApi, AuthenticationSessionLike, GetSessionOptions } from '../../src/auth/authenticationApi';
import type { SandboxEndpoints } from './sandboxProcess';

// A stand-in for `vscode.authentication` whose sessions are real tokens from the sandbox's Entra
// (password grant of the seeded admin user through VS Code's client id), so the VS Code credential
// can be driven end to end by the real SDKs. It records what was asked for.

export interface RecordedSessionRequest {
  providerId: string;
  scopes: readonly string[];
  options: GetSessionOptions;
}

export function sandboxAuthentication(ep: SandboxEndpoints, caPem: string): AuthenticationApi & { requests: RecordedSessionRequest[] } {
  const requests: RecordedSessionRequest[] = [];
  const perTenant = new Map<string, UsernamePasswordCredential>();
  const credentialFor = (tenantId: string) => {
    let c = perTenant.get(tenantId);
    if (!c) {
      c = new UsernamePasswordCredential(tenantId, ep.publicClientIds.vscode, ep.admin.username, ep.admin.password, {
        authorityHost: ep.authorityHost,
        disableInstanceDiscovery: true,
        tlsOptions: { ca: caPem },
      } as ConstructorParameters<typeof UsernamePasswordCredential>[4]);
      perTenant.set(tenantId, c);
    }
    return c;
  };
  return {
    requests,
    async getSession(providerId, scopes, options): Promise<AuthenticationSessionLike | undefined> {
      requests.push({ providerId, scopes: [...scopes], options });
      const tenant = scopes.find((s) => s.startsWith('VSCODE_TENANT:'))?.slice('VSCODE_TENANT:'.length) ?? ep.tenantId;
      const resourceScopes = scopes.filter((s) => !s.startsWith('VSCODE_'));
      const token = await credentialFor(tenant).getToken(resourceScopes);
      if (!token) return undefined;
      return { id: `session-${tenant}`, accessToken: token.token, account: { id: ep.admin.userObjectId, label: ep.admin.username }, scopes };
    },
  };
}
