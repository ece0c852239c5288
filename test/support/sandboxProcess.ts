import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The fields of the sandbox's endpoints.json that tests use. */
export interface SandboxEndpoints {
  ca: string;
  tenantId: string;
  authorityHost: string;
  armEndpoint: string;
  graphEndpoint: string;
  control: string;
  subscriptions: { id: string; name: string }[];
  hsms: { name: string; resourceGroup: string; subscriptionId: string; location: string; uri: string; activated: boolean }[];
  admin: { clientId: string; clientSecret: string; objectId: string; username: string; password: string; userObjectId: string };
  expiringApp: { clientId: string; clientSecret: string; objectId: string; displayName: string };
  /** A user without any Microsoft Graph consent. */
  operator: { username: string; password: string; objectId: string };
  publicClientIds: Record<string, string>;
  /** A tenant the admin is a guest of, whose Conditional Access requires MFA. */
  mfaTenant?: { id: string; name: string; defaultDomain: string };
  /** The emulated Secret Server: its origin, its Azure region and its seeded users. */
  secretServer: {
    url: string;
    region: string;
    users: { username: string; password: string; otpSecret?: string; canManageKeys: boolean }[];
  };
  [key: string]: unknown;
}

export interface SandboxHandle {
  endpoints: SandboxEndpoints;
  caPem: string;
  stateDir: string;
  /** Calls the control API (/_sandbox/...) and returns the parsed JSON. */
  control(method: string, route: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** sha256 of the whole persisted state. */
  digest(): Promise<string>;
  stop(): Promise<void>;
  /** Sends SIGTERM and waits for the exit, keeping the state directory. */
  stopProcess(): Promise<void>;
  /** Stops the process (SIGTERM) and starts it again on the same state directory. */
  restart(): Promise<void>;
  output(): string;
  /** The launcher's process id (the sandbox itself runs in a child of it). */
  readonly pid: number | undefined;
}

const root = path.resolve(__dirname, '..', '..');

/**
 * Starts the sandbox as its own process, exactly as `npm run sandbox` does, on free ports and a
 * fresh state directory, and waits for endpoints.json.
 */
export async function startSandboxProcess(args: string[] = [], stateDir?: string, options: { requestLog?: boolean } = {}): Promise<SandboxHandle> {
  const dir = stateDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mhsm-sandbox-'));
  let child: ChildProcess;
  let output = '';
  let endpoints: SandboxEndpoints;
  let caPem: string;

  const launch = async () => {
    output = '';
    // Never mistake the last run's file for this run's readiness.
    fs.rmSync(path.join(dir, 'endpoints.json'), { force: true });
    const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
    // With requestLog the sandbox prints one line per request (`[service] METHOD path -> status`) into output().
    const quiet = options.requestLog ? [] : ['--quiet'];
    child = spawn(tsx, [path.join(root, 'sandbox', 'main.ts'), '--state-dir', dir, '--port', '0', ...quiet, ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env },
    });
    child.stdout?.on('data', (d) => (output += String(d)));
    child.stderr?.on('data', (d) => (output += String(d)));
    const file = path.join(dir, 'endpoints.json');
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`sandbox exited with ${child.exitCode}: ${output}`);
      if (fs.existsSync(file)) break;
      if (Date.now() > deadline) throw new Error(`sandbox did not start in time: ${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    endpoints = JSON.parse(fs.readFileSync(file, 'utf8')) as SandboxEndpoints;
    caPem = fs.readFileSync(endpoints.ca, 'utf8');
  };

  const stopProcess = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  };

  await launch();

  const handle: SandboxHandle = {
    get endpoints() {
      return endpoints;
    },
    get caPem() {
      return caPem;
    },
    stateDir: dir,
    get pid() {
      return child.pid;
    },
    control: async (method, route, body) => {
      const res = await httpsJson(method, `${endpoints.control}${route}`, caPem, body);
      return res;
    },
    digest: async () => ((await httpsJson('GET', `${endpoints.control}/digest`, caPem)).body as { digest: string }).digest,
    stop: async () => {
      await stopProcess();
      if (!stateDir) fs.rmSync(dir, { recursive: true, force: true });
    },
    stopProcess,
    restart: async () => {
      await stopProcess();
      await launch();
    },
    output: () => output,
  };
  return handle;
}

/** A small HTTPS JSON client on node:https with the sandbox CA, for the control API and raw probes. */
export async function httpsJson(
  method: string,
  url: string,
  caPem: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown; headers: Record<string, string | string[] | undefined>; text: string }> {
  const https = await import('node:https');
  const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? Buffer.from(body) : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        ca: caPem,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            /* not JSON: keep the text */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, headers: res.headers, text });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}
