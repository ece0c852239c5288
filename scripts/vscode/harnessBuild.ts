import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { repoRoot, signinExtensionDir } from './paths';

/**
 * Set by `npm test` (scripts/test/runAll.ts), which builds dist/ and the sign-in extension once
 * before the two VS Code suites start side by side: neither then rewrites files the other's
 * VS Code is loading.
 */
const prebuilt = process.env.MHSM_HARNESS_PREBUILT === '1';

/** `npm run build`: the extension's own bundle (dist/extension.js), as a user's build makes it. */
export async function buildExtension(): Promise<void> {
  if (prebuilt) return;
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`npm run build exited with ${code}`);
}

/** sandbox-signin/src → sandbox-signin/dist/extension.js */
export async function buildSandboxSignin(): Promise<void> {
  if (prebuilt) return;
  await build({
    entryPoints: [path.join(signinExtensionDir, 'src', 'extension.ts')],
    outfile: path.join(signinExtensionDir, 'dist', 'extension.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    sourcemap: true,
    logLevel: 'warning',
  });
}

export const extensionTestsOutDir = path.join(repoRoot, 'out', 'test', 'extension');

/**
 * Bundles test/extension's index.ts and every *.test.ts into out/test/extension/, one bundle per
 * file with mocha inside index.js, so the extension host needs nothing from node_modules at run
 * time — neither in code-server nor in @vscode/test-electron's desktop VS Code.
 */
export async function buildExtensionTests(): Promise<void> {
  const sourceDir = path.join(repoRoot, 'test', 'extension');
  const entryPoints = (fs.readdirSync(sourceDir, { recursive: true }) as string[])
    .filter((f) => f === 'index.ts' || f.endsWith('.test.ts'))
    .map((f) => path.join(sourceDir, f));
  // The fault-injection suites (test/reliability/host) run in the same host, after these.
  const reliabilityDir = path.join(repoRoot, 'test', 'reliability', 'host');
  const reliability = fs.existsSync(reliabilityDir) ? fs.readdirSync(reliabilityDir).filter((f) => f.endsWith('.test.ts')).map((f) => ({ in: path.join(reliabilityDir, f), out: path.join('reliability', f.replace(/\.ts$/, '')) })) : [];
  fs.rmSync(extensionTestsOutDir, { recursive: true, force: true });
  await build({
    entryPoints: [...entryPoints.map((f) => ({ in: f, out: path.relative(sourceDir, f).replace(/\.ts$/, '') })), ...reliability],
    outdir: extensionTestsOutDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'warning',
    // mocha's parallel mode resolves worker files at run time; the suites run serially.
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
}

if (require.main === module) {
  // `npx tsx scripts/vscode/harnessBuild.ts`: the product and the sandbox sign-in extension.
  Promise.all([buildExtension(), buildSandboxSignin()]).catch((err: unknown) => {
    console.error((err as Error).message);
    process.exit(1);
  });
}
