import { strict as assert } from 'node:assert';
import * as vm from 'node:vm';
import { patchServerMain } from '../../../scripts/vscode/trustedAuthAccessPatch';

// The shape of code-server 4.139's minified web-configuration code, names as minified there.
const serverMain =
  'class S{constructor(p){this._productService=p;this._environmentService={isBuilt:!0}}' +
  'async cfg(){let U=["https://open-vsx.org"],ge="code-server",F={codeServerVersion:this._productService.codeServerVersion,' +
  'nameShort:ge,serviceWorker:{scope:"/",path:"/sw.js"},linkProtectionTrustedDomains:U};' +
  'if(!this._environmentService.isBuilt)try{Object.assign(F,{})}catch{}return F}}';

const product = { codeServerVersion: '4.139.1', trustedExtensionAuthAccess: ['vscode.git'] };

async function productConfiguration(source: string, env: Record<string, string>): Promise<Record<string, unknown>> {
  const result: unknown = vm.runInNewContext(`${source};new S(product).cfg()`, { process: { env }, product });
  // Through JSON, as the server sends it, which also leaves the vm's realm for deepEqual.
  return JSON.parse(JSON.stringify(await result)) as Record<string, unknown>;
}

describe('the trustedExtensionAuthAccess patch of code-server (npm start)', () => {
  it('adds the ids of MHSM_TRUSTED_EXTENSION_AUTH_ACCESS to the product trusted list sent to the browser', async () => {
    const config = await productConfiguration(patchServerMain(serverMain), { MHSM_TRUSTED_EXTENSION_AUTH_ACCESS: '["publisher.name"]' });
    assert.deepEqual(config.trustedExtensionAuthAccess, ['vscode.git', 'publisher.name']);
    assert.deepEqual(config.linkProtectionTrustedDomains, ['https://open-vsx.org']);
  });

  it('changes nothing without the variable, so tests still meet the Allow dialog', async () => {
    const config = await productConfiguration(patchServerMain(serverMain), {});
    assert.deepEqual(config, await productConfiguration(serverMain, {}));
    assert.equal(config.trustedExtensionAuthAccess, undefined);
  });

  it('is applied once however often install runs', () => {
    const once = patchServerMain(serverMain);
    assert.notEqual(once, serverMain);
    assert.equal(patchServerMain(once), once);
  });

  it('fails with the reason when the code-server version does not have the anchor', () => {
    assert.throws(() => patchServerMain(serverMain.replace('linkProtectionTrustedDomains:U}', 'trustedDomains:U}')), /A different code-server version\?/);
  });
});
