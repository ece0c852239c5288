import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import type { TokenCredential } from '@azure/core-auth';
import * as l10n from '@vscode/l10n';
import { ActionableError } from '../core/actionableError';
import { securityDomainQuorumProblem } from '../core/securityDomainPolicy';
import type { AzureCloud } from '../azure/cloud';
import type { ManagedHsmInfo } from '../azure/managedHsms';
import { cloudWithCreatedHsm } from '../azure/managedHsmProvisioning';
import { SecurityDomainClient, type PendingStatus } from '../azure/securityDomain';
import { generateSecurityDomainKeyPairs, securityDomainJwkFromCertificate, type SecurityDomainJsonWebKey } from '../azure/securityDomainKeys';
import { writeKeyPairFiles, writeSecurityDomainFile } from '../azure/securityDomainFiles';

// Activate Managed HSM: explain the quorum, generate (or take) the key pairs, save the private keys
// where the user chooses, download the security domain and save it at once, then wait until the
// HSM reports activation. The order matters: the private keys are on disk before the security
// domain exists, and the security domain is on disk before any waiting, so a failure or a
// cancellation can never leave a security domain whose keys were lost. Private keys live only in
// this call. The UI is a seam (ActivationPrompts) so the flow runs the same in tests.

export interface QuorumChoice {
  certificateCount: number;
  required: number;
}

export type KeySource = { kind: 'generate' } | { kind: 'existing'; certificateFiles: string[] };

export interface ActivationPrompts {
  /** Explains the quorum model and asks for N and M; undefined = cancelled. */
  chooseQuorum(hsmName: string): Promise<QuorumChoice | undefined>;
  chooseKeySource(quorum: QuorumChoice): Promise<KeySource | undefined>;
  /**
   * Where the private keys and the security domain file go. Propose a folder outside the
   * workspace; undefined = cancelled. `reason` says why it is asked again after a failure.
   */
  chooseFolder(hsmName: string, reason?: string): Promise<string | undefined>;
  /** The plain warning that losing the quorum of keys and the file loses the HSM; false = cancel. */
  confirmCustody(folder: string, quorum: QuorumChoice): Promise<boolean>;
  /** Runs `task` under a cancellable progress notification. */
  withProgress<T>(title: string, task: (report: (message: string) => void, signal: AbortSignal) => Promise<T>): Promise<T>;
}

export interface ActivateDeps {
  cloud: AzureCloud;
  credential: TokenCredential;
  prompts: ActivationPrompts;
  now: () => Date;
  log: (line: string) => void;
  pollIntervalMs?: number;
}

export type ActivationOutcome =
  | { status: 'activated'; securityDomainFile: string; privateKeyFiles: string[]; certificateFiles: string[] }
  | { status: 'alreadyActive' }
  | { status: 'cancelled'; message: string };

export async function activateManagedHsm(deps: ActivateDeps, hsm: ManagedHsmInfo): Promise<ActivationOutcome> {
  const { prompts } = deps;
  if (hsm.activated) return { status: 'alreadyActive' };
  if (hsm.provisioningState && hsm.provisioningState !== 'Succeeded') {
    throw new ActionableError(l10n.t('{0} is not ready to activate: its provisioning state is {1}. Refresh the Azure view and try again when it is Succeeded.', hsm.name, hsm.provisioningState), 'conflict');
  }

  const quorum = await prompts.chooseQuorum(hsm.name);
  if (!quorum) return cancelled(l10n.t('Activation was cancelled; nothing was generated or written.'));
  const problem = securityDomainQuorumProblem(quorum.certificateCount, quorum.required);
  if (problem) throw new ActionableError(l10n.t('Cannot activate {0}: {1}', hsm.name, problem), 'invalidInput');
  const source = await prompts.chooseKeySource(quorum);
  if (!source) return cancelled(l10n.t('Activation was cancelled; nothing was generated or written.'));

  let prepared: PreparedKeys | ActivationOutcome;
  if (source.kind === 'generate') prepared = await generateAndSaveKeys(deps, hsm.name, quorum);
  else prepared = await takeExistingCertificates(deps, hsm.name, quorum, source.certificateFiles);
  if ('status' in prepared) return prepared;
  const { certificates, folder, privateKeyFiles, certificateFiles } = prepared;

  const client = new SecurityDomainClient(cloudWithCreatedHsm(deps.cloud, hsm.hsmUri), deps.credential, hsm.hsmUri, hsm.name);
  let securityDomain: string;
  try {
    securityDomain = await prompts.withProgress(l10n.t('Downloading the security domain of {0}', hsm.name), (report, signal) => {
      report(l10n.t('Asking the HSM for its security domain…'));
      return client.download(certificates, quorum.required, { abortSignal: signal });
    });
  } catch (err) {
    const unused = privateKeyFiles.length > 0 ? l10n.t(' The private keys saved in {0} were not used; delete them or reuse their certificates.', folder) : '';
    const base = err instanceof ActionableError ? err : new ActionableError(l10n.t('Could not download the security domain of {0}.', hsm.name), 'unexpected', String(err));
    throw new ActionableError(l10n.t('{0} {1} is not activated.{2}', base.message, hsm.name, unused), base.kind, base.detail, base.code, base.statusCode);
  }
  const securityDomainFile = await saveSecurityDomain(deps, hsm.name, folder, securityDomain);
  deps.log(`Activate ${hsm.name}: saved the security domain to ${securityDomainFile}.`);

  await prompts.withProgress(`Activating ${hsm.name}`, (report, signal) =>
    client.waitForActivation({ abortSignal: signal, pollIntervalMs: deps.pollIntervalMs, onProgress: (s: PendingStatus) => report(s.status === 'InProgress' ? l10n.t('Waiting for the HSM to report activation…') : s.status) }),
  );
  return { status: 'activated', securityDomainFile, privateKeyFiles, certificateFiles };
}

interface PreparedKeys {
  certificates: SecurityDomainJsonWebKey[];
  folder: string;
  privateKeyFiles: string[];
  certificateFiles: string[];
}

/** Generates the pairs and writes them; the private keys are unreachable once this returns. */
async function generateAndSaveKeys(deps: ActivateDeps, hsmName: string, quorum: QuorumChoice): Promise<PreparedKeys | ActivationOutcome> {
  const pairs = await deps.prompts.withProgress(l10n.t('Generating {0} RSA key pairs', quorum.certificateCount), (report, signal) => {
    report(l10n.t('Generating key pairs on this computer…'));
    return generateSecurityDomainKeyPairs(quorum.certificateCount, { namePrefix: `${hsmName}-sd-key`, now: deps.now(), abortSignal: signal });
  });
  const folder = await deps.prompts.chooseFolder(hsmName);
  if (!folder || !(await deps.prompts.confirmCustody(folder, quorum))) {
    return cancelled(l10n.t('Activation was cancelled after the key pairs were generated. Nothing was written to disk and the HSM was not changed; the generated keys were discarded.'));
  }
  const written = await writeKeyPairFiles(folder, pairs);
  deps.log(`Activate ${hsmName}: wrote ${written.privateKeys.length} private keys (owner-only) and certificates to ${folder}.`);
  return { certificates: pairs.map((p) => p.jwk), folder, privateKeyFiles: written.privateKeys, certificateFiles: written.certificates };
}

async function takeExistingCertificates(deps: ActivateDeps, hsmName: string, quorum: QuorumChoice, files: string[]): Promise<PreparedKeys | ActivationOutcome> {
  if (files.length !== quorum.certificateCount) {
    throw new ActionableError(l10n.t('Cannot activate {0}: {1} certificates were chosen for a quorum of {2}.', hsmName, files.length, quorum.certificateCount), 'invalidInput');
  }
  const certificates = await Promise.all(files.map((file) => readCertificate(file)));
  const folder = await deps.prompts.chooseFolder(hsmName);
  if (!folder || !(await deps.prompts.confirmCustody(folder, quorum))) return cancelled(l10n.t('Activation was cancelled; nothing was written and the HSM was not changed.'));
  return { certificates, folder, privateKeyFiles: [], certificateFiles: files };
}

/** The security domain cannot be downloaded twice: keep asking for a place until it is saved. */
async function saveSecurityDomain(deps: ActivateDeps, hsmName: string, firstFolder: string, securityDomain: string): Promise<string> {
  let folder: string | undefined = firstFolder;
  for (;;) {
    try {
      return await writeSecurityDomainFile(folder, hsmName, securityDomain);
    } catch (err) {
      const reason = l10n.t('The security domain could not be saved in {0} ({1}). It cannot be downloaded again: choose another folder.', folder, (err as Error).message);
      deps.log(`Activate ${hsmName}: ${reason}`);
      folder = await deps.prompts.chooseFolder(hsmName, reason);
      if (!folder) {
        throw new ActionableError(
          l10n.t('The security domain of {0} was downloaded but not saved, and it cannot be downloaded again. The HSM will still activate; keep the private keys, and plan to back up the HSM and contact Azure support about the missing file.', hsmName),
          'unexpected',
        );
      }
    }
  }
}

async function readCertificate(file: string): Promise<SecurityDomainJsonWebKey> {
  try {
    return securityDomainJwkFromCertificate(await fs.readFile(file), path.basename(file).replace(/\.[^.]+$/, ''));
  } catch (err) {
    throw new ActionableError(l10n.t('Cannot use {0} for the security domain: {1}', file, (err as Error).message), 'invalidInput');
  }
}

function cancelled(message: string): ActivationOutcome {
  return { status: 'cancelled', message };
}
