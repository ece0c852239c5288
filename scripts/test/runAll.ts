// `npm test`: every check and test suite, in three lanes that run side by side, then a table of
// where the time went and one closing line ("N passed, N failed").
//
//   lane "checks":   lint → typecheck → build → unit → fuzz → integration
//   lane "vscode":   install (code-server, Node 24, Chromium) → extension-host suite
//   lane "ui":       (after install and build) UI suite
//
// The lanes overlap the work that waits (code-server's native compile, sandbox round trips,
// rotations) with the work that computes; each suite keeps its own sandbox, VS Code and browser,
// and the two VS Code suites open workspaces of their own. A lane stops at its first failure;
// the others finish, so one run reports every failing suite.
//
//   npm test                      # everything
//   npm test -- --only unit,fuzz  # some suites (names as in the table)
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../vscode/paths';
import { testResultsDir } from '../vscode/testWorkspace';

interface Suite {
  name: string;
  command: string[];
  /** Whether its output names tests passed and failed (mocha's summary lines). */
  counts: boolean;
  env?: Record<string, string>;
}

interface Outcome {
  name: string;
  lane: string;
  ok: boolean;
  seconds: number;
  passed?: number;
  failed?: number;
  pending?: number;
  log: string;
}

const npm = (script: string): string[] => ['npm', 'run', '--silent', script];

// The harness suites rebuild nothing: "build" made dist/ once, before either starts, so neither
// rewrites files the other's VS Code is serving.
const prebuilt = { MHSM_HARNESS_PREBUILT: '1' };

const extensionWorkspace = path.join(testResultsDir, 'extension', 'workspace');

const lanes: Record<string, Suite[]> = {
  checks: [
    { name: 'lint', command: npm('lint'), counts: false },
    { name: 'typecheck', command: npm('typecheck'), counts: false },
    { name: 'build', command: ['npx', 'tsx', 'scripts/vscode/harnessBuild.ts'], counts: false },
    { name: 'unit', command: npm('test:unit'), counts: true },
    { name: 'fuzz', command: npm('test:fuzz'), counts: true },
    { name: 'integration', command: npm('test:integration'), counts: true },
  ],
  vscode: [
    { name: 'install', command: ['npx', 'tsx', 'scripts/vscode/install.ts', '--chromium'], counts: false },
    { name: 'extension-host', command: npm('test:extension'), counts: true, env: { ...prebuilt, MHSM_TEST_WORKSPACE: extensionWorkspace } },
  ],
  ui: [{ name: 'ui', command: npm('test:e2e'), counts: true, env: prebuilt }],
};

/** What a lane waits for before its first suite: the UI suite needs VS Code installed and dist/ built. */
const laneNeeds: Record<string, string[]> = { checks: [], vscode: [], ui: ['install', 'build'] };

// eslint-disable-next-line no-control-regex -- the ANSI colour codes mocha writes
const ansi = /\x1b\[[0-9;]*m/g;

function lastCount(text: string, word: string): number | undefined {
  const matches = [...text.matchAll(new RegExp(`^\\s*(\\d+) ${word}\\b`, 'gm'))];
  return matches.length ? Number(matches[matches.length - 1][1]) : undefined;
}

function run(suite: Suite, lane: string, prefix: string): Promise<Outcome> {
  const logDir = path.join(testResultsDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const log = path.join(logDir, `${suite.name}.log`);
  const out = fs.createWriteStream(log);
  const started = Date.now();
  let text = '';
  let pendingLine = '';
  return new Promise((resolve) => {
    const child = spawn(suite.command[0], suite.command.slice(1), { cwd: repoRoot, env: { ...process.env, ...suite.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const take = (chunk: Buffer) => {
      const s = chunk.toString('utf8');
      out.write(s);
      text += s.replace(ansi, '');
      // Whole lines, each with the suite's name, so lanes that run together stay readable.
      const lines = (pendingLine + s).split('\n');
      pendingLine = lines.pop() ?? '';
      for (const line of lines) process.stdout.write(`${prefix}${line}\n`);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const finish = (code: number | null, error?: Error) => {
      if (pendingLine) process.stdout.write(`${prefix}${pendingLine}\n`);
      if (error) process.stdout.write(`${prefix}could not start: ${error.message}\n`);
      out.end();
      const passed = suite.counts ? lastCount(text, 'passing') : undefined;
      const failed = suite.counts ? (lastCount(text, 'failing') ?? (passed !== undefined ? 0 : undefined)) : undefined;
      resolve({ name: suite.name, lane, ok: code === 0 && !error, seconds: (Date.now() - started) / 1000, passed, failed, pending: suite.counts ? lastCount(text, 'pending') : undefined, log });
    };
    child.on('error', (err) => finish(null, err));
    child.on('exit', (code) => finish(code));
  });
}

function minutes(seconds: number): string {
  // Whole seconds first, so 719.6 s reads "12 min 00 s", not "11 min 60 s".
  const whole = Math.round(seconds);
  const m = Math.floor(whole / 60);
  const s = whole - m * 60;
  return m ? `${m} min ${String(s).padStart(2, '0')} s` : `${s} s`;
}

async function main(): Promise<number> {
  const onlyArg = process.argv.indexOf('--only');
  const only = onlyArg >= 0 ? new Set((process.argv[onlyArg + 1] ?? '').split(',').filter(Boolean)) : undefined;
  const started = Date.now();
  // A fresh copy of test/e2e/workspace for the extension-host suite, made when it starts.
  fs.rmSync(extensionWorkspace, { recursive: true, force: true });
  const outcomes: Outcome[] = [];
  const done = new Map<string, Promise<Outcome | undefined>>();
  const width = Math.max(...Object.values(lanes).flat().map((s) => s.name.length));
  const waiting = new Map<string, (o: Outcome | undefined) => void>();
  for (const suite of Object.values(lanes).flat()) done.set(suite.name, new Promise((resolve) => waiting.set(suite.name, resolve)));

  const runLane = async (lane: string, suites: Suite[]) => {
    let failedBefore = false;
    for (const need of laneNeeds[lane]) {
      const o = await done.get(need);
      if (o && !o.ok) failedBefore = true;
    }
    for (const suite of suites) {
      if (failedBefore || (only && !only.has(suite.name))) {
        waiting.get(suite.name)?.(undefined);
        continue;
      }
      process.stdout.write(`${suite.name.padEnd(width)} │ ▶ ${suite.command.join(' ')}\n`);
      const outcome = await run(suite, lane, `${suite.name.padEnd(width)} │ `);
      outcomes.push(outcome);
      process.stdout.write(`${suite.name.padEnd(width)} │ ${outcome.ok ? '✔' : '✘'} ${minutes(outcome.seconds)}${outcome.ok ? '' : ` — full output in ${path.relative(repoRoot, outcome.log)}`}\n`);
      waiting.get(suite.name)?.(outcome);
      if (!outcome.ok) failedBefore = true;
    }
  };
  await Promise.all(Object.entries(lanes).map(([lane, suites]) => runLane(lane, suites)));

  const total = (Date.now() - started) / 1000;
  const order = Object.values(lanes).flat().map((s) => s.name);
  outcomes.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  console.log('');
  console.log('| suite | lane | wall time | tests | result |');
  console.log('|---|---|---|---|---|');
  for (const o of outcomes) {
    const tests = o.passed === undefined ? '' : `${o.passed} passed, ${o.failed ?? 0} failed${o.pending ? `, ${o.pending} pending` : ''}`;
    console.log(`| ${o.name} | ${o.lane} | ${minutes(o.seconds)} | ${tests} | ${o.ok ? 'ok' : 'FAILED'} |`);
  }
  const skipped = order.filter((n) => !outcomes.some((o) => o.name === n) && (!only || only.has(n)));
  console.log(`| all | | ${minutes(total)} | | ${outcomes.every((o) => o.ok) && skipped.length === 0 ? 'ok' : 'FAILED'} |`);
  if (skipped.length) console.log(`Not run after an earlier failure: ${skipped.join(', ')}.`);
  const passed = outcomes.reduce((n, o) => n + (o.passed ?? 0), 0);
  const failed = outcomes.reduce((n, o) => n + (o.failed ?? (o.ok ? 0 : 1)), 0) + skipped.length;
  console.log('');
  console.log(`${passed} passed, ${failed} failed`);
  return outcomes.every((o) => o.ok) && skipped.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error((err as Error).stack ?? String(err));
    process.exit(1);
  },
);
