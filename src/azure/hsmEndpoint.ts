import * as l10n from '@vscode/l10n';
import { ActionableError } from '../core/actionableError';
import { hsmUriProblem } from '../core/keyIdentifier';
import type { AzureCloud } from './cloud';

/** An HSM data-plane address that was checked against the signed-in cloud. */
export interface HsmEndpoint {
  origin: string;
  /** The origin with a trailing '/', as ARM reports hsmUri. */
  hsmUri: string;
  /** How the HSM is named in messages. */
  displayName: string;
}

/**
 * Refuses an HSM address outside the signed-in cloud before any request is made: the Key Vault
 * challenge policy would otherwise send a token to whatever host it is given.
 */
export function resolveHsmEndpoint(cloud: AzureCloud, hsmUri: string, displayName?: string): HsmEndpoint {
  const problem = hsmUriProblem(hsmUri, { dnsSuffix: cloud.managedHsmDnsSuffix, origins: cloud.managedHsmOrigins });
  if (problem) throw new ActionableError(l10n.t('Cannot use \'{0}\' as a Managed HSM: {1}', hsmUri, problem), 'invalidInput');
  const url = new URL(hsmUri);
  return { origin: url.origin, hsmUri: `${url.origin}/`, displayName: displayName ?? url.hostname };
}
