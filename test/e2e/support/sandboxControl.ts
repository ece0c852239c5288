import * as https from 'node:https';
import type { SandboxEndpoints } from '../../support/sandboxProcess';

/** Calls the sandbox's control API (`{control}/…`) over HTTPS with its CA; throws on a non-2xx answer. */
export async function sandboxControl(endpoints: SandboxEndpoints, caPem: string, method: string, route: string, body?: unknown): Promise<unknown> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const url = `${endpoints.control.replace(/\/$/, '')}${route}`;
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = https.request(url, { method, ca: caPem, agent: new https.Agent({ ca: caPem }), headers: payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
  if (status < 200 || status >= 300) throw new Error(`${method} ${url} → ${status} ${text}`);
  return text ? (JSON.parse(text) as unknown) : undefined;
}
