import * as fs from 'node:fs';
import * as vscode from 'vscode';

/** The fields of the sandbox's endpoints.json that sign-in needs. */
export interface SandboxEndpoints {
  authorityHost: string;
  tenantId: string;
  /** Path of the CA certificate (PEM) that signed the sandbox's server certificates. */
  ca: string;
  admin: { username: string; password: string };
  publicClientIds?: Record<string, string>;
}

export function endpointsFile(): string {
  const configured = vscode.workspace.getConfiguration('sandboxSignin').get<string>('endpointsFile');
  const file = configured || process.env.MHSM_SANDBOX_ENDPOINTS;
  if (!file) {
    throw new Error('Sandbox sign-in: set "sandboxSignin.endpointsFile" (or MHSM_SANDBOX_ENDPOINTS) to the sandbox\'s endpoints.json.');
  }
  return file;
}

/**
 * Read on every sign-in rather than once: the sandbox rewrites the file on each start (its ports
 * are remembered, but the file disappears while it is stopped).
 */
export function readEndpoints(): { endpoints: SandboxEndpoints; caPem: string } {
  const file = endpointsFile();
  let endpoints: SandboxEndpoints;
  try {
    endpoints = JSON.parse(fs.readFileSync(file, 'utf8')) as SandboxEndpoints;
  } catch (err) {
    throw new Error(`Sandbox sign-in: cannot read ${file} (is the sandbox running?): ${(err as Error).message}`, { cause: err });
  }
  return { endpoints, caPem: fs.readFileSync(endpoints.ca, 'utf8') };
}
