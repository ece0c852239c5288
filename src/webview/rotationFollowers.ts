import * as vscode from 'vscode';
import { ActionableError } from '../core/actionableError';
import { plainMessageText } from '../core/markdownText';
import { maskSecrets } from '../core/secretMask';
import type { AuditView, RotationView } from '../protocol/keyManagementForm';
import { getKeyManagementAudit } from '../secretServer/keyManagement';
import { getReadOnlyMode } from '../secretServer/readOnlyMode';
import { cancelRotation, followRotation } from '../secretServer/rotation';
import type { RotationStatus } from '../secretServer/rotationProgress';
import type { SecretServerSession } from '../secretServer/session';
import type { KeyManagementFormDeps } from './keyManagementFormDeps';
import { auditView, describeAudit, describeRotation, rotationView } from './rotationView';

// Follows secret key rotations in the extension host, one per connection, under a progress
// notification with Cancel. It outlives the form: closing the page only stops listening. The
// form and the Rotate Secret Keys command share one instance, so both show the same run.

export interface RotationUpdate {
  connectionId: string;
  rotation: RotationView;
  audit?: AuditView;
}

export class RotationFollowers implements vscode.Disposable {
  private readonly running = new Map<string, { session: SecretServerSession; done: Promise<RotationUpdate> }>();
  private readonly latestByConnection = new Map<string, RotationUpdate>();
  private readonly emitter = new vscode.EventEmitter<RotationUpdate>();
  private readonly stopAll = new AbortController();
  readonly onDidUpdate = this.emitter.event;

  constructor(private readonly deps: KeyManagementFormDeps) {}

  isFollowing(connectionId: string): boolean {
    return this.running.has(connectionId);
  }

  latest(connectionId: string): RotationUpdate | undefined {
    return this.latestByConnection.get(connectionId);
  }

  /**
   * Follows the connection's rotation to its end. `since` is the status read before the run was
   * requested, so the previous run's result is not taken for this one's. A second call for the
   * same connection joins the first.
   */
  follow(connectionId: string, connectionLabel: string, session: SecretServerSession, since?: RotationStatus): Promise<RotationUpdate> {
    const existing = this.running.get(connectionId);
    if (existing) return existing.done;
    const done = this.run(connectionId, connectionLabel, session, since).finally(() => this.running.delete(connectionId));
    this.running.set(connectionId, { session, done });
    return done;
  }

  /** Asks the server to stop the rotation; the follower keeps going until the server says it ended. */
  async cancel(connectionId: string, session?: SecretServerSession): Promise<void> {
    const s = session ?? this.running.get(connectionId)?.session;
    if (!s) throw new ActionableError(vscode.l10n.t('Cancelling the secret key rotation failed because no rotation is being followed for this connection; refresh the form.'), 'notFound');
    this.deps.log.info(`Secret key rotation on ${connectionId}: cancel requested.`);
    await cancelRotation(s);
  }

  private publish(update: RotationUpdate): void {
    this.latestByConnection.set(update.connectionId, update);
    this.emitter.fire(update);
  }

  private run(connectionId: string, label: string, session: SecretServerSession, since?: RotationStatus): Promise<RotationUpdate> {
    const log = this.deps.log;
    return Promise.resolve(
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Secret key rotation on {0}', label), cancellable: true },
        async (progress, token) => {
          const cancelling = token.onCancellationRequested(() => {
            this.cancel(connectionId, session).catch((err: unknown) => log.warn(maskSecrets(`Cancelling the secret key rotation failed: ${err instanceof Error ? err.message : String(err)}`)));
          });
          let reported = 0;
          let last: RotationView | undefined;
          try {
            const maintenance = await getReadOnlyMode(session).catch(() => undefined);
            for await (const p of followRotation(session, { since, pollIntervalMs: this.deps.rotationPollMs ?? 2000, cancellation: this.stopAll.signal })) {
              last = rotationView(p, maintenance);
              const percent = last.percent ?? (last.done && last.state === 'succeeded' ? 100 : reported);
              progress.report({ message: describeRotation(last), increment: Math.max(0, percent - reported) });
              reported = Math.max(reported, percent);
              if (!last.done) this.publish({ connectionId, rotation: last });
            }
          } finally {
            cancelling.dispose();
          }
          const maintenanceAfter = await getReadOnlyMode(session).catch(() => undefined);
          const audit = await getKeyManagementAudit(session, { take: 1 })
            .then((page) => auditView(page.records[0]))
            .catch(() => undefined);
          const final: RotationView = { ...(last ?? { state: 'ended', done: true }), maintenanceMode: maintenanceAfter };
          const update: RotationUpdate = { connectionId, rotation: final, audit };
          this.publish(update);
          log.info(`Secret key rotation on ${connectionId}: ${describeRotation(final)}${describeAudit(audit) ? `; audit: ${describeAudit(audit)}` : ''}.`);
          this.deps.refreshConnection?.(connectionId);
          // Secret Server's own status text is part of it: no link may form in the message.
          const text = plainMessageText(`${label}: ${describeRotation(final)}.`);
          if (final.state === 'failed') void vscode.window.showErrorMessage(text);
          else if (final.state === 'cancelled' || final.state === 'ended') void vscode.window.showWarningMessage(text);
          else void vscode.window.showInformationMessage(text);
          return update;
        },
      ),
    );
  }

  dispose(): void {
    this.stopAll.abort();
    this.emitter.dispose();
  }
}
