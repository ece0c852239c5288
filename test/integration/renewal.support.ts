import type { TokenCredential } from '@azure/core-auth';
import { sandboxCloud, type AzureCloud } from '../../src/azure/cloud';
import { servicePrincipalCredential } from '../../src/auth/servicePrincipalCredential';
import { createGraphClient, type GraphClient } from '../../src/azure/graph/graphClient';
import { getApplicationSecretsByAppId } from '../../src/azure/graph/clientSecrets';
import { SecretServerSession } from '../../src/secretServer/session';
import { getHealth, type SecretServerHealth } from '../../src/secretServer/health';
import { liveSecretServer } from '../../src/renewal/liveRenewalDeps';
import type { SandboxHandle } from '../support/sandboxProcess';

// The seeded starting point of the renewal tests: Secret Server configured (Task 2 and 3) with
// the seeded "expiring" app, whose only client secret expires in 5 days and which holds Crypto User
// on /keys/secret-server-key of contoso-mhsm-eus.

export interface RenewalWorld {
  cloud: AzureCloud;
  admin: TokenCredential;
  graph: GraphClient;
  session: SecretServerSession;
  appId: string;
  appObjectId: string;
  oldKeyId: string;
  hsmUri: string;
  keyUrl: string;
}

export async function configuredWorld(sandbox: SandboxHandle, keyUrlOf: (hsmUri: string) => string = (u) => `${u}keys/secret-server-key`): Promise<RenewalWorld> {
  const ep = sandbox.endpoints;
  const cloud = sandboxCloud(ep, sandbox.caPem);
  const admin = await servicePrincipalCredential(cloud, ep.tenantId, ep.admin.clientId, ep.admin.clientSecret);
  const graph = await createGraphClient(cloud, admin);
  const app = await getApplicationSecretsByAppId(graph, ep.expiringApp.clientId);
  if (!app || app.secrets.length !== 1) throw new Error('the seeded expiring app should have exactly one secret');
  const hsm = ep.hsms.find((h) => h.name === 'contoso-mhsm-eus');
  if (!hsm) throw new Error('seeded HSM missing');
  const user = ep.secretServer.users.find((u) => u.canManageKeys && !u.otpSecret);
  if (!user) throw new Error('no key-managing Secret Server user');
  const session = new SecretServerSession({ url: ep.secretServer.url, username: user.username, caPem: cloud.caPem, credentials: { getPassword: async () => user.password } });
  const keyUrl = keyUrlOf(hsm.uri);
  const ss = liveSecretServer(session, { pollIntervalMs: 100 });
  const { since } = await ss.update({ tenantId: ep.tenantId, principalId: ep.expiringApp.clientId, principalSecret: ep.expiringApp.clientSecret, keyUrl });
  const last = await ss.follow(since, () => undefined);
  if (last.state !== 'succeeded') throw new Error(`initial rotation ended as ${last.state}`);
  return { cloud, admin, graph, session, appId: app.appId, appObjectId: app.id, oldKeyId: app.secrets[0].keyId, hsmUri: hsm.uri, keyUrl };
}

export async function sandboxNow(sandbox: SandboxHandle): Promise<number> {
  const res = await sandbox.control('GET', '/clock');
  return Date.parse((res.body as { now: string }).now);
}

/** Reads Secret Server's health every `intervalMs` until stopped; returns every reading. */
export function watchHealth(session: SecretServerSession, intervalMs = 100): { stop: () => Promise<SecretServerHealth[]> } {
  const readings: SecretServerHealth[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      readings.push(await getHealth(session));
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return readings;
    },
  };
}
