import { randomUUID } from 'node:crypto';
import type { Application, Hsm, HsmKey, KeyVersion, RoleAssignment, ServicePrincipal, World } from './state/world';
import { hashSecret, newClientSecretText } from './entra/secretHash';
import { generateMaterial, newKeyVersion } from './hsm/keyMaterial';
import { builtInRoleIds } from './hsm/roleDefinitions';

/** Plain-text credentials of the seeded principals: written to seed-credentials.json (0600) and endpoints.json. */
export interface SeedCredentials {
  admin: { clientId: string; clientSecret: string; objectId: string; username: string; password: string; userObjectId: string };
  /** The app registration whose client secret expires five days after seeding. */
  expiringApp: { clientId: string; clientSecret: string; objectId: string; displayName: string };
  /** A second user who never consented to any Microsoft Graph permission (AADSTS65001 for Graph scopes). */
  operator: { username: string; password: string; objectId: string };
}

export interface SeedOptions {
  nowSeconds: number;
  /** Extra keys on the activated HSM, to exercise paging. */
  extraKeys: number;
  /** Versions of each extra key (default 1), oldest first, a day apart. */
  extraKeyVersions?: number;
}

/** Well-known first-party public clients that sign users in (VS Code, Azure CLI). */
export const publicClientIds = {
  vscode: 'aebc6443-996d-45c2-90f0-388ff96faa56',
  azureCli: '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
} as const;

const day = 86_400;

export function seedWorld(opts: SeedOptions): { world: World; credentials: SeedCredentials } {
  const now = opts.nowSeconds;
  const iso = (s: number) => new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const tenantId = randomUUID();
  // A second tenant the admin is a guest of, whose Conditional Access asks for MFA: its token
  // requests fail the way Entra's do, while Contoso keeps working.
  const mfaTenantId = randomUUID();
  const adminUserId = randomUUID();
  const adminPassword = `Sandbox-${randomUUID().slice(0, 8)}!`;
  const username = 'admin@contoso.onmicrosoft.com';
  const operatorUserId = randomUUID();
  const operatorPassword = `Sandbox-${randomUUID().slice(0, 8)}!`;
  const operatorUsername = 'operator@contoso.onmicrosoft.com';

  const apps: Application[] = [];
  const sps: ServicePrincipal[] = [];
  const addApp = (displayName: string, graphAppRoles: string[], secret?: { text: string; days: number; name: string }, isPublicClient = false) => {
    const app: Application = {
      id: randomUUID(),
      appId: randomUUID(),
      tenantId,
      displayName,
      signInAudience: 'AzureADMyOrg',
      createdDateTime: iso(now - 30 * day),
      passwordCredentials: [],
      owners: [adminUserId],
      isPublicClient,
    };
    if (secret) {
      app.passwordCredentials.push({
        keyId: randomUUID(),
        displayName: secret.name,
        hint: secret.text.slice(0, 3),
        secretHash: hashSecret(secret.text),
        startDateTime: iso(now - 30 * day),
        endDateTime: iso(now + secret.days * day),
      });
    }
    const sp: ServicePrincipal = {
      id: randomUUID(),
      appId: app.appId,
      tenantId,
      displayName,
      servicePrincipalType: 'Application',
      graphAppRoles,
      createdDateTime: app.createdDateTime,
    };
    apps.push(app);
    sps.push(sp);
    return { app, sp };
  };

  const vscode = addApp('Visual Studio Code', [], undefined, true);
  vscode.app.appId = publicClientIds.vscode;
  vscode.sp.appId = publicClientIds.vscode;
  const cli = addApp('Microsoft Azure CLI', [], undefined, true);
  cli.app.appId = publicClientIds.azureCli;
  cli.sp.appId = publicClientIds.azureCli;

  const adminSecret = newClientSecretText();
  const admin = addApp('Sandbox administrator automation', ['Application.ReadWrite.All', 'Directory.Read.All'], { text: adminSecret, days: 365, name: 'automation' });
  const expiringSecret = newClientSecretText();
  const expiring = addApp('Secret Server key management', [], { text: expiringSecret, days: 5, name: 'secret-server' });

  const subscriptionId = randomUUID();
  const primaryRg = 'rg-secretserver-eastus';
  const secondaryRg = 'rg-hsm-westeurope';
  const admins = [adminUserId, admin.sp.id];

  const version = (kty: HsmKey['kty'], size: number | string, created: number, extra: Partial<KeyVersion> = {}): KeyVersion => ({
    version: newKeyVersion(),
    created,
    updated: created,
    enabled: true,
    exportable: false,
    keyOps: kty === 'oct-HSM' ? ['wrapKey', 'unwrapKey'] : kty === 'RSA-HSM' ? ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey', 'sign', 'verify'] : ['sign', 'verify'],
    tags: {},
    material: generateMaterial(kty, size),
    ...extra,
  });

  const keys: HsmKey[] = [
    { name: 'secret-server-key', kty: 'oct-HSM', keySize: 256, versions: [version('oct-HSM', 256, now - 20 * day, { tags: { purpose: 'secret-server' } })] },
    { name: 'rsa-signing-key', kty: 'RSA-HSM', keySize: 2048, versions: [version('RSA-HSM', 2048, now - 19 * day)] },
    { name: 'aes128-key', kty: 'oct-HSM', keySize: 128, versions: [version('oct-HSM', 128, now - 18 * day)] },
    { name: 'disabled-key', kty: 'oct-HSM', keySize: 256, versions: [version('oct-HSM', 256, now - 17 * day, { enabled: false })] },
    {
      name: 'expiring-key',
      kty: 'oct-HSM',
      keySize: 256,
      versions: [version('oct-HSM', 256, now - 200 * day), version('oct-HSM', 256, now - 16 * day, { exp: now + 10 * day })],
    },
  ];
  for (let i = 1; i <= opts.extraKeys; i++) {
    const name = `bulk-key-${String(i).padStart(4, '0')}`;
    const count = opts.extraKeyVersions ?? 1;
    const versions = Array.from({ length: count }, (_, v) => version('oct-HSM', 256, now - (15 + count - 1 - v) * day + i));
    keys.push({ name, kty: 'oct-HSM', keySize: 256, versions });
  }
  const retired: HsmKey = { name: 'retired-key', kty: 'oct-HSM', keySize: 256, versions: [version('oct-HSM', 256, now - 100 * day)] };

  const assign = (scope: string, principalId: string, role: string): RoleAssignment => ({
    name: randomUUID(),
    scope,
    principalId,
    roleDefinitionId: role,
  });
  const adminAssignments = admins.flatMap((p) => [
    assign('/', p, builtInRoleIds.administrator),
    assign('/', p, builtInRoleIds.cryptoOfficer),
    assign('/', p, builtInRoleIds.cryptoUser),
  ]);

  const hsmBase = (name: string, rg: string, location: string, activated: boolean, purgeProtection: boolean): Hsm => ({
    name,
    subscriptionId,
    resourceGroup: rg,
    location,
    tenantId,
    skuName: 'Standard_B1',
    initialAdminObjectIds: admins,
    enableSoftDelete: true,
    softDeleteRetentionInDays: 90,
    enablePurgeProtection: purgeProtection,
    publicNetworkAccess: 'Enabled',
    provisioningState: 'Succeeded',
    activated,
    createdAt: iso(now - 60 * day),
    createdBy: username,
    keys: [],
    deletedKeys: [],
    roleAssignments: [],
  });

  const activeHsm = hsmBase('contoso-mhsm-eus', primaryRg, 'eastus', true, true);
  activeHsm.keys = keys;
  activeHsm.deletedKeys = [{ key: retired, deletedDate: now - 2 * day, scheduledPurgeDate: now + 88 * day }];
  activeHsm.roleAssignments = [...adminAssignments, assign('/keys/secret-server-key', expiring.sp.id, builtInRoleIds.cryptoUser)];

  const idleHsm = hsmBase('contoso-mhsm-weu', secondaryRg, 'westeurope', false, false);
  idleHsm.roleAssignments = admins.map((p) => assign('/', p, builtInRoleIds.administrator));

  const world: World = {
    schema: 1,
    clockOffsetMs: 0,
    ports: {},
    tenants: [
      { id: tenantId, displayName: 'Contoso (sandbox)', defaultDomain: 'contoso.onmicrosoft.com' },
      { id: mfaTenantId, displayName: 'Fabrikam (sandbox, MFA required)', defaultDomain: 'fabrikam.onmicrosoft.com', requireMfaPolicyId: randomUUID() },
    ],
    users: [
      {
        objectId: adminUserId,
        tenantId,
        userPrincipalName: username,
        displayName: 'Sandbox Admin',
        passwordHash: hashSecret(adminPassword),
        consentedScopes: { '*': ['*'] },
        guestTenantIds: [mfaTenantId],
      },
      {
        objectId: operatorUserId,
        tenantId,
        userPrincipalName: operatorUsername,
        displayName: 'Sandbox Operator',
        passwordHash: hashSecret(operatorPassword),
        consentedScopes: {},
      },
    ],
    applications: apps,
    servicePrincipals: sps,
    subscriptions: [
      {
        subscriptionId,
        tenantId,
        displayName: 'Contoso Sandbox Subscription',
        state: 'Enabled',
        resourceGroups: [
          { name: primaryRg, location: 'eastus' },
          { name: secondaryRg, location: 'westeurope' },
        ],
        owners: admins,
      },
    ],
    hsms: [activeHsm, idleHsm],
    refreshTokens: {},
  };

  return {
    world,
    credentials: {
      admin: { clientId: admin.app.appId, clientSecret: adminSecret, objectId: admin.sp.id, username, password: adminPassword, userObjectId: adminUserId },
      expiringApp: { clientId: expiring.app.appId, clientSecret: expiringSecret, objectId: expiring.sp.id, displayName: expiring.app.displayName },
      operator: { username: operatorUsername, password: operatorPassword, objectId: operatorUserId },
    },
  };
}
