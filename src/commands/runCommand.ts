import * as vscode from 'vscode';
import { ActionableError } from '../core/actionableError';
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
  void vscode.window.showErrorMessage(maskSecrets(e.message));
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
        return await handler(...args);
      } catch (err) {
        reportError(log, err, what);
        return undefined;
      }
    }),
  );
}
