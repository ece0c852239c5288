import * as fs from 'node:fs';
import * as https from 'node:https';
import type { SandboxEndpoints } from '../../support/sandboxProcess';

// The sandbox's own view of its state (GET {control}/world: no key material, no secret hashes),
// so a UI test checks what it changed in Azure without going through the extension.

export interface WorldKey {
  name: string;
  kty: string;
  keySize?: number;
  versions: { version: string; enabled: boolean; exportable: boolean; keyOps: string[]; exp?: number; nbf?: number }[];
}

export interface World {
  applications: { id: string; appId: string; displayName: string; passwordCredentials: { keyId: string; displayName: string | null; endDateTime: string }[] }[];
  servicePrincipals: { id: string; appId: string }[];
  hsms: { name: string; keys: WorldKey[]; roleAssignments: { name: string; scope: string; principalId: string; roleDefinitionId: string }[] }[];
}

/** The endpoints file and its CA (never printed: the file holds credentials). */
export function readEndpoints(endpointsFile: string): { endpoints: SandboxEndpoints; caPem: string } {
  const endpoints = JSON.parse(fs.readFileSync(endpointsFile, 'utf8')) as SandboxEndpoints;
  return { endpoints, caPem: fs.readFileSync(endpoints.ca, 'utf8') };
}

export async function world(endpointsFile: string): Promise<World> {
  const { endpoints, caPem } = readEndpoints(endpointsFile);
  const body = await new Promise<string>((resolve, reject) => {
    const req = https.request(`${endpoints.control.replace(/\/$/, '')}/world`, { method: 'GET', ca: caPem, agent: new https.Agent({ ca: caPem }) }, (res) => {
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
