import type { Locator, Page } from 'playwright-core';
import { eventually } from './eventually';

// The quick input widget as prompts use it: InputBoxes and QuickPicks found by (part of) their
// title, answered by typing and Enter; and VS Code's "simple file dialog", which is what
// showOpenDialog/showSaveDialog render as in VS Code in the browser: a quick input holding a path.

export function quickInput(page: Page, title: string | RegExp): Locator {
  return page.locator('.quick-input-widget').filter({ has: page.locator('.quick-input-title', { hasText: title }) });
}

/** Waits for the input box titled `title`, types `value` (undefined keeps the prefill) and accepts it. */
export async function answerInputBox(page: Page, title: string | RegExp, value: string | undefined, timeoutMs = 30_000): Promise<void> {
  const widget = quickInput(page, title);
  await widget.waitFor({ state: 'visible', timeout: timeoutMs });
  const input = widget.locator('.quick-input-box input');
  if (value !== undefined) await input.fill(value);
  await input.press('Enter');
  await widget.waitFor({ state: 'hidden', timeout: 15_000 });
}

/** The labels of a QuickPick's visible rows. */
export async function quickPickLabels(widget: Locator): Promise<string[]> {
  return widget.locator('.monaco-list-row .label-name').allTextContents();
}

/**
 * Waits for the QuickPick titled `title`, filters it with `filter` (undefined keeps the list as
 * shown) and accepts the focused row once it contains `expect` (default: the filter).
 */
export async function answerQuickPick(page: Page, title: string | RegExp, filter?: string, expect = filter, timeoutMs = 30_000): Promise<void> {
  const widget = quickInput(page, title);
  await widget.waitFor({ state: 'visible', timeout: timeoutMs });
  const input = widget.locator('.quick-input-box input');
  if (filter !== undefined) await input.fill(filter);
  const focused = widget.locator('.monaco-list-row.focused');
  await (expect !== undefined ? focused.filter({ hasText: expect }) : focused).first().waitFor({ state: 'visible', timeout: 10_000 });
  await input.press('Enter');
  await widget.waitFor({ state: 'hidden', timeout: 15_000 });
}

/**
 * Answers a simple file dialog: types the path into it and presses its OK button (`okLabel`, e.g.
 * "Save Here"). A folder is given with a trailing slash, as a person types it, so the dialog
 * moves into it before accepting.
 */
export async function answerFileDialog(page: Page, title: string | RegExp, fullPath: string | undefined, okLabel: string, timeoutMs = 30_000): Promise<void> {
  const widget = quickInput(page, title);
  await widget.waitFor({ state: 'visible', timeout: timeoutMs });
  const input = widget.locator('.quick-input-box input');
  // undefined keeps the proposed path (a save dialog's folder and suggested name).
  if (fullPath !== undefined) {
    await input.fill(fullPath);
    // The dialog settles (lists the folder) before it takes the value; then OK accepts it.
    await eventually(async () => {
      if ((await input.inputValue()) !== fullPath) throw new Error(`The file dialog shows '${await input.inputValue()}', not '${fullPath}'.`);
    }, 10_000);
  }
  // While it lists the folder the dialog is busy (progress bar) and ignores OK.
  await eventually(async () => {
    if ((await widget.locator('.monaco-progress-container.active, .monaco-progress-container.infinite').count()) > 0) throw new Error('The file dialog is still busy.');
  }, 15_000);
  const ok = widget.locator('.quick-input-action .monaco-button, .quick-input-header .monaco-button').filter({ hasText: okLabel }).first();
  if (await ok.isVisible()) await ok.click();
  else await input.press('Enter');
  try {
    await widget.waitFor({ state: 'hidden', timeout: 5_000 });
  } catch {
    // Still open: the click landed while it was busy; Enter accepts the typed path.
    await input.press('Enter');
    await widget.waitFor({ state: 'hidden', timeout: 15_000 });
  }
}
