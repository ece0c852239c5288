import * as fs from 'node:fs';
import { ActionableError } from '../core/actionableError';
import { sandboxCloud, type AzureCloud, type SandboxEndpointsFile } from './cloud';

// The local sandbox describes itself in an endpoints.json (hosts, ports, the path of its CA).
// Reading it is data, not a sign-in branch: sign-in still goes through VS Code's provider.

/** The sandbox as a cloud, read from its endpoints.json; an ActionableError when the file is unusable. */
export function readSandboxCloud(endpointsFile: string): AzureCloud {
  let endpoints: SandboxEndpointsFile;
  try {
    endpoints = JSON.parse(fs.readFileSync(endpointsFile, 'utf8')) as SandboxEndpointsFile;
  } catch (err) {
    throw new ActionableError(
      `Could not read the sandbox endpoints file ${endpointsFile}: is the sandbox running? Start it with 'npm run sandbox' or clear the setting mhsm.sandbox.endpointsFile.`,
      'invalidInput',
      `Reading ${endpointsFile}: ${(err as Error).message}`,
    );
  }
  if (typeof endpoints?.ca !== 'string' || typeof endpoints.armEndpoint !== 'string' || !Array.isArray(endpoints.hsms)) {
    throw new ActionableError(`The sandbox endpoints file ${endpointsFile} lacks ca, armEndpoint or hsms; restart the sandbox to rewrite it.`, 'invalidInput');
  }
  let caPem: string;
  try {
    caPem = fs.readFileSync(endpoints.ca, 'utf8');
  } catch (err) {
    throw new ActionableError(`Could not read the sandbox CA certificate ${endpoints.ca}; restart the sandbox.`, 'invalidInput', (err as Error).message);
  }
  return sandboxCloud(endpoints, caPem);
}

/** The Secret Server the sandbox emulates, when the file names one (used only to prefill the add-connection prompt). */
export function sandboxSecretServerUrl(endpointsFile: string): string | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(endpointsFile, 'utf8')) as { secretServer?: { url?: unknown } };
    return typeof parsed.secretServer?.url === 'string' ? parsed.secretServer.url : undefined;
  } catch {
    return undefined;
  }
}
