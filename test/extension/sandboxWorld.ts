import * as https from 'node:https';
import { sandboxEndpoints } from './sandboxConfig';

// The sandbox's own view of its state (GET {control}/_sandbox/world: no key material, no secret
// hashes), so suites check what a command changed in Azure without the extension's clients.

export interface WorldKey {
  name: string;
  kty: string;
  keySize?: number;
  versions: { version: string; enabled: boolean; exportable: boolean; keyOps: string[]; exp?: number }[];
}

export interface World {
  applications: { id: string; appId: string; displayName: string; passwordCredentials: { keyId: string; displayName: string | null; endDateTime: string }[] }[];
  servicePrincipals: { id: string; appId: string }[];
  hsms: { name: string; keys: WorldKey[]; deletedKeys: { key: WorldKey }[]; roleAssignments: { name: string; scope: string; principalId: string; roleDefinitionId: string }[] }[];
}

export async function world(): Promise<World> {
  const { endpoints, caPem } = sandboxEndpoints();
  const control = (endpoints as unknown as { control: string }).control;
  const body = await new Promise<string>((resolve, reject) => {
    const req = https.request(`${control.replace(/\/$/, '')}/world`, { method: 'GET', ca: caPem, agent: new https.Agent({ ca: caPem }) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`world: HTTP ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
  return JSON.parse(body) as World;
}

export function hsmOf(w: World, name: string): World['hsms'][number] {
  const hsm = w.hsms.find((h) => h.name === name);
  if (!hsm) throw new Error(`no HSM ${name} in the sandbox`);
  return hsm;
}

/** Moves the sandbox clock forward (POST {control}/_sandbox/clock); the services' Date headers follow. */
export async function advanceSandboxClock(days: number): Promise<void> {
  const { endpoints, caPem } = sandboxEndpoints();
  const control = (endpoints as unknown as { control: string }).control;
  const payload = JSON.stringify({ advanceDays: days });
  await new Promise<void>((resolve, reject) => {
    const req = https.request(
      `${control.replace(/\/$/, '')}/clock`,
      { method: 'POST', ca: caPem, agent: new https.Agent({ ca: caPem }), headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`clock: HTTP ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
