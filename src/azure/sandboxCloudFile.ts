import * as fs from 'node:fs';
import * as l10n from '@vscode/l10n';
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
      l10n.t('Could not read the sandbox endpoints file {0}: is the sandbox running? Start it with \'npm run sandbox\' or clear the setting mhsm.sandbox.endpointsFile.', endpointsFile),
      'invalidInput',
      `Reading ${endpointsFile}: ${(err as Error).message}`,
    );
  }
  if (typeof endpoints?.ca !== 'string' || typeof endpoints.armEndpoint !== 'string' || !Array.isArray(endpoints.hsms)) {
    throw new ActionableError(l10n.t('The sandbox endpoints file {0} lacks ca, armEndpoint or hsms; restart the sandbox to rewrite it.', endpointsFile), 'invalidInput');
  }
  let caPem: string;
  try {
    caPem = fs.readFileSync(endpoints.ca, 'utf8');
  } catch (err) {
    throw new ActionableError(l10n.t('Could not read the sandbox CA certificate {0}; restart the sandbox.', endpoints.ca), 'invalidInput', (err as Error).message);
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
