import type { Page } from 'playwright-core';
import { eventually } from './eventually';

const palette = '.quick-input-widget';

/**
 * Runs a command by its palette title ("Category: Title") as a person does: F1, type, Enter.
 * The palette computes its list when it opens, so right after start-up (contributions not yet
 * registered) it may say "No matching commands"; refilling an open palette never helps, so each
 * try closes and reopens it.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  await eventually(async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator(`${palette} .quick-input-box input`);
    await input.waitFor({ state: 'visible', timeout: 5_000 });
    await input.fill(`>${title}`);
    const row = page.locator(`${palette} .monaco-list-row.focused`);
    await row.filter({ hasText: title }).waitFor({ state: 'visible', timeout: 2_000 });
    await page.keyboard.press('Enter');
  }, timeoutMs);
  await page.locator(palette).waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
}

/** Quick Open (Ctrl+P) a workspace file by name. */
export async function openFile(page: Page, fileName: string, timeoutMs = 30_000): Promise<void> {
  await eventually(async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    const input = page.locator(`${palette} .quick-input-box input`);
    await input.waitFor({ state: 'visible', timeout: 5_000 });
    await input.fill(fileName);
    await page.locator(`${palette} .monaco-list-row.focused`).filter({ hasText: fileName }).waitFor({ state: 'visible', timeout: 3_000 });
    await page.keyboard.press('Enter');
    await page.locator(`.tabs-container .tab.active[aria-label^="${fileName}"]`).waitFor({ state: 'visible', timeout: 5_000 });
  }, timeoutMs);
}
