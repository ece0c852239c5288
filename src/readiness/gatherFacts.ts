import { performance } from 'node:perf_hooks';
import type { TokenCredential } from '@azure/core-auth';
import * as l10n from '@vscode/l10n';
import { servicePrincipalCredential } from '../auth/servicePrincipalCredential';
import { toActionableError } from '../azure/azureErrors';
import type { AzureCloud } from '../azure/cloud';
import { getApplicationSecretsByAppId, type ApplicationSecrets } from '../azure/graph/clientSecrets';
import { createGraphClient, type GraphClient } from '../azure/graph/graphClient';
import { getServicePrincipalByAppId } from '../azure/graph/servicePrincipals';
import { probeKey } from '../azure/keyProbe';
import { ManagedHsmKeys } from '../azure/keys';
import { ManagedHsmRbac } from '../azure/localRbac';
import { getManagedHsm, listManagedHsms, type ManagedHsmInfo } from '../azure/managedHsms';
import { listSubscriptions } from '../azure/subscriptions';
import { ActionableError } from '../core/actionableError';
import { parseKeyIdentifier } from '../core/keyIdentifier';
import {
  failed,
  known,
  notChecked,
  type AppFacts,
  type Fact,
  type ProbeFacts,
  type ReadinessFacts,
  type RoleAssignmentFacts,
  type SecretServerFacts,
  type ServicePrincipalFacts,
} from '../core/readiness/facts';
import { getHealth } from '../secretServer/health';
import { getKeyManagement } from '../secretServer/keyManagement';
import { getRotationStatus } from '../secretServer/rotation';
import type { SecretServerSession } from '../secretServer/session';
import {
  appFacts,
  hsmFacts,
  keyFacts,
  probeFacts,
  roleAssignmentFacts,
  rotationPolicyFacts,
  secretServerConfigurationFacts,
  secretServerHealthFacts,
  secretServerRotationFacts,
  usedSecretOf,
} from './factMapping';
import { sharedTokenCredential } from './sharedTokenCredential';

// Gathers what the readiness rules need. Every call that does not need another's answer starts at
// once; each service call is made once and its answer shared (the key is read once by the
// administrator, once by the probe as the app — that second read is part of what is proven). A
// failing call only leaves its own part unknown.

/** Where the HSM's ARM resource is; when not given, the check looks for it by its URI. */
export interface HsmLocator {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

/** The app registration Secret Server signs in as. */
export interface ReadinessAppInput {
  /** Client id. */
  appId: string;
  /** Graph keyId of the client secret Secret Server uses, when known (e.g. the one stored in VS Code). */
  secretKeyId?: string;
  /** The client secret's value for the live probe (e.g. from SecretStorage); called once, never logged. */
  getSecret?: () => Promise<string | undefined>;
}

export interface GatherFactsInput {
  cloud: AzureCloud;
  /** The signed-in administrator: reads the key, its policy, the HSM, role assignments and the app. */
  credential: TokenCredential;
  /** The tenant of the HSM and the app registration. */
  tenantId: string;
  /** Versioned (that version is checked) or versionless (the current version is). */
  keyId: string;
  hsm?: HsmLocator;
  /** Where to look for the HSM when `hsm` is not given; default: every subscription of the tenant. */
  subscriptionIds?: string[];
  app?: ReadinessAppInput;
  secretServer?: { session: SecretServerSession };
  /** The Azure region Secret Server runs in (e.g. 'eastus'), as the user configured it. */
  secretServerRegion?: string;
  abortSignal?: AbortSignal;
  /** Milliseconds from an arbitrary origin, for timings; a seam for tests. */
  clock?: () => number;
}

export type CallService = 'arm' | 'hsm' | 'graph' | 'probe' | 'secretServer' | 'local';

/** One call the gathering made: when it started (from the start of gathering) and how long it took. */
export interface CallTiming {
  call: string;
  service: CallService;
  startMs: number;
  durationMs: number;
  ok: boolean;
}

export interface GatheredFacts {
  facts: ReadinessFacts;
  timings: CallTiming[];
  durationMs: number;
}

export async function gatherFacts(input: GatherFactsInput): Promise<GatheredFacts> {
  const { cloud, abortSignal } = input;
  const parsed = parseKeyIdentifier(input.keyId, { dnsSuffix: cloud.managedHsmDnsSuffix, origins: cloud.managedHsmOrigins });
  if (!parsed.ok) throw new ActionableError(l10n.t('Cannot check readiness: {0}', parsed.reason), 'invalidInput');
  const id = parsed.value;
  throwIfCancelled(abortSignal);

  const clock = input.clock ?? (() => performance.now());
  const started = clock();
  const timings: CallTiming[] = [];
  const timed = async <T>(call: string, service: CallService, run: () => Promise<T>): Promise<T> => {
    const start = clock();
    const record = (ok: boolean) => timings.push({ call, service, startMs: start - started, durationMs: clock() - start, ok });
    try {
      const value = await run();
      record(true);
      return value;
    } catch (err) {
      record(false);
      throw err;
    }
  };

  const admin = sharedTokenCredential(input.credential, { tenantId: input.tenantId });
  const displayName = input.hsm?.name;
  const keys = new ManagedHsmKeys(cloud, admin, id.hsmUri, { displayName });
  const rbac = new ManagedHsmRbac(cloud, admin, id.hsmUri, { displayName });
  const options = { abortSignal };

  const app = input.app;
  let appPart: Promise<{ fact: Fact<AppFacts>; raw?: ApplicationSecrets }>;
  let servicePrincipal: Promise<Fact<ServicePrincipalFacts>>;
  let roleAssignments: Promise<Fact<RoleAssignmentFacts[]>>;
  let probe: Promise<Fact<ProbeFacts>>;
  let secretValue: Promise<{ value?: string; error?: ActionableError }> = Promise.resolve({});

  if (app) {
    const graph: Promise<GraphClient> = createGraphClient(cloud, admin);
    appPart = graph
      .then((g) => timed('getApplication', 'graph', () => getApplicationSecretsByAppId(g, app.appId, options)))
      .then(
        (raw) =>
          raw
            ? { fact: known(appFacts(raw)), raw }
            : { fact: failed(new ActionableError(l10n.t('No app registration with client id {0} exists in this tenant; check the client id.', app.appId), 'notFound')) },
        (err) => ({ fact: failed(toActionableError(err, `read app registration ${app.appId}`)) }),
      );
    servicePrincipal = settle(
      graph
        .then((g) => timed('getServicePrincipal', 'graph', () => getServicePrincipalByAppId(g, app.appId, options)))
        .then((sp): ServicePrincipalFacts => (sp ? { found: true, objectId: sp.id, displayName: sp.displayName } : { found: false })),
      l10n.t('read the service principal of app {0}', app.appId),
    );
    roleAssignments = servicePrincipal.then((sp) => {
      if (sp.state !== 'known') return notChecked(l10n.t('the service principal could not be read.'));
      if (!sp.value.found) return notChecked(l10n.t('the app has no service principal.'));
      const principalId = sp.value.objectId;
      return settle(
        timed('listRoleAssignments', 'hsm', () => rbac.listRoleAssignmentsForPrincipal(principalId, '/', options)).then((list) => list.map(roleAssignmentFacts)),
        l10n.t('list the app\'s role assignments'),
      );
    });
    const getSecret = app.getSecret;
    secretValue = getSecret
      ? timed('getSecret', 'local', getSecret).then(
          (value) => ({ value }),
          (err: unknown) => ({ error: toActionableError(err, "read the app's stored client secret") }),
        )
      : Promise.resolve({});
    probe = secretValue.then(async ({ value: secret, error }) => {
      if (error) return failed<ProbeFacts>(error);
      if (!secret) return notChecked<ProbeFacts>(l10n.t('the app\'s client secret is not available to VS Code, so the check cannot sign in as the app.'));
      return settle(
        (async () => {
          const asApp = sharedTokenCredential(await servicePrincipalCredential(cloud, input.tenantId, app.appId, secret), { tenantId: input.tenantId });
          return probeFacts(await timed('probe', 'probe', () => probeKey(cloud, asApp, id.id, options)));
        })(),
        l10n.t('run the live wrap and unwrap'),
      );
    });
  } else {
    const noApp = l10n.t('no app registration is part of this check.');
    appPart = Promise.resolve({ fact: notChecked(noApp) });
    servicePrincipal = Promise.resolve(notChecked(noApp));
    roleAssignments = Promise.resolve(notChecked(noApp));
    probe = Promise.resolve(notChecked(noApp));
  }

  // The single reads start after the app's chains (Graph, then the role assignments; the app's
  // sign-in, then the wrap and unwrap), which are the check's longest: started first, they do not
  // wait behind the others' connection set-up.
  const key = settle(
    timed('getKey', 'hsm', () => keys.getKey(id.name, id.version, options)).then(keyFacts),
    l10n.t('read key \'{0}\'', id.name),
  );
  const rotationPolicy = settle(
    timed('getRotationPolicy', 'hsm', () => keys.getRotationPolicy(id.name, options)).then(rotationPolicyFacts),
    l10n.t('read the rotation policy of key \'{0}\'', id.name),
  );
  const hsm = settle(findHsm(input, admin, id.origin, timed).then(hsmFacts), l10n.t('read the Managed HSM'));

  const secretServer = input.secretServer ? gatherSecretServer(input.secretServer.session, abortSignal, timed) : Promise.resolve(undefined);

  const all = Promise.all([key, rotationPolicy, hsm, appPart, servicePrincipal, roleAssignments, probe, secretServer, secretValue]);
  const [keyFact, policyFact, hsmFact, appResult, spFact, rolesFact, probeFact, ssFacts, secret] = await untilCancelled(all, abortSignal);
  // Aborted calls end as failed parts; a cancelled check reports nothing rather than half.
  throwIfCancelled(abortSignal);

  let appFact = appResult.fact;
  if (appFact.state === 'known' && appResult.raw) {
    const usedSecret = usedSecretOf(appResult.raw, app?.secretKeyId, secret.value);
    if (usedSecret) appFact = known({ ...appFact.value, usedSecret });
  }

  const facts: ReadinessFacts = {
    target: {
      keyId: input.keyId.trim(),
      keyName: id.name,
      keyVersion: id.version,
      hsmUri: id.hsmUri,
      appId: app?.appId,
      tenantId: input.tenantId,
      secretServerUrl: input.secretServer?.session.baseUrl,
    },
    key: keyFact,
    rotationPolicy: policyFact,
    hsm: hsmFact,
    secretServerRegion: input.secretServerRegion,
    app: appFact,
    servicePrincipal: spFact,
    roleAssignments: rolesFact,
    probe: probeFact,
    secretServer: ssFacts,
  };
  return { facts, timings, durationMs: clock() - started };
}

type Timed = <T>(call: string, service: CallService, run: () => Promise<T>) => Promise<T>;

/** The HSM's ARM resource: read directly when located, else found by its URI among the tenant's subscriptions. */
async function findHsm(input: GatherFactsInput, admin: TokenCredential, origin: string, timed: Timed): Promise<ManagedHsmInfo> {
  const { cloud, abortSignal } = input;
  if (input.hsm) {
    const { subscriptionId, resourceGroup, name } = input.hsm;
    return timed('getManagedHsm', 'arm', () => getManagedHsm(cloud, admin, subscriptionId, resourceGroup, name, { abortSignal }));
  }
  let subscriptionIds = input.subscriptionIds;
  if (!subscriptionIds) {
    const listed = await timed('listSubscriptions', 'arm', () => listSubscriptions(cloud, admin, { tenantIds: [input.tenantId], abortSignal }));
    if (listed.items.length === 0 && listed.failures.length > 0) throw listed.failures[0].error;
    subscriptionIds = listed.items.map((s) => s.subscriptionId);
  }
  const perSubscription = await Promise.allSettled(
    subscriptionIds.map((sub) => timed(`listManagedHsms ${sub}`, 'arm', () => listManagedHsms(cloud, admin, sub, { abortSignal }))),
  );
  const wanted = origin.toLowerCase();
  for (const outcome of perSubscription) {
    if (outcome.status !== 'fulfilled') continue;
    const found = outcome.value.find((h) => originOf(h.hsmUri) === wanted);
    if (found) return found;
  }
  const failure = perSubscription.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure) throw failure.reason;
  throw new ActionableError(
    l10n.t('Could not find the Managed HSM {0} in the {1} subscription(s) you can read; check that you are signed in to the tenant that owns it and have Reader access to its subscription.', origin, subscriptionIds.length),
    'notFound',
  );
}

async function gatherSecretServer(session: SecretServerSession, signal: AbortSignal | undefined, timed: Timed): Promise<SecretServerFacts> {
  const [health, configuration, rotation] = await Promise.all([
    settle(timed('healthcheck', 'secretServer', () => getHealth(session, signal)).then(secretServerHealthFacts), l10n.t('check Secret Server health')),
    settle(timed('getKeyManagement', 'secretServer', () => getKeyManagement(session, signal)).then(secretServerConfigurationFacts), l10n.t('read the key management configuration')),
    settle(timed('getRotationStatus', 'secretServer', () => getRotationStatus(session, signal)).then(secretServerRotationFacts), l10n.t('read the secret key rotation status')),
  ]);
  return { url: session.baseUrl, health, configuration, rotation };
}

/** A part's value, or the error that stopped it; never rejects. */
function settle<T>(promise: Promise<T>, what: string): Promise<Fact<T>> {
  return promise.then(
    (value) => known(value),
    (err: unknown) => failed<T>(toActionableError(err, what)),
  );
}

function originOf(uri: string): string {
  try {
    return new URL(uri).origin.toLowerCase();
  } catch {
    return '';
  }
}

function cancelled(): ActionableError {
  return new ActionableError(l10n.t('The readiness check was cancelled.'), 'cancelled');
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled();
}

/** Settles with `work`, or rejects as cancelled as soon as the signal aborts (a call that ignores it is not waited for). */
function untilCancelled<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
