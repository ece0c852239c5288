import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { AuthenticationApi } from './auth/authenticationApi';
import { cloudFromSettings } from './auth/cloudSettings';
import type { SecretStore } from './auth/secretStore';
import { vscodeAuthentication } from './auth/vscodeAuthentication';
import { VscodeSessionCredential } from './auth/vscodeSessionCredential';
import type { AzureCloud } from './azure/cloud';
import { readSandboxCloud } from './azure/sandboxCloudFile';
import { randomUUID } from 'node:crypto';
import { ActivityLog } from './core/activity/activityLog';
import type { ActivitySink } from './core/activity/activityRecord';
import { maskSecrets } from './core/secretMask';
import { oneWriteAtATime } from './core/oneWriteAtATime';
import { ServiceClock } from './core/serviceClock';

// Everything views and commands need, built once by extension.ts and passed down explicitly.
// Nothing here loads an @azure package: the clients are created (and their SDKs imported) by the
// views on first use.

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface CredentialRequest {
  tenantId?: string;
  /** Whether VS Code may show sign-in or consent prompts (commands yes, tree loads no). */
  interactive: boolean;
}

export interface Services {
  readonly log: Logger;
  /** Reveals the output channel. */
  showOutput(): void;
  /** VS Code SecretStorage: the only place a password or client secret is kept. */
  readonly secrets: SecretStore;
  /** Non-secret lists (Secret Server connections, chosen tenants). */
  readonly state: vscode.Memento;
  readonly auth: AuthenticationApi;
  /** The cloud the user works in; re-read after the settings that choose it change. */
  cloud(): AzureCloud;
  readonly onDidChangeCloud: vscode.Event<void>;
  credential(request: CredentialRequest): VscodeSessionCredential;
  /** Path of the sandbox's endpoints.json when the extension is pointed at the local sandbox. */
  sandboxEndpointsFile(): string | undefined;
  /** The services' time (from their responses' Date headers), which expiry is judged by. */
  now(): Date;
  /** Fires when the services' clock turns out to differ from the last known offset. */
  readonly onDidChangeServiceTime: vscode.Event<void>;
  /** Give to Secret Server transports: each response's Date header. */
  observeServiceDate(dateHeader: string | undefined | null): void;
  /** Every change made in Azure or Secret Server (kept in globalState, bounded; no secret values). */
  readonly activityLog: ActivityLog;
  /** Records into activityLog; given to every Azure client (through the cloud) and Secret Server session. */
  readonly activity: ActivitySink;
}

const cloudSettings = ['mhsm.sandbox.endpointsFile', 'microsoft-sovereign-cloud', 'mhsm.cloud'];

export function createServices(context: vscode.ExtensionContext): Services {
  const channel = vscode.window.createOutputChannel(vscode.l10n.t('Managed HSM for Secret Server'), { log: true });
  const changed = new vscode.EventEmitter<void>();
  const timeChanged = new vscode.EventEmitter<void>();
  context.subscriptions.push(channel, changed, timeChanged);
  const log: Logger = {
    info: (m) => channel.info(maskSecrets(m)),
    warn: (m) => channel.warn(maskSecrets(m)),
    error: (m) => channel.error(maskSecrets(m)),
  };

  const serviceClock = new ServiceClock();
  const timeListener = serviceClock.onDidChange(() => {
    log.info(`The services' clock is ${Math.round(serviceClock.offset / 1000)} s ahead of this computer's; expiry is judged by the services' time.`);
    timeChanged.fire();
  });
  context.subscriptions.push(timeListener);

  // Every globalState write of the extension goes through this one queue (see oneWriteAtATime).
  const state = oneWriteAtATime(context.globalState);
  const activityLog = new ActivityLog(state, { now: () => new Date(serviceClock.now()), newId: randomUUID });
  const activity: ActivitySink = { record: (input, knownSecrets) => void activityLog.add(input, knownSecrets) };

  const endpointsFile = () => vscode.workspace.getConfiguration('mhsm.sandbox').get<string>('endpointsFile')?.trim() || undefined;
  let cached: AzureCloud | undefined;
  let cachedFileVersion: number | undefined;
  const cloud = (): AzureCloud => {
    const file = endpointsFile();
    // A cloud described by a file lists its HSM hosts there; an HSM created since (it gets a new
    // host) rewrites the file, so a changed file is read again.
    const fileVersion = file ? fileModifiedMs(file) : undefined;
    if (cached && fileVersion !== cachedFileVersion) cached = undefined;
    if (!cached) {
      cachedFileVersion = fileVersion;
      if (file) {
        cached = { ...readSandboxCloud(file), serviceClock, activity };
      } else {
        const sovereign = vscode.workspace.getConfiguration('microsoft-sovereign-cloud');
        const own = vscode.workspace.getConfiguration('mhsm.cloud');
        cached = {
          ...cloudFromSettings({
            environment: sovereign.get('environment'),
            customEnvironment: sovereign.get('customEnvironment'),
            overrides: { graphEndpoint: own.get<string>('graphEndpoint') || undefined, managedHsmDnsSuffix: own.get<string>('managedHsmDnsSuffix') || undefined },
          }),
          serviceClock,
          activity,
        };
      }
      log.info(`Using cloud ${cached.displayName} (${cached.armEndpoint}).`);
    }
    return cached;
  };
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (cloudSettings.some((s) => e.affectsConfiguration(s))) {
        cached = undefined;
        changed.fire();
      }
    }),
  );

  const auth = vscodeAuthentication();
  return {
    log,
    showOutput: () => channel.show(true),
    secrets: context.secrets,
    state,
    auth,
    cloud,
    onDidChangeCloud: changed.event,
    credential: (request) => new VscodeSessionCredential(auth, cloud(), { allowInteraction: request.interactive, tenantId: request.tenantId }),
    sandboxEndpointsFile: endpointsFile,
    now: () => new Date(serviceClock.now()),
    onDidChangeServiceTime: timeChanged.event,
    observeServiceDate: (dateHeader) => serviceClock.observe(dateHeader),
    activityLog,
    activity,
  };
}

function fileModifiedMs(file: string): number | undefined {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}
