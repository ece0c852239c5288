// Activation benchmark: the size of dist/extension.js, the time to load it and to run activate(),
// and which Node built-ins activation pulled in (no https/tls/crypto-heavy SDK code should run
// before a view or command needs it). VS Code itself is replaced by a do-nothing stand-in here
// only: it answers every call with another stand-in, so activate() runs its real code paths.
//
//   npm run build && npm run bench:activation      → bench/results/activation.json
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

const root = path.resolve(__dirname, '..');
const bundle = path.join(root, 'dist', 'extension.js');
const runs = Number(process.env.BENCH_RUNS ?? 10);
// Through Module._load (patched below), exactly as the extension host loads an extension.
const loadBundle = Module.createRequire(__filename);

/** A value that is callable, constructible and has every property, each again such a value. */
function standIn(name: string): unknown {
  const target = function () {} as unknown as Record<PropertyKey, unknown>;
  return new Proxy(target, {
    get(_t, prop) {
      if (prop === 'then') return undefined; // not a thenable
      if (prop === Symbol.toPrimitive) return () => name;
      if (prop === 'version') return '1.96.0';
      if (prop === 'dispose') return () => undefined;
      return standIn(`${name}.${String(prop)}`);
    },
    // Objects the extension configures (status bar items, decorations) accept any property.
    set: () => true,
    apply: () => standIn(`${name}()`),
    construct: () => standIn(`new ${name}`) as object,
  });
}

// esbuild copies a module's own properties into its namespace object, so the top level lists them.
const vscodeNames = ['window', 'workspace', 'commands', 'authentication', 'env', 'extensions', 'Uri', 'ThemeIcon', 'ThemeColor', 'EventEmitter', 'TreeItem', 'TreeItemCollapsibleState', 'CancellationError', 'MarkdownString', 'ConfigurationTarget', 'ProgressLocation', 'Disposable', 'languages', 'StatusBarAlignment', 'DiagnosticSeverity', 'Range', 'Position', 'Diagnostic', 'CodeLens', 'Hover', 'FileDecoration', 'RelativePattern', 'ExtensionMode'];

function vscodeStandIn(): Record<string, unknown> {
  // English, as VS Code runs by default: no translation bundle.
  const l10n = { bundle: undefined, uri: undefined, t: (message: string) => message };
  return Object.fromEntries([...vscodeNames.map((n) => [n, standIn(`vscode.${n}`)]), ['version', '1.96.0'], ['l10n', l10n]]);
}

interface ModuleWithLoad {
  _load(request: string, parent: unknown, isMain: boolean): unknown;
}

function measureOnce(): { loadMs: number; activateMs: number; builtins: string[] } {
  const loader = Module as unknown as ModuleWithLoad;
  const original = loader._load;
  const builtins = new Set<string>();
  loader._load = function (request: string, parent: unknown, isMain: boolean) {
    if (request === 'vscode') return vscodeStandIn();
    if (Module.isBuiltin(request)) builtins.add(request.replace(/^node:/, ''));
    return original.call(this, request, parent, isMain);
  };
  try {
    delete require.cache[bundle];
    const t0 = performance.now();
    const extension = loadBundle(bundle) as { activate(context: unknown): unknown };
    const t1 = performance.now();
    const context = { subscriptions: [] as unknown[], extensionUri: standIn('extensionUri'), secrets: standIn('secrets'), globalState: standIn('globalState') };
    extension.activate(context);
    const t2 = performance.now();
    return { loadMs: t1 - t0, activateMs: t2 - t1, builtins: [...builtins].sort() };
  } finally {
    loader._load = original;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function main(): void {
  if (!fs.existsSync(bundle)) throw new Error('dist/extension.js is missing: run npm run build first.');
  const samples = Array.from({ length: runs }, measureOnce);
  const result = {
    measuredAt: new Date().toISOString(),
    node: process.version,
    bundle: { path: 'dist/extension.js', bytes: fs.statSync(bundle).size },
    runs,
    // The first run includes reading and compiling the file; later runs hit V8's code cache less.
    firstLoadMs: round(samples[0].loadMs),
    medianLoadMs: round(median(samples.map((s) => s.loadMs))),
    medianActivateMs: round(median(samples.map((s) => s.activateMs))),
    builtinsRequiredAtActivation: samples[0].builtins,
    sdkCodeRanAtActivation: samples[0].builtins.some((b) => ['https', 'http', 'tls', 'http2'].includes(b)),
    note: 'vscode is a do-nothing stand-in; times are for this machine only and are never asserted.',
  };
  const out = path.join(root, 'bench', 'results', 'activation.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

main();
// activate() started the expiry watch's timers; the measurement is done.
process.exit(0);
