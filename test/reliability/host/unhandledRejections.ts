/**
 * The extension host's unhandled rejections while a suite runs: a command that forgets a promise
 * under a fault shows up here rather than nowhere.
 */
export function unhandledRejections(): { readonly reasons: unknown[]; start(): void; stop(): void } {
  const reasons: unknown[] = [];
  const listener = (reason: unknown) => reasons.push(reason);
  return {
    reasons,
    start: () => process.on('unhandledRejection', listener),
    stop: () => process.off('unhandledRejection', listener),
  };
}
