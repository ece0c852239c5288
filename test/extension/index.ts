// The extension-host test entry (the `extensionTestsPath` of @vscode/test-electron's runner
// API): VS Code loads this module inside the extension host and awaits run().
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  // MHSM_TEST_GREP runs only the tests whose full title matches (a regular expression);
  // MHSM_TEST_FILES=workflow.expiry,workflow.timeline only the files whose names contain one of them.
  const grep = process.env.MHSM_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, slow: 5_000, color: false, reporter: 'spec', ...(grep ? { grep: new RegExp(grep) } : {}) });
  const only = (process.env.MHSM_TEST_FILES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const files = (fs.readdirSync(__dirname, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.test.js') && (only.length === 0 || only.some((o) => f.includes(o))))
    // The fault-injection suites (reliability/) change the sandbox's state and go last.
    .sort((a, b) => Number(a.startsWith('reliability')) - Number(b.startsWith('reliability')) || (a < b ? -1 : a > b ? 1 : 0));
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // The plain closing line CI readers look for.
      console.log(`${runner.stats?.passes ?? 0} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} extension-host tests failed.`));
      else if (files.length === 0) reject(new Error(`no *.test.js files in ${__dirname}`));
      else resolve();
    });
  });
}
