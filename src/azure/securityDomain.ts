import type { TokenCredential } from '@azure/core-auth';
import * as l10n from '@vscode/l10n';
import { ActionableError } from '../core/actionableError';
import { securityDomainQuorumProblem } from '../core/securityDomainPolicy';
import { resolveHsmEndpoint } from './hsmEndpoint';
import { toActionableError } from './azureErrors';
import type { OperationOptions } from './operationOptions';
import type { AzureCloud } from './cloud';
import { sendJson, type JsonTransport } from './jsonExchange';
import { keyVaultTransport } from './keyVaultTransport';
import type { SecurityDomainJsonWebKey } from './securityDomainKeys';

// The security domain download that activates a new Managed HSM (securitydomain.json 7.6). The
// POST returns the security domain at once; the HSM then finishes activating, which
// /securitydomain/download/pending reports. The two steps are separate so that the caller can save
// the security domain before waiting — it is the one artefact that cannot be fetched again.
// Sent by hand (no SDK covers it here) with the Key Vault challenge policy, like localRbac.ts.

const apiVersion = '7.6';

export type SecurityDomainStatus = 'InProgress' | 'Success' | 'Failed';

export interface PendingStatus {
  status: SecurityDomainStatus;
  details: string;
}

export interface WaitOptions extends OperationOptions {
  pollIntervalMs?: number;
  /** Give up after this long (the HSM may still finish); default 10 minutes. */
  timeoutMs?: number;
  onProgress?: (status: PendingStatus) => void;
}

export class SecurityDomainClient {
  private readonly origin: string;
  private readonly displayName: string;
  private transportPromise?: Promise<JsonTransport>;

  constructor(
    private readonly cloud: AzureCloud,
    private readonly credential: TokenCredential,
    hsmUri: string,
    displayName?: string,
  ) {
    ({ origin: this.origin, displayName: this.displayName } = resolveHsmEndpoint(cloud, hsmUri, displayName));
  }

  /** Starts the download; returns the security domain (JSON text) to be saved before anything else. */
  async download(certificates: SecurityDomainJsonWebKey[], required: number, options: OperationOptions = {}): Promise<string> {
    const problem = securityDomainQuorumProblem(certificates.length, required);
    if (problem) throw new ActionableError(l10n.t('Cannot download the security domain of {0}: {1}', this.displayName, problem), 'invalidInput');
    const body = await this.send<{ value?: unknown }>(l10n.t('download the security domain of {0}', this.displayName), 'POST', '/securitydomain/download', options, { certificates, required });
    if (typeof body.value !== 'string' || body.value === '') {
      throw new ActionableError(l10n.t('The security domain download of {0} returned no security domain; the HSM is not activated. Try again.', this.displayName), 'unexpected');
    }
    return body.value;
  }

  async pendingStatus(options: OperationOptions = {}): Promise<PendingStatus> {
    const body = await this.send<{ status?: string; status_details?: string }>(l10n.t('read the security domain download status of {0}', this.displayName), 'GET', '/securitydomain/download/pending', options);
    const status = body.status === 'Success' || body.status === 'Failed' ? body.status : 'InProgress';
    return { status, details: body.status_details ?? '' };
  }

  /** Polls until the HSM reports Success; Failed, a timeout or cancellation never claim activation. */
  async waitForActivation(options: WaitOptions = {}): Promise<PendingStatus> {
    const interval = options.pollIntervalMs ?? 3000;
    const deadline = Date.now() + (options.timeoutMs ?? 600_000);
    for (;;) {
      const status = await this.pendingStatus(options);
      options.onProgress?.(status);
      if (status.status === 'Success') return status;
      if (status.status === 'Failed') {
        throw new ActionableError(
          l10n.t('The security domain download of {0} failed{1}. The HSM is not activated; download the security domain again with new key pairs.', this.displayName, status.details ? `: ${status.details}` : ''),
          'unexpected',
        );
      }
      if (Date.now() > deadline) {
        throw new ActionableError(l10n.t('{0} has not reported its activation yet. Refresh the Azure view later to see whether it is activated.', this.displayName), 'unavailable');
      }
      await delay(interval, options.abortSignal);
    }
  }

  private async send<T>(what: string, method: 'GET' | 'POST', path: string, options: OperationOptions, body?: unknown): Promise<T> {
    try {
      const response = await sendJson(await this.transport(), method, `${this.origin}${path}?api-version=${apiVersion}`, options, body);
      return response.body as T;
    } catch (err) {
      throw toActionableError(err, what);
    }
  }

  // Built once per client, so that activation polls reuse the challenge policy's token instead of
  // answering a new challenge each time; the packages load on the first call, not at activation.
  private transport(): Promise<JsonTransport> {
    this.transportPromise ??= keyVaultTransport(this.cloud, this.credential);
    const transport = this.transportPromise;
    transport.catch(() => {
      if (this.transportPromise === transport) this.transportPromise = undefined;
    });
    return transport;
  }
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  const stopped = () => new ActionableError(l10n.t('Stopped waiting for the activation; the HSM may still finish activating. Refresh the Azure view to see its state.'), 'cancelled');
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(stopped());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(stopped());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
