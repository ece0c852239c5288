import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { testResultsDir } from '../../../scripts/vscode/testWorkspace';

export const screenshotsDir = path.join(testResultsDir, 'screenshots');

/** Saves test-results/screenshots/<name>.png (git-ignored; the README picks from there). */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, `${name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '')}.png`);
  await page.screenshot({ path: file });
  return file;
}
