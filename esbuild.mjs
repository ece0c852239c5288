// Bundles the extension host code (`vscode` is provided by the host at run time) and the
// webview page, which runs in the browser and reaches VS Code only through postMessage.
import process from 'node:process';
import { build } from 'esbuild';

const production = process.argv.includes('--production');
// `npm run package` builds into a staging folder, so packaging leaves the development build alone.
const outRoot = process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist';

// The Azure SDKs (with MSAL, ~600 KB minified) live in dist/azure-sdk.js, apart from the main
// bundle: VS Code reads and compiles dist/extension.js on every activation, but the SDK file only
// when a view or command first talks to Azure. Each package behind a getter, so the first use of
// one SDK does not evaluate the others.
const azureSdkFile = './azure-sdk.js';
const azurePackages = new Set();

/** In the main bundle, `@azure/x` becomes a lookup in dist/azure-sdk.js. */
const azureSdkApart = {
  name: 'azure-sdk-apart',
  setup(b) {
    b.onResolve({ filter: /^@azure\// }, (args) => {
      azurePackages.add(args.path);
      return { path: args.path, namespace: 'azure-sdk' };
    });
    b.onResolve({ filter: /^\.\/azure-sdk\.js$/, namespace: 'azure-sdk' }, (args) => ({ path: args.path, external: true }));
    b.onLoad({ filter: /.*/, namespace: 'azure-sdk' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(azureSdkFile)})[${JSON.stringify(args.path)}];`,
      loader: 'js',
    }));
  },
};

const nodeBundle = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
};

await build({ ...nodeBundle, entryPoints: ['src/extension.ts'], outfile: `${outRoot}/extension.js`, plugins: [azureSdkApart] });

await build({
  ...nodeBundle,
  stdin: {
    contents: [...azurePackages]
      .sort()
      .map((name) => `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, get: () => require(${JSON.stringify(name)}) });`)
      .join('\n'),
    resolveDir: process.cwd(),
    sourcefile: 'azure-sdk.js',
    loader: 'js',
  },
  outfile: `${outRoot}/azure-sdk.js`,
});

await build({
  entryPoints: { keyManagementForm: 'webview-ui/keyManagementForm.ts' },
  outdir: `${outRoot}/webview`,
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
  outdir: `${outRoot}/webview`,
  bundle: true,
  minify: production,
  logLevel: 'warning',
});
