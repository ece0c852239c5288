// The pinned pieces of the real-VS-Code harness (shared/reference/vscode-e2e.md). Changing one
// makes install.ts reinstall that piece on the next run.
export const codeServerVersion = '4.139.1';
/** code-server 4.139.x refuses to run on anything but Node 24, which comes from the npm registry. */
export const node24Version = '24.22.3';
export const vscodeVersion = '1.139.1';
