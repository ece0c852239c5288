// Lets `npm start` open the workbench already allowed to use the sandbox sign-in, without the
// "The extension wants to sign in using Microsoft (sandbox)" → Allow dialog.
//
// VS Code skips that dialog only for extensions listed in product.json `trustedExtensionAuthAccess`,
// and the check runs in the browser against the product configuration the server sends with the
// workbench page. code-server's server builds that configuration from a fixed set of fields (plus
// product.overrides.json in unbuilt dev trees only), so editing product.json does not reach the
// browser. This patch adds one statement to code-server's server-main.js right after that object
// is built: when MHSM_TRUSTED_EXTENSION_AUTH_ACCESS (a JSON array of extension ids) is set for the
// code-server process, those ids are appended to the product's own trusted list. Without the
// variable nothing changes, so the UI and extension-host tests still go through the real dialog.
//
// Applied by install.ts on every run: idempotent (a marker comment), written atomically (other
// runs may be starting code-server from the same install), syntax-checked with Node 24 first.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codeServerRoot, node24Bin } from './paths';

export const trustedAuthAccessEnvVar = 'MHSM_TRUSTED_EXTENSION_AUTH_ACCESS';

const marker = '/* mhsm: trustedExtensionAuthAccess from MHSM_TRUSTED_EXTENSION_AUTH_ACCESS (scripts/vscode/trustedAuthAccessPatch.ts) */';

export const serverMainJs = path.join(codeServerRoot, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');

/**
 * The minified web-configuration object: `<name>={codeServerVersion:this._productService.codeServerVersion,
 * …,linkProtectionTrustedDomains:<list>};`. Minified names change between releases, so they are captured.
 */
const anchor = /([\w$]+)=\{codeServerVersion:this\._productService\.codeServerVersion,[^;]*?linkProtectionTrustedDomains:[\w$]+\};/g;

/** The patched source, or the source unchanged when the patch is already there. */
export function patchServerMain(source: string): string {
  if (source.includes(marker)) return source;
  const matches = [...source.matchAll(anchor)];
  if (matches.length !== 1) {
    throw new Error(
      `cannot apply the trustedExtensionAuthAccess patch to ${serverMainJs}: expected one productConfiguration object ` +
        `ending in "linkProtectionTrustedDomains:…};", found ${matches.length}. A different code-server version? ` +
        'Update the anchor in scripts/vscode/trustedAuthAccessPatch.ts (npm start would otherwise show the Allow dialog).',
    );
  }
  const [match] = matches;
  const config = match[1];
  const env = `process.env.${trustedAuthAccessEnvVar}`;
  const statement =
    `${marker}if(${env}){const mhsmProductTrusted=this._productService.trustedExtensionAuthAccess;` +
    `${config}.trustedExtensionAuthAccess=[...(Array.isArray(mhsmProductTrusted)?mhsmProductTrusted:[]),...JSON.parse(${env})]}`;
  const end = match.index + match[0].length;
  return source.slice(0, end) + statement + source.slice(end);
}

/** Patches the installed server-main.js in place if it is not patched yet. */
export function applyTrustedAuthAccessPatch(): void {
  const source = fs.readFileSync(serverMainJs, 'utf8');
  const patched = patchServerMain(source);
  if (patched === source) return;
  // Same folder and a .js name, so Node checks it as the ES module it is (lib/vscode is "type": "module").
  const temp = path.join(path.dirname(serverMainJs), `server-main.mhsm-patch-${process.pid}.js`);
  fs.writeFileSync(temp, patched);
  try {
    const check = spawnSync(path.join(node24Bin, 'node'), ['--check', temp], { encoding: 'utf8' });
    if (check.status !== 0) {
      throw new Error(`the trustedExtensionAuthAccess patch of ${serverMainJs} does not parse; left unpatched:\n${check.stderr || check.error?.message}`);
    }
    fs.renameSync(temp, serverMainJs);
  } finally {
    fs.rmSync(temp, { force: true });
  }
  console.log(`[vscode-e2e] patched ${path.relative(process.cwd(), serverMainJs)}: ${trustedAuthAccessEnvVar} adds trusted auth extensions`);
}
