import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createProposedFolder } from '../../src/commands/proposedFolder';

describe('proposed folder for the activation file dialog', () => {
  let home: string;
  let proposed: string;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'mhsm-proposed-'));
    proposed = path.join(home, 'managed-hsm-security-domain', 'contoso-hsm');
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('exists, owner-only, while the dialog shows it', async () => {
    await createProposedFolder(proposed);
    assert.ok(fs.statSync(proposed).isDirectory());
    if (process.platform !== 'win32') assert.equal(fs.statSync(proposed).mode & 0o777, 0o700);
  });

  it('is removed with the parents it created when another folder is chosen or the dialog is cancelled', async () => {
    for (const kept of [path.join(home, 'elsewhere'), undefined]) {
      const removeUnused = await createProposedFolder(proposed);
      await removeUnused(kept);
      assert.deepEqual(fs.readdirSync(home), []);
    }
  });

  it('stays when it, or a folder inside it, is chosen', async () => {
    await (await createProposedFolder(proposed))(proposed);
    assert.ok(fs.existsSync(proposed));
    await (await createProposedFolder(proposed))(path.join(proposed, 'keys'));
    assert.ok(fs.existsSync(proposed));
  });

  it('never removes a folder that was there before or is no longer empty', async () => {
    fs.mkdirSync(path.join(home, 'managed-hsm-security-domain'));
    await (await createProposedFolder(proposed))(undefined);
    assert.deepEqual(fs.readdirSync(home), ['managed-hsm-security-domain']);
    assert.deepEqual(fs.readdirSync(path.join(home, 'managed-hsm-security-domain')), []);

    const removeUnused = await createProposedFolder(proposed);
    fs.writeFileSync(path.join(proposed, 'note.txt'), 'x');
    await removeUnused(undefined);
    assert.ok(fs.existsSync(path.join(proposed, 'note.txt')));
  });
});
