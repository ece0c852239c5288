import * as vscode from 'vscode';

// Long work runs under a cancellable notification; the token becomes the AbortSignal the Azure
// clients take, and a cancelled step ends the command silently (runCommand treats it as such).

export interface Step {
  signal: AbortSignal;
  report(message: string): void;
}

export function withSetupProgress<T>(title: string, work: (step: Step) => Promise<T>): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      try {
        const result = await work({ signal: controller.signal, report: (message) => progress.report({ message }) });
        if (token.isCancellationRequested) throw new vscode.CancellationError();
        return result;
      } catch (err) {
        if (token.isCancellationRequested) throw new vscode.CancellationError();
        throw err;
      } finally {
        subscription.dispose();
      }
    }),
  );
}
