// Before every other module: their strings are translated while they load (l10nSetup.ts).
import { configureL10n } from './l10nSetup';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { registerActivity, type ActivityApi } from './commands/activityCommands';
import { activationProfile, activationProfileEnv } from './activationProfile';
import { registerCommands } from './commands/registerCommands';
import { addSecretServerConnection, type NewConnection } from './commands/secretServerConnections';
import { expiryDecoration } from './expiry/fileDecorations';
import { expiryUri } from './expiry/expiryUri';
import type { ExpirySnapshot } from './expiry/expiryWatch';
import { LiveExpiryWatch, type ExpiryFeed } from './expiry/liveExpiryWatch';
import { statusBarContent } from './expiry/statusBar';
import { createExplorer, type Explorer } from './explorer';
import { registerCommand } from './commands/runCommand';
import { createServices } from './services';
import { openWalkthrough, WalkthroughProgress } from './walkthrough/walkthroughProgress';
import type { WalkthroughStep } from './core/walkthrough/walkthroughSteps';
import type { SecretServerConnection } from './views/secretServer/connectionStore';

// The composition root: one Services object, the views built on it, the commands on both, and
// the expiry watch fed by the views as they load.
// Activation stays cheap: no @azure package is loaded until a view or command needs it.

/**
 * What activate() returns. Extension-host tests read the trees through it and add a Secret Server
 * connection without the input boxes (the prompts are the one part they cannot answer).
 */
export interface ExtensionApi extends Explorer {
  addSecretServerConnection(input: NewConnection): Promise<SecretServerConnection>;
  /** The expiry watch as the status bar and tree decorations show it (tests cannot read those). */
  readonly expiry: {
    snapshot(): ExpirySnapshot;
    statusBar(): { text: string; tooltip: string } | undefined;
    decoration(path: string): vscode.FileDecoration | undefined;
    /** The texts of the expiry notifications shown so far (the last 20). */
    notifications(): readonly string[];
  };
  /** The activity log and what its view shows. */
  readonly activity: ActivityApi;
  /** The getting-started steps whose context key is set (tests cannot read context keys). */
  readonly walkthrough: { completed(): WalkthroughStep[] };
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const started = performance.now();
  configureL10n();
  const profile = activationProfile(process.env[activationProfileEnv] === '1', started);
  const services = createServices(context);
  profile.mark('services');
  const expiry = new LiveExpiryWatch(services);
  profile.mark('expiry watch');
  let connectionIds = (): string[] => [];
  const walkthrough = new WalkthroughProgress(services, expiry.watch, () => connectionIds());
  const feed: ExpiryFeed = {
    secretServerLoaded: (connection, state) => {
      expiry.secretServerLoaded(connection, state);
      walkthrough.secretServerLoaded(connection, state);
    },
    versionsLoaded: (hsm, keyName, versions) => expiry.versionsLoaded(hsm, keyName, versions),
  };
  const explorer = createExplorer(context, services, feed, (loaders) => walkthrough.observe(loaders));
  connectionIds = () => explorer.connections.list().map((c) => c.id);
  profile.mark('explorer');
  expiry.register(context);
  profile.mark('expiry register');
  // A removed connection's secrets and key stop counting; the view refreshes after a removal.
  context.subscriptions.push(explorer.secretServer.onDidChangeTreeData(() => expiry.keepConnections(explorer.connections.list().map((c) => c.id))));
  registerCommands(context, explorer);
  profile.mark('commands');
  const activity = registerActivity(context, services);
  registerCommand(context, services.log, 'mhsm.getStarted', 'open the getting started walkthrough', () => openWalkthrough(context));
  walkthrough.register(context);
  profile.mark('activity, walkthrough');
  // One line a benchmark (bench/realVsCode.ts) reads from the log: activate()'s own time, and how
  // long the extension host had been running when it ended. Written once activate() has returned:
  // the first log line (the channel's first write, the secret masking's first run) need not hold
  // up VS Code, which waits for activate() before it fills the views.
  const activateMs = performance.now() - started;
  const hostUpMs = Math.round(process.uptime() * 1000);
  const parts = profile.summary(context.subscriptions.length);
  setImmediate(() => {
    services.log.info(`Activated in ${activateMs.toFixed(2)} ms (extension host up ${hostUpMs} ms).`);
    if (parts) services.log.info(`Activation profile: ${parts}`);
  });
  return {
    ...explorer,
    addSecretServerConnection: (input) => addSecretServerConnection(explorer, input),
    expiry: {
      snapshot: () => expiry.watch.snapshot(),
      statusBar: () => statusBarContent(expiry.watch.snapshot()),
      decoration: (path) => expiryDecoration(expiry.watch.snapshot(), expiryUri(path)),
      notifications: () => [...expiry.notificationsShown],
    },
    activity,
    walkthrough: { completed: () => walkthrough.completed() },
  };
}

export function deactivate(): void {
  // Everything is released through context.subscriptions.
}
