import type { Locator, Page } from 'playwright-core';
import { eventually } from './eventually';

// The quick input widget (input boxes and quick picks a command shows), found by its title so a
// step never answers the wrong prompt.

export function quickInput(page: Page, title: string | RegExp): Locator {
  // A closing widget stays in the page for its animation, still showing the old title.
  return page.locator('.quick-input-widget:not(.quick-input-widget-closing)').filter({ has: page.locator('.quick-input-title', { hasText: exactTitle(title) }) });
}

/**
 * The input box titled `title`, not a quick pick of the same title: a wizard's picks and its next
 * input box often share one title ("Create key for Secret Server", then "… (1/1)"), and the pick
 * just answered stays on screen until the command shows the box. Text typed into it then lands in
 * the pick's filter, and the box that replaces it shows that text in the same DOM input while its
 * own value is still empty (seen: Enter gave "A key name is required."). An input box lists no rows.
 */
export function inputBox(widget: Locator): Locator {
  return widget.filter({ hasNot: widget.page().locator('.quick-input-list .monaco-list-row:visible') });
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
  const widget = inputBox(quickInput(page, title));
  await widget.waitFor({ state: 'visible', timeout: timeoutMs });
  const input = widget.locator('.quick-input-box input');
  if (value !== undefined) await input.fill(value);
  const accepted = await input.inputValue();
  await input.press('Enter');
  await eventually(async () => {
    // One look at the page, not "is it visible?" then "what does it hold?": the wizard may move on
    // to its next prompt between two looks, and a read of a box that has gone waits for it (30 s).
    const shown = await input.evaluateAll((boxes) => boxes.filter((b) => b.getClientRects().length > 0).map((b) => (b as HTMLInputElement).value));
    if (shown.length === 0 || shown[0] !== accepted) return;
    throw new Error(`the input box "${String(title)}" did not accept its value`);
  }, 15_000, 200);
}

/** The validation message an input box shows under the text. */
export async function inputValidation(page: Page, title: string | RegExp, value: string, timeoutMs = 10_000): Promise<string> {
  const widget = inputBox(quickInput(page, title));
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

// Prompts found by part of their title ("(1/3)", "quorum (M of 3)"), and VS Code's "simple file
// dialog", which is what showOpenDialog/showSaveDialog render as in VS Code in the browser: a quick
// input holding a path.

/** The quick input whose title contains `title`. */
export function quickInputContaining(page: Page, title: string | RegExp): Locator {
  return page.locator('.quick-input-widget').filter({ has: page.locator('.quick-input-title', { hasText: title }) });
}

/** Waits for the input box titled `title`, types `value` (undefined keeps the prefill) and accepts it. */
export async function answerInputBox(page: Page, title: string | RegExp, value: string | undefined, timeoutMs = 30_000): Promise<void> {
  const widget = inputBox(quickInputContaining(page, title));
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
  const widget = quickInputContaining(page, title);
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
  const widget = quickInputContaining(page, title);
  await widget.waitFor({ state: 'visible', timeout: timeoutMs });
  const input = widget.locator('.quick-input-box input');
  // The dialog first lists its proposed folder, then writes that path into the box and moves the
  // caret; text typed before that lands in the middle of its path ("<proposed>/<typed>"). The list
  // gets its rows (at least "..") in the same step, so rows mean it has settled, as a person waits
  // for the list before typing.
  await widget.locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout: timeoutMs });
  // undefined keeps the proposed path (a save dialog's folder and suggested name).
  if (fullPath !== undefined) await typePath(widget, input, fullPath);
  // While it lists the folder the dialog is busy (progress bar); an OK then waits for it.
  await eventually(async () => {
    if ((await widget.locator('.monaco-progress-container.active, .monaco-progress-container.infinite').count()) > 0) throw new Error('The file dialog is still busy.');
  }, 15_000);
  if (fullPath !== undefined) await typePath(widget, input, fullPath);
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

/**
 * Replaces the dialog's path with `fullPath` (select all, type) until the box holds exactly that,
 * as a person retypes a path the dialog mangled; a late update of the dialog is undone this way.
 */
async function typePath(widget: Locator, input: Locator, fullPath: string): Promise<void> {
  if ((await input.inputValue()) === fullPath) return;
  await input.fill(fullPath);
  await eventually(async () => {
    const shown = await input.inputValue();
    if (shown === fullPath) return;
    await input.fill(fullPath);
    throw new Error(`The file dialog "${(await widget.locator('.quick-input-title').textContent()) ?? ''}" shows '${shown}', not '${fullPath}'.`);
  }, 15_000, 300);
}

/**
 * Chooses the row of the quick pick titled `title` whose text matches `row` with the keyboard
 * (arrow keys, then Enter), as a person does when a row's hover covers the list: a hover left
 * by the mouse over one row (e.g. its long detail) can cover the row below and swallow a click.
 */
export async function pickWithKeys(page: Page, title: string | RegExp, row: string | RegExp, timeoutMs = 30_000): Promise<void> {
  const widget = quickInput(page, title);
  await widget.waitFor({ state: 'visible', timeout: timeoutMs });
  const rows = widget.locator('.monaco-list-row');
  await rows.filter({ hasText: row }).first().waitFor({ state: 'visible', timeout: timeoutMs });
  const input = widget.locator('.quick-input-box input');
  await input.focus();
  const target = widget.locator('.monaco-list-row.focused').filter({ hasText: row });
  const count = await rows.count();
  for (let i = 0; i <= count; i++) {
    if (await target.count()) {
      await input.press('Enter');
      return;
    }
    await input.press('ArrowDown');
  }
  throw new Error(`no row matching ${String(row)} could be focused in the quick pick "${String(title)}"`);
}
