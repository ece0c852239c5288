import * as https from 'node:https';
import { sandboxEndpoints } from '../../extension/sandboxConfig';

// The sandbox's fault and token controls (sandbox/README.md, "Test control"), called over HTTPS
// from the extension host the way any test client would.

export interface FaultRuleInput {
  service: 'entra' | 'arm' | 'graph' | 'hsm' | 'secretServer' | '*';
  method?: string;
  path?: string;
  kind: 'latency' | 'throttle' | 'unavailable' | 'drop' | 'truncate';
  probability?: number;
  times?: number;
  latencyMs?: number;
  retryAfterSeconds?: number;
  seed?: number;
}

export interface FiredRule extends FaultRuleInput {
  id: string;
  fired: number;
}

async function control(method: string, path: string, body?: unknown): Promise<unknown> {
  const { endpoints, caPem } = sandboxEndpoints();
  const base = (endpoints as unknown as { control: string }).control.replace(/\/$/, '');
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${base}${path}`,
      { method, ca: caPem, agent: new https.Agent({ ca: caPem }), headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 500) >= 300) reject(new Error(`${method} ${path}: HTTP ${res.statusCode} ${text}`));
          else resolve(text ? JSON.parse(text) : undefined);
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export async function addFaults(rules: readonly FaultRuleInput[]): Promise<void> {
  for (const rule of rules) await control('POST', '/faults', rule);
}

/** The rules with how often each fired, then removes them all. */
export async function clearFaults(): Promise<FiredRule[]> {
  const listed = (await control('GET', '/faults')) as { value: FiredRule[] };
  await control('DELETE', '/faults');
  return listed.value;
}

/** Entra access tokens issued from now on live at most `seconds` (real clock). */
export async function shortenTokenLifetime(seconds: number): Promise<void> {
  await control('POST', '/tokens', { accessTokenLifetimeSeconds: seconds });
}

export async function restoreTokenLifetime(): Promise<void> {
  await control('DELETE', '/tokens');
}

/** How many requests the services have refused for an expired access token so far. */
export async function expiredRefusals(): Promise<number> {
  return ((await control('GET', '/tokens')) as { expiredRefusals: number }).expiredRefusals;
}
