import type { ExtensionApi } from '../../../src/extension';

// The error messages a command showed. The one error wrapper (src/commands/runCommand.ts) logs
// each shown message to the extension's log first, as "<what>: <message>[\n<detail>]"; the
// extension's own VS Code API object cannot be observed from a test, its log can. The log still
// writes as before.

export interface ErrorWatch {
  readonly lines: string[];
  mark(): number;
  dispose(): void;
}

export function watchErrors(api: ExtensionApi): ErrorWatch {
  const log = api.services.log as { error(message: string): void };
  const original = log.error.bind(log);
  const lines: string[] = [];
  log.error = (message: string) => {
    lines.push(message);
    original(message);
  };
  return {
    lines,
    mark: () => lines.length,
    dispose: () => {
      log.error = original;
    },
  };
}

/** The first lines (the sentence shown) of the errors logged since `mark`. */
export function errorsShown(watch: ErrorWatch, mark: number): string[] {
  return watch.lines.slice(mark).map((l) => l.split('\n')[0]);
}
