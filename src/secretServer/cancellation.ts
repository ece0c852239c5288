import * as l10n from '@vscode/l10n';
import { ActionableError } from '../core/actionableError';

// Long operations accept either a standard AbortSignal or anything shaped like VS Code's
// CancellationToken, so the extension can pass `withProgress`'s token without this layer
// importing 'vscode'.

export interface CancellationTokenLike {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

export type Cancellation = AbortSignal | CancellationTokenLike;

export function toAbortSignal(cancellation: Cancellation | undefined): AbortSignal | undefined {
  if (cancellation === undefined || cancellation instanceof AbortSignal) return cancellation;
  const controller = new AbortController();
  if (cancellation.isCancellationRequested) controller.abort();
  else cancellation.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

export function cancelledError(what: string): ActionableError {
  return new ActionableError(l10n.t('{0} was cancelled.', what), 'cancelled');
}

/** The part of AbortSignal these helpers use (core-rest-pipeline hands out an AbortSignalLike). */
export interface AbortSignalish {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export function throwIfCancelled(signal: AbortSignalish | undefined, what: string): void {
  if (signal?.aborted) throw cancelledError(what);
}

/** Waits, or rejects with a 'cancelled' ActionableError as soon as the signal aborts. */
export function delay(ms: number, signal: AbortSignalish | undefined, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError(what));
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelledError(what));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
