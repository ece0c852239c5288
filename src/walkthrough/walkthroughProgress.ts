import * as vscode from 'vscode';
import type { ManagedHsmInfo } from '../azure/managedHsms';
import type { KeyInfo } from '../azure/keys';
import { StoredClientSecrets } from '../commands/setup/storedClientSecrets';
import { onDidCompleteCommand } from '../commands/runCommand';
import { secretServerKeySpec } from '../core/secretServerKey';
import {
  completedSteps,
  noFacts,
  walkthroughContextKey,
  walkthroughSteps,
  type KnownApp,
  type ReadinessOutcome,
  type SeenGrant,
  type SeenKey,
  type SeenSecretServer,
  type WalkthroughFacts,
  type WalkthroughStep,
} from '../core/walkthrough/walkthroughSteps';
import type { ExpiryWatch } from '../expiry/expiryWatch';
import type { Services } from '../services';
import type { AzureLoaders, Loaded } from '../views/azure/azureTreeModel';
import type { SecretServerConnection } from '../views/secretServer/connectionStore';
import type { KeyManagementState } from '../views/secretServer/secretServerModel';

// The walkthrough's context keys, driven by what the extension sees anyway: the Azure tree's
// loads (through its loaders), the Secret Server view's loads, the answers of the setup commands
// and readiness checks, the stored client secrets and the expiry watch. Nothing is polled and
// nothing is loaded for the walkthrough's sake, so activation stays as cheap as it was. A key
// only ever goes true: VS Code does not un-tick a completed step either.

export const walkthroughId = 'mhsm.gettingStarted';

export class WalkthroughProgress {
  private signedIn = false;
  private readonly activatedHsms = new Map<string, number>();
  private readonly apps = new Map<string, KnownApp>();
  private readonly keys = new Map<string, SeenKey>();
  private readonly grants: SeenGrant[] = [];
  private readonly readiness: ReadinessOutcome[] = [];
  private readonly secretServers = new Map<string, SeenSecretServer>();
  private readonly reported = new Set<WalkthroughStep>();
  private readonly stored: StoredClientSecrets;

  constructor(
    private readonly services: Services,
    private readonly expiry: ExpiryWatch,
    /** Ids of the Secret Server connections still configured. */
    private readonly connectionIds: () => readonly string[],
  ) {
    this.stored = new StoredClientSecrets(services.secrets, services.state);
  }

  register(context: vscode.ExtensionContext): void {
    context.subscriptions.push(
      onDidCompleteCommand(context, (id, result) => this.commandCompleted(id, result)),
      this.expiry.onDidChange(() => this.update()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mhsm.expiry.notifications.enabled')) this.update();
      }),
    );
    // The first evaluation reads the stored client secrets: after activate() has returned.
    const initial = setTimeout(() => this.update(), 0);
    context.subscriptions.push({ dispose: () => clearTimeout(initial) });
  }

  /** The steps whose context key has been set (extension-host tests read it). */
  completed(): WalkthroughStep[] {
    return walkthroughSteps.filter((s) => this.reported.has(s));
  }

  /** Wraps the Azure tree's loaders to see what they return; their results pass through untouched. */
  observe(loaders: AzureLoaders): AzureLoaders {
    return {
      ...loaders,
      signedInAccount: async () => {
        const account = await loaders.signedInAccount();
        if (account !== undefined) {
          this.signedIn = true;
          this.update();
        }
        return account;
      },
      listHsms: async (subscription) => {
        const hsms = await loaders.listHsms(subscription);
        this.activatedHsms.set(`${subscription.tenantId}/${subscription.subscriptionId}`, hsms.filter((h) => h.activated).length);
        this.update();
        return hsms;
      },
      getKey: async (hsm, name) => {
        const key = await loaders.getKey(hsm, name);
        this.keySeen(hsm, key);
        return key;
      },
      listVersions: async (hsm, name) => {
        const versions = await loaders.listVersions(hsm, name);
        // The newest version is the key as Secret Server would use it through a versionless URL.
        const newest = [...versions].sort((a, b) => (b.createdOn?.getTime() ?? 0) - (a.createdOn?.getTime() ?? 0))[0];
        if (newest?.keyType) this.keySeen(hsm, newest);
        return versions;
      },
    };
  }

  /** The Secret Server view loaded a connection (the expiry watch is told the same). */
  secretServerLoaded(connection: SecretServerConnection, state: Loaded<KeyManagementState>): void {
    if (!state.ok) return;
    const { config, rotation } = state.value;
    this.secretServers.set(connection.id, {
      provider: config.provider,
      keyUrl: config.azureManagedHsm.keyUrl,
      rotationState: rotation.ok ? rotation.value.state : undefined,
      rotationDone: rotation.ok ? rotation.value.done : undefined,
    });
    this.update();
  }

  private keySeen(hsm: Pick<ManagedHsmInfo, 'hsmUri'>, key: KeyInfo): void {
    this.keys.set(`${hsm.hsmUri.toLowerCase()}|${key.name.toLowerCase()}`, {
      hsmUri: hsm.hsmUri,
      name: key.name,
      enabled: key.enabled,
      keyType: key.keyType,
      keySize: key.keySize,
      keyOps: key.keyOps,
    });
    this.update();
  }

  private commandCompleted(id: string, result: unknown): void {
    const r = (result ?? {}) as Record<string, unknown>;
    const text = (field: string) => (typeof r[field] === 'string' ? (r[field] as string) : undefined);
    switch (id) {
      case 'mhsm.signIn':
        // Signing in refreshes the tree, whose loaders then tell whether a session exists.
        break;
      case 'mhsm.createAppRegistration':
      case 'mhsm.addClientSecret':
      case 'mhsm.renewClientSecret': {
        const clientId = text('clientId');
        if (clientId && text('secretKeyId') !== undefined) this.apps.set(clientId.toLowerCase(), { clientId });
        break;
      }
      case 'mhsm.createSecretServerKey': {
        // The HSM's answer to a create with exactly Secret Server's key spec.
        const hsmUri = text('hsmUri');
        const name = text('name');
        if (hsmUri && name) {
          this.keys.set(`${hsmUri.toLowerCase()}|${name.toLowerCase()}`, {
            hsmUri,
            name,
            enabled: true,
            keyType: secretServerKeySpec.keyType,
            keySize: secretServerKeySpec.keySize,
            keyOps: secretServerKeySpec.keyOps,
          });
        }
        break;
      }
      case 'mhsm.grantSecretServerAccess': {
        const clientId = text('clientId');
        const scope = text('scope');
        if (clientId && scope) this.grants.push({ clientId, scope });
        break;
      }
      case 'mhsm.checkReadiness': {
        const findings = Array.isArray(r.findings) ? (r.findings as ReadinessOutcome['findings']) : undefined;
        if (findings) this.readiness.push({ findings: findings.map((f) => ({ id: f.id, status: f.status })) });
        break;
      }
      default:
        return;
    }
    this.update();
  }

  private facts(): WalkthroughFacts {
    const apps = new Map(this.apps);
    for (const entry of this.stored.list()) apps.set(entry.clientId.toLowerCase(), { clientId: entry.clientId });
    const live = new Set(this.connectionIds());
    const snapshot = this.expiry.snapshot();
    return {
      ...noFacts,
      signedIn: this.signedIn,
      activatedHsms: [...this.activatedHsms.values()].reduce((a, b) => a + b, 0),
      apps: [...apps.values()],
      keys: [...this.keys.values()],
      grants: this.grants,
      readiness: this.readiness,
      secretServers: [...this.secretServers].filter(([id]) => live.has(id)).map(([, s]) => s),
      watchedSecretServerSecrets: snapshot.assessments.filter((a) => a.item.kind === 'clientSecret' && a.item.usedBySecretServer.length > 0).length,
      expiryNotificationsEnabled: vscode.workspace.getConfiguration('mhsm.expiry').get<boolean>('notifications.enabled') ?? true,
    };
  }

  private update(): void {
    for (const step of completedSteps(this.facts())) {
      if (this.reported.has(step)) continue;
      this.reported.add(step);
      this.services.log.info(`Getting started: step '${step}' is complete.`);
      void vscode.commands.executeCommand('setContext', walkthroughContextKey(step), true);
    }
  }
}

/** Opens the walkthrough ("Managed HSM: Get Started"). */
export async function openWalkthrough(context: vscode.ExtensionContext): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${walkthroughId}`, false);
}
