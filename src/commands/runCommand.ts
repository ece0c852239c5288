import * as vscode from 'vscode';
import { ActionableError } from '../core/actionableError';
import { plainMessageText } from '../core/markdownText';
import { maskSecrets } from '../core/secretMask';
import type { Logger } from '../services';

// The one error wrapper around every command and tree load: cancellation is silent, an
// ActionableError shows its sentence, anything else a generic one; the detail (masked) goes to
// the output channel.

export function isCancellation(err: unknown): boolean {
  if (err instanceof ActionableError) return err.kind === 'cancelled';
  if (err instanceof vscode.CancellationError) return true;
  const name = (err as { name?: unknown } | undefined)?.name;
  return name === 'Canceled' || name === 'AbortError';
}

/** The error as the user should read it, with its detail for the log. */
export function toUserError(err: unknown, what: string): ActionableError {
  if (err instanceof ActionableError) return err;
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return new ActionableError(vscode.l10n.t('Could not {0}: an unexpected error occurred; see the output channel for details.', what), 'unexpected', maskSecrets(detail));
}

/** Logs an error (masked) and shows it, unless it is a cancellation. */
export function reportError(log: Logger, err: unknown, what: string): void {
  if (isCancellation(err)) {
    log.info(`${what}: cancelled.`);
    return;
  }
  const e = toUserError(err, what);
  log.error(`${what}: ${e.message}${e.detail && e.detail !== e.message ? `\n${e.detail}` : ''}`);
  // The sentence may quote a server's message or a name: no link may form in it.
  void vscode.window.showErrorMessage(plainMessageText(maskSecrets(e.message)));
}

/** Told of each command that ended without an error, with what it returned. */
export type CommandCompletionListener = (id: string, result: unknown) => void;

// Per extension context (not a module-wide list), so each activation has its own listeners.
const completionListeners = new WeakMap<vscode.ExtensionContext, Set<CommandCompletionListener>>();

/** The walkthrough re-checks its steps when a command finishes; a listener cannot fail the command. */
export function onDidCompleteCommand(context: vscode.ExtensionContext, listener: CommandCompletionListener): vscode.Disposable {
  let listeners = completionListeners.get(context);
  if (!listeners) completionListeners.set(context, (listeners = new Set()));
  listeners.add(listener);
  return new vscode.Disposable(() => listeners.delete(listener));
}

function completed(context: vscode.ExtensionContext, log: Logger, id: string, result: unknown): void {
  for (const listener of [...(completionListeners.get(context) ?? [])]) {
    try {
      listener(id, result);
    } catch (err) {
      log.warn(`After ${id}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/** Registers a command whose failures go through reportError. */
export function registerCommand(
  context: vscode.ExtensionContext,
  log: Logger,
  id: string,
  what: string,
  handler: (...args: unknown[]) => unknown,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        const result = await handler(...args);
        completed(context, log, id, result);
        return result;
      } catch (err) {
        reportError(log, err, what);
        return undefined;
      }
    }),
  );
}
