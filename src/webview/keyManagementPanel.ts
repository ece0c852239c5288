import * as vscode from 'vscode';
import { ActionableError } from '../core/actionableError';
import { parseKeyIdentifier } from '../core/keyIdentifier';
import { maskSecrets } from '../core/secretMask';
import { parsePageMessage, type FormInput, type FormPrefill, type HostMessage, type PageMessage } from '../protocol/keyManagementForm';
import type { SecretServerSession } from '../secretServer/session';
import { loadConnectionState, type LoadedConnection } from './connectionStateLoader';
import { hsmHostHint } from './formFieldValidation';
import { createNonce, renderKeyManagementHtml } from './keyManagementHtml';
import type { KeyManagementFormDeps, PickedKey } from './keyManagementFormDeps';
import { saveKeyManagement } from './keyManagementSave';
import type { RotationFollowers } from './rotationFollowers';

// The host side of the key management form. It owns every network call and all state; the page
// only renders and posts messages, each checked by parsePageMessage before anything happens. The
// rotation follower belongs to RotationFollowers, so closing the panel does not stop it.

export const keyManagementViewType = 'mhsm.keyManagementForm';

export class KeyManagementPanel implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly loaded = new Map<string, { session: SecretServerSession; loaded: LoadedConnection }>();
  private readonly disposedEmitter = new vscode.EventEmitter<void>();
  private prefill: FormPrefill;
  private saving = false;
  private disposed = false;
  readonly onDidDispose = this.disposedEmitter.event;

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Brings the open form to the front with a new prefill. */
  reveal(prefill: FormPrefill): void {
    this.prefill = prefill;
    this.panel.reveal();
    void this.sendInit().catch((err: unknown) => this.deps.log.warn(`Key management form: ${err instanceof Error ? err.message : String(err)}`));
  }

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly deps: KeyManagementFormDeps,
    private readonly followers: RotationFollowers,
    prefill: FormPrefill,
  ) {
    this.prefill = prefill;
    this.panel = vscode.window.createWebviewPanel(keyManagementViewType, vscode.l10n.t('Secret Server Key Management'), vscode.ViewColumn.Active, {
      enableScripts: true,
      // The page keeps its fields in vscode.setState; nothing needs a live hidden page.
      retainContextWhenHidden: false,
      enableFindWidget: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
    });
    this.panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'hsm-dark.svg');
    this.render();
    this.disposables.push(
      this.panel.onDidDispose(() => this.dispose()),
      this.panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      followers.onDidUpdate((u) => {
        this.post({ type: 'rotation', connectionId: u.connectionId, rotation: u.rotation, audit: u.audit });
        // Maintenance mode and health changed with the run: show them as they are now, not as
        // they were right after Save.
        if (u.rotation.done && this.loaded.has(u.connectionId)) {
          void this.loadConnection(u.connectionId).catch((err: unknown) => this.deps.log.warn(`Key management form: ${err instanceof Error ? err.message : String(err)}`));
        }
      }),
    );
  }

  /** The panel's HTML as last rendered (for tests of the CSP). */
  get html(): string {
    return this.panel.webview.html;
  }

  get webviewPanel(): vscode.WebviewPanel {
    return this.panel;
  }

  private render(): void {
    const webview = this.panel.webview;
    const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', file)).toString();
    webview.html = renderKeyManagementHtml({
      cspSource: webview.cspSource,
      scriptUri: asset('keyManagementForm.js'),
      styleUri: asset('keyManagementForm.css'),
      l10nBundle: vscode.l10n.bundle ? JSON.stringify(vscode.l10n.bundle) : undefined,
      nonce: createNonce(),
    });
  }

  private post(message: HostMessage): void {
    if (this.disposed) return;
    void this.panel.webview.postMessage(message);
  }

  private receive(raw: unknown): void {
    const parsed = parsePageMessage(raw);
    if (!parsed.ok) {
      // The reason never repeats a value, so it is safe to log.
      this.deps.log.warn(`Key management form: ignored a malformed message from the page (${parsed.reason}).`);
      return;
    }
    void this.handle(parsed.message);
  }

  private async handle(message: PageMessage): Promise<void> {
    const requestId = message.type === 'ready' ? undefined : message.requestId;
    let secret: string | undefined;
    try {
      switch (message.type) {
        case 'ready':
          return await this.sendInit();
        case 'selectConnection':
        case 'refresh': {
          const id = message.type === 'refresh' ? this.lastConnectionId : message.connectionId;
          if (!id) return;
          await this.loadConnection(id, message.requestId);
          return;
        }
        case 'pickKey': {
          const picked = await this.pickKey();
          return this.post({ type: 'pickedKey', requestId: message.requestId, keyUrl: picked?.keyUrl, tenantId: picked?.tenantId });
        }
        case 'cancelRotation': {
          const id = this.lastConnectionId;
          const entry = id ? this.loaded.get(id) : undefined;
          if (!id || !entry) return;
          return await this.followers.cancel(id, entry.session);
        }
        case 'save': {
          // Taken out of the message at once: nothing below keeps the message object.
          secret = message.form.secret?.kind === 'typed' ? message.form.secret.value : undefined;
          const form: FormInput = { ...message.form };
          message.form.secret = undefined;
          return await this.save(message.requestId, form);
        }
      }
    } catch (err) {
      const text = err instanceof ActionableError ? err.message : vscode.l10n.t('Something unexpected failed; see the output channel.');
      const known = secret ? [secret] : [];
      if (!(err instanceof ActionableError && err.kind === 'cancelled')) {
        this.deps.log.error(maskSecrets(`Key management form (${message.type}): ${err instanceof ActionableError ? err.detail : err instanceof Error ? (err.stack ?? err.message) : String(err)}`, known));
      }
      this.post({ type: 'error', requestId, message: maskSecrets(text, known) });
    }
  }

  private lastConnectionId: string | undefined;

  private async sendInit(): Promise<void> {
    const connections = await this.deps.listConnections();
    this.post({ type: 'init', connections: connections.map((c) => ({ id: c.id, label: c.label })), prefill: this.prefill, hsmHint: hsmHostHint(this.deps.cloud()) });
  }

  private async loadConnection(connectionId: string, requestId?: string): Promise<{ session: SecretServerSession; loaded: LoadedConnection }> {
    const connections = await this.deps.listConnections();
    if (!connections.some((c) => c.id === connectionId)) {
      throw new ActionableError(vscode.l10n.t('Opening the connection failed because it is not in the list of Secret Server connections; add it first.'), 'notFound');
    }
    this.lastConnectionId = connectionId;
    const session = await this.deps.getSession(connectionId);
    const loaded = await loadConnectionState(connectionId, session);
    const following = this.followers.latest(connectionId);
    if (following && (this.followers.isFollowing(connectionId) || !loaded.state.lastRotation)) {
      loaded.state.lastRotation = following.rotation;
      loaded.state.latestAudit = following.audit ?? loaded.state.latestAudit;
    }
    const entry = { session, loaded };
    this.loaded.set(connectionId, entry);
    this.post({ type: 'connectionState', requestId, state: loaded.state });
    return entry;
  }

  private async pickKey(): Promise<PickedKey | undefined> {
    if (this.deps.pickKey) return this.deps.pickKey();
    const cloud = this.deps.cloud();
    const rules = { dnsSuffix: cloud.managedHsmDnsSuffix, origins: cloud.managedHsmOrigins };
    const keyUrl = await vscode.window.showInputBox({
      title: vscode.l10n.t('Managed HSM key URL'),
      prompt: vscode.l10n.t('The key identifier, versioned or versionless: {0}', hsmHostHint(cloud)),
      ignoreFocusOut: true,
      validateInput: (v) => {
        const r = parseKeyIdentifier(v, rules);
        return r.ok ? undefined : r.reason;
      },
    });
    return keyUrl ? { keyUrl: keyUrl.trim() } : undefined;
  }

  private async save(requestId: string, form: FormInput): Promise<void> {
    if (this.saving) {
      this.post({ type: 'error', requestId, message: vscode.l10n.t('A save is already in progress; wait for it to finish.') });
      return;
    }
    this.saving = true;
    try {
      const connectionId = form.connectionId;
      // Always judge against fresh server state: health and rotation may have changed since opening.
      const entry = await this.loadConnection(connectionId);
      const outcome = await saveKeyManagement({ deps: this.deps, session: entry.session, loaded: entry.loaded, requestId, post: (m) => this.post(m) }, form);
      form.secret = undefined;
      if (!outcome.ok) {
        this.post({ type: 'fieldErrors', requestId, errors: outcome.errors, summary: outcome.summary });
        return;
      }
      this.deps.log.info(`Key management on ${connectionId} saved as ${outcome.config.typeName ?? 'an unnamed type'}; following maintenance mode and the secret key rotation.`);
      const label = (await this.deps.listConnections()).find((c) => c.id === connectionId)?.label ?? connectionId;
      const reloaded = await loadConnectionState(connectionId, entry.session);
      this.loaded.set(connectionId, { session: entry.session, loaded: reloaded });
      this.post({ type: 'saved', requestId, state: reloaded.state });
      this.deps.refreshConnection?.(connectionId);
      void this.followers.follow(connectionId, label, entry.session, outcome.since).catch((err: unknown) => {
        if (!(err instanceof ActionableError && err.kind === 'cancelled')) this.deps.log.error(`Following the secret key rotation on ${connectionId} failed: ${err instanceof Error ? err.message : String(err)}`);
      });
    } finally {
      this.saving = false;
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.loaded.clear();
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.disposedEmitter.fire();
    this.disposedEmitter.dispose();
  }
}
