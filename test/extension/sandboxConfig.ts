import * as fs from 'node:fs';
import * as https from 'node:https';
import * as vscode from 'vscode';

export interface SandboxSecretServerUser {
  username: string;
  password: string;
  otpSecret?: string;
  canManageKeys: boolean;
}

/** What the suites read from the sandbox's endpoints.json (never printed: it holds credentials). */
export interface SandboxEndpoints {
  tenantId: string;
  ca: string;
  admin: { username: string };
  hsms: { name: string; uri: string; activated: boolean }[];
  /** The seeded app whose client secret is about to expire. */
  expiringApp: { clientId: string; clientSecret: string; displayName: string };
  secretServer: { url: string; users: SandboxSecretServerUser[] };
  /** A tenant the admin is a guest of, whose Conditional Access requires MFA. */
  mfaTenant?: { id: string; name: string; defaultDomain: string };
}

/** The runner points the product at the sandbox with this setting (or the environment variable). */
export function sandboxEndpoints(): { endpoints: SandboxEndpoints; caPem: string } {
  const file = vscode.workspace.getConfiguration('mhsm.sandbox').get<string>('endpointsFile') || process.env.MHSM_SANDBOX_ENDPOINTS;
  if (!file) throw new Error('neither the setting mhsm.sandbox.endpointsFile nor MHSM_SANDBOX_ENDPOINTS is set');
  const endpoints = JSON.parse(fs.readFileSync(file, 'utf8')) as SandboxEndpoints;
  return { endpoints, caPem: fs.readFileSync(endpoints.ca, 'utf8') };
}

/** A GET with a bearer token, trusting only the sandbox CA. */
export function getWithToken(url: string, token: string, caPem: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: 'GET', ca: caPem, agent: new https.Agent({ ca: caPem }), headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The payload claims of a JWT. */
export function jwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}
