import type { Locator, Page } from 'playwright-core';
import { eventually } from './eventually';

// The quick input widget (input boxes and quick picks a command shows), found by its title so a
// step never answers the wrong prompt.

export function quickInput(page: Page, title: string | RegExp): Locator {
  // A closing widget stays in the page for its animation, still showing the old title.
  return page.locator('.quick-input-widget:not(.quick-input-widget-closing)').filter({ has: page.locator('.quick-input-title', { hasText: exactTitle(title) }) });
}

/**
 * A string title matches the whole title, with or without the step counter VS Code appends
 * ("New client secret (2/3)"), so "New client secret" never matches "New client secret: expiry".
 */
function exactTitle(title: string | RegExp): RegExp {
  if (title instanceof RegExp) return title;
  return new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\(\\d+/\\d+\\))?$`);
}

/**
 * Waits for the input box titled `title`, types `value` (or keeps the prefill) and accepts it;
 * done when the box closes or the next prompt (which may share the title) replaced its text.
 */
export async function answerInput(page: Page, title: string | RegExp, value: string | undefined, timeoutMs = 30_000): Promise<void> {
  const widget = quickInput(page, title);
  await widget.waitFor({ state: 'visible', timeout: timeoutMs });
  const input = widget.locator('.quick-input-box input');
  if (value !== undefined) await input.fill(value);
  const accepted = await input.inputValue();
  await input.press('Enter');
  await eventually(async () => {
    if (!(await widget.isVisible()) || (await input.inputValue()) !== accepted) return;
    throw new Error(`the input box "${String(title)}" did not accept its value`);
  }, 15_000, 200);
}

/** The validation message an input box shows under the text. */
export async function inputValidation(page: Page, title: string | RegExp, value: string, timeoutMs = 10_000): Promise<string> {
  const widget = quickInput(page, title);
  await widget.waitFor({ state: 'visible', timeout: timeoutMs });
  await widget.locator('.quick-input-box input').fill(value);
  const message = widget.locator('.quick-input-message');
  await message.filter({ hasText: /\S/ }).waitFor({ state: 'visible', timeout: timeoutMs });
  return (await message.textContent()) ?? '';
}

/** The rows of the quick pick titled `title` (label plus description and detail text). */
export function pickRows(page: Page, title: string | RegExp): Locator {
  return quickInput(page, title).locator('.monaco-list-row');
}

/** The labels of the quick pick's rows, once it shows at least one. */
export async function pickLabels(page: Page, title: string | RegExp, timeoutMs = 30_000): Promise<string[]> {
  const rows = pickRows(page, title);
  await rows.first().waitFor({ state: 'visible', timeout: timeoutMs });
  return rows.locator('.quick-input-list-label .label-name, .monaco-icon-label .label-name').allTextContents();
}

/** Clicks the row of the quick pick titled `title` whose text matches `row`. */
export async function pick(page: Page, title: string | RegExp, row: string | RegExp, timeoutMs = 30_000): Promise<void> {
  const widget = quickInput(page, title);
  await widget.waitFor({ state: 'visible', timeout: timeoutMs });
  const item = widget.locator('.monaco-list-row').filter({ hasText: row }).first();
  await item.waitFor({ state: 'visible', timeout: timeoutMs });
  await item.click();
}

/** The quick pick's current title (e.g. a verdict the command puts there). */
export async function pickTitle(page: Page, title: string | RegExp, timeoutMs = 30_000): Promise<string> {
  const widget = quickInput(page, title);
  await widget.waitFor({ state: 'visible', timeout: timeoutMs });
  return (await widget.locator('.quick-input-title').textContent()) ?? '';
}
