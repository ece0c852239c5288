import type { Page } from 'playwright-core';

/**
 * What VS Code's clipboard service wrote (vscode.env.clipboard in the web workbench uses the
 * browser clipboard). The page's context must have clipboard-read permission, which
 * startWorkbench grants.
 */
export async function readClipboard(page: Page): Promise<string> {
  return page.evaluate(() => navigator.clipboard.readText());
}
