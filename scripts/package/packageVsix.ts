// `npm run package`: the production bundles and a .vsix made by @vscode/vsce, checked against the
// allow-list of scripts/package/vsixContents.ts, with its size and file count printed and written
// to dist-package/package-report.json.
//
// The bundles are built into a staging folder (dist-package/stage/) together with the few files
// the package takes, and vsce runs there: the development build in dist/ (with its source maps)
// is neither packaged nor overwritten, so packaging in the middle of a test run changes nothing.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../vscode/paths';
import { vsixContentProblems, requiredEntries } from './vsixContents';
import { zipListing } from './zipListing';

export const packageOutDir = path.join(repoRoot, 'dist-package');
const stageDir = path.join(packageOutDir, 'stage');
export const packageReportFile = path.join(packageOutDir, 'package-report.json');

/** The top-level files and folders the staging copy takes; .vscodeignore then filters inside them. */
const stagedEntries = ['package.json', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE', 'media', 'l10n'];

export interface PackageReport {
  vsix: string;
  bytes: number;
  /** Files of the extension (under `extension/`), without vsce's two manifest files. */
  extensionFiles: number;
  /** Every entry of the zip. */
  zipEntries: number;
  files: { path: string; bytes: number }[];
}

async function run(command: string, args: string[], cwd: string): Promise<void> {
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`${path.basename(command)} ${args.join(' ')} exited with ${code}`);
}

function stage(): void {
  fs.rmSync(stageDir, { recursive: true, force: true });
  fs.mkdirSync(stageDir, { recursive: true });
  const names = [...stagedEntries, ...fs.readdirSync(repoRoot).filter((f) => /^package\.nls(\.[\w-]+)?\.json$/.test(f))];
  for (const name of names) {
    const from = path.join(repoRoot, name);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(stageDir, name), { recursive: true });
  }
}

/** Builds, packages and checks; throws when vsce fails or the .vsix holds what it must not. */
export async function packageVsix(): Promise<PackageReport> {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  stage();
  await run(process.execPath, [path.join(repoRoot, 'esbuild.mjs'), '--production', `--outdir=${path.join(stageDir, 'dist')}`], repoRoot);
  const vsix = path.join(packageOutDir, `${manifest.name}-${manifest.version}.vsix`);
  fs.rmSync(vsix, { force: true });
  // --no-dependencies: the bundles carry what they need, so vsce must not add node_modules.
  await run(path.join(repoRoot, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--out', vsix], stageDir);

  const entries = zipListing(vsix);
  const names = entries.map((e) => e.name);
  const problems = vsixContentProblems(names);
  const missing = requiredEntries.filter((r) => !names.includes(r));
  if (problems.length || missing.length) {
    throw new Error(
      [`${vsix} does not hold what it should:`, ...problems.map((p) => `  ${p.path} ${p.problem}`), ...missing.map((m) => `  ${m} is missing`)].join('\n'),
    );
  }
  const report: PackageReport = {
    vsix: path.relative(repoRoot, vsix),
    bytes: fs.statSync(vsix).size,
    extensionFiles: names.filter((n) => n.startsWith('extension/')).length,
    zipEntries: entries.length,
    files: entries.map((e) => ({ path: e.name, bytes: e.size })),
  };
  fs.writeFileSync(packageReportFile, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

if (require.main === module) {
  packageVsix().then(
    (r) => {
      for (const f of r.files) console.log(`  ${String(f.bytes).padStart(9)}  ${f.path}`);
      console.log(`${r.vsix}: ${(r.bytes / 1024).toFixed(1)} KB, ${r.extensionFiles} extension files (${r.zipEntries} zip entries); report in ${path.relative(repoRoot, packageReportFile)}`);
    },
    (err: unknown) => {
      console.error((err as Error).message);
      process.exit(1);
    },
  );
}
