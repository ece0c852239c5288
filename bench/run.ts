import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { benchReadiness } from './readiness';
import { benchRealVsCode } from './realVsCode';
import type { BudgetLine } from './stats';
import { benchTreeListing } from './treeListing';

// `npm run bench`: every benchmark of the project, the budgets kept or missed, written to
// bench/results/summary.json and bench/results/summary.md. Timings are never asserted; a missed
// budget is reported, not failed. `--only name,name` runs a subset (activation, editorScan,
// treeListing, readiness, vscode).

const root = path.resolve(__dirname, '..');
const results = path.join(root, 'bench', 'results');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const wanted = (name: string) => !only || only.includes(name);
const log = (line: string) => console.log(line);

function node(args: string[]): void {
  execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
}

function kb(bytes: number): string {
  return `${Math.round(bytes / 1024)} KB`;
}

async function main(): Promise<void> {
  const started = Date.now();
  const budgets: BudgetLine[] = [];
  const summary: Record<string, unknown> = { measuredAt: new Date().toISOString(), node: process.version, cpus: os.cpus().length, loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100) };

  log('building the production bundle…');
  node([path.join(root, 'esbuild.mjs'), '--production']);
  const size = (f: string) => fs.statSync(path.join(root, 'dist', f)).size;
  // Source maps a development build left behind are not part of what the page loads.
  const webview = fs.readdirSync(path.join(root, 'dist', 'webview')).filter((f) => !f.endsWith('.map')).reduce((n, f) => n + size(path.join('webview', f)), 0);
  summary.bundle = { extensionJs: size('extension.js'), azureSdkJs: size('azure-sdk.js'), webview };
  budgets.push({ benchmark: 'Main bundle dist/extension.js (minified)', measured: `${kb(size('extension.js'))}; lazily loaded: azure-sdk.js ${kb(size('azure-sdk.js'))}, webview ${kb(webview)}`, budget: '< 400 KB', kept: size('extension.js') < 400 * 1024 });

  if (wanted('activation')) {
    log('activation (Node, VS Code stand-in)…');
    node(['--import', 'tsx', path.join(root, 'bench', 'activation.ts')]);
    const a = JSON.parse(fs.readFileSync(path.join(results, 'activation.json'), 'utf8')) as { medianActivateMs: number; sdkCodeRanAtActivation: boolean; builtinsRequiredAtActivation: string[] };
    summary.activation = a;
    budgets.push({ benchmark: 'activate() with a VS Code stand-in (median)', measured: `${a.medianActivateMs} ms`, budget: '< 15 ms', kept: a.medianActivateMs < 15 });
    budgets.push({ benchmark: 'Azure SDKs not loaded at activation', measured: a.sdkCodeRanAtActivation ? 'https/tls loaded' : `none (built-ins: ${a.builtinsRequiredAtActivation.join(', ')})`, budget: 'no SDK code', kept: !a.sdkCodeRanAtActivation });
  }
  if (wanted('editorScan')) {
    log('editor scan of 2,000 files…');
    node(['--expose-gc', '--import', 'tsx', path.join(root, 'bench', 'editorScan.ts')]);
    const e = JSON.parse(fs.readFileSync(path.join(results, 'editorScan.json'), 'utf8')) as { worstLongestTaskCpuMs: number; worstLongestTaskWallMs: number; budgetMs: number };
    summary.editorScan = e;
    budgets.push({ benchmark: 'Editor scan, 2,000 files: longest extension-host task', measured: `${e.worstLongestTaskWallMs} ms wall (${e.worstLongestTaskCpuMs} ms CPU), worst run`, budget: `< ${e.budgetMs} ms`, kept: e.worstLongestTaskWallMs < e.budgetMs });
  }
  if (wanted('treeListing')) {
    const t = await benchTreeListing(log);
    summary.treeListing = t;
    budgets.push(...t.budgets);
  }
  if (wanted('readiness')) {
    const r = await benchReadiness(log);
    summary.readiness = r;
    budgets.push(...r.budgets);
  }
  if (wanted('vscode')) {
    const v = await benchRealVsCode(log);
    summary.realVsCode = v;
    budgets.push(...v.budgets);
  }

  summary.durationSeconds = Math.round((Date.now() - started) / 1000);
  summary.budgets = budgets;
  fs.mkdirSync(results, { recursive: true });
  fs.writeFileSync(path.join(results, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const table = [
    `# Benchmark results`,
    '',
    `\`npm run bench\` on ${summary.measuredAt as string} — Node ${process.version}, ${os.cpus().length} CPUs, load average at start ${(summary.loadAverageAtStart as number[]).join(' / ')}; ${summary.durationSeconds as number} s in all. Raw figures: summary.json.`,
    '',
    '| Benchmark | Latency | Measured | Baseline | Ratio | Budget | Kept |',
    '|---|---|---|---|---|---|---|',
    ...budgets.map((b) => `| ${b.benchmark} | ${b.latencyMs === undefined ? '' : `${b.latencyMs} ms`} | ${b.measured} | ${b.baseline ?? ''} | ${b.ratio === undefined ? '' : `${b.ratio}×`} | ${b.budget} | ${b.kept ? 'yes' : '**no**'} |`),
    '',
  ].join('\n');
  fs.writeFileSync(path.join(results, 'summary.md'), table);
  console.log(`\n${table}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
