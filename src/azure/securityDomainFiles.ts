import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import type { SecurityDomainKeyPair } from './securityDomainKeys';

// Writing the security domain's artefacts: each private key once, readable by its owner only
// (0600), never over an existing file; the certificates beside them; and the security domain file.
// A failure part-way removes what this call wrote, so the folder never holds half a set unnoticed.

export interface WrittenKeyFiles {
  privateKeys: string[];
  certificates: string[];
}

const ownerOnly = 0o600;

/** Writes `{name}.key` (PKCS#8, 0600) and `{name}.cer` (PEM) for each pair into `directory`. */
export async function writeKeyPairFiles(directory: string, pairs: SecurityDomainKeyPair[]): Promise<WrittenKeyFiles> {
  await fs.mkdir(directory, { recursive: true, mode: 0o700 });
  const written: string[] = [];
  const result: WrittenKeyFiles = { privateKeys: [], certificates: [] };
  try {
    for (const pair of pairs) {
      const keyFile = path.join(directory, `${safeFileName(pair.name)}.key`);
      await writeExclusive(keyFile, pair.privateKeyPem, ownerOnly);
      written.push(keyFile);
      result.privateKeys.push(keyFile);
      const certFile = path.join(directory, `${safeFileName(pair.name)}.cer`);
      await writeExclusive(certFile, pair.certificatePem, 0o644);
      written.push(certFile);
      result.certificates.push(certFile);
    }
  } catch (err) {
    await Promise.all(written.map((f) => fs.rm(f, { force: true })));
    const reason = (err as NodeJS.ErrnoException).code === 'EEXIST' ? l10n.t('a file with the same name already exists there') : ((err as Error).message ?? String(err));
    throw new Error(`Could not save the private keys in ${directory}: ${reason}. Nothing was left behind; choose another folder.`, { cause: err });
  }
  return result;
}

/** Writes the security domain as `{hsmName}-SecurityDomain.json` (0600), adding -2, -3… rather than overwriting. */
export async function writeSecurityDomainFile(directory: string, hsmName: string, securityDomain: string): Promise<string> {
  await fs.mkdir(directory, { recursive: true, mode: 0o700 });
  for (let attempt = 1; attempt < 100; attempt++) {
    const file = path.join(directory, `${safeFileName(hsmName)}-SecurityDomain${attempt === 1 ? '' : `-${attempt}`}.json`);
    try {
      await writeExclusive(file, securityDomain, ownerOnly);
      return file;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new Error(`Could not find a free file name for the security domain in ${directory}.`);
}

async function writeExclusive(file: string, content: string, mode: number): Promise<void> {
  const handle = await fs.open(file, 'wx', mode);
  try {
    await handle.writeFile(content, 'utf8');
    // The process umask can only narrow the mode; chmod makes it exact on file systems that honour it.
    await handle.chmod(mode);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await fs.rm(file, { force: true });
    throw err;
  }
  await handle.close();
}

function safeFileName(name: string): string {
  return name.replace(/[^\w.-]/g, '_');
}
