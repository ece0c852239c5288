// Bundles the extension host code (`vscode` is provided by the host at run time) and the
// webview page, which runs in the browser and reaches VS Code only through postMessage.
import process from 'node:process';
import { build } from 'esbuild';

const production = process.argv.includes('--production');

await build({
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
  metafile: false,
});

await build({
  entryPoints: { keyManagementForm: 'webview-ui/keyManagementForm.ts' },
  outdir: 'dist/webview',
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'chrome120',
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
  metafile: false,
});

// The page's stylesheet is a file of its own (the CSP allows no inline style).
await build({
  entryPoints: { keyManagementForm: 'webview-ui/keyManagementForm.css' },
  outdir: 'dist/webview',
  bundle: true,
  minify: production,
  logLevel: 'warning',
});
