import type { Locator, Page } from 'playwright-core';
import { eventually } from './eventually';

/** The innermost rendered token of an editor's text that contains `text` (what a person points at). */
export function editorText(editor: Locator, text: string): Locator {
  return editor.locator('.view-lines .view-line span span').filter({ hasText: text }).first();
}

/**
 * Points the mouse at `target` in an editor until a hover matching `hasText` shows, and returns it.
 * The editor computes a hover only on a mouse move, and content arriving meanwhile (diagnostics
 * set again, a CodeLens pushing the line down) can leave the pointer on no hover at all; a person
 * then moves the mouse off and back, and so does each try here.
 */
export async function hoverUntil(page: Page, editor: Locator, target: Locator, hasText: RegExp, timeoutMs = 60_000): Promise<Locator> {
  const hover = page.locator('.monaco-hover').filter({ hasText }).first();
  let seen = '';
  let tries = 0;
  try {
    await eventually(async () => {
      tries++;
      const box = await editor.boundingBox();
      if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height - 10);
      await target.hover({ timeout: 10_000 });
      try {
        await hover.waitFor({ state: 'visible', timeout: 8_000 });
      } catch (err) {
        seen = (await page.locator('.monaco-hover:visible').allTextContents()).join(' | ');
        throw err;
      }
    }, timeoutMs);
  } catch (err) {
    throw new Error(`no editor hover matching ${hasText} within ${timeoutMs} ms; visible hovers: ${seen || 'none'} (${(err as Error).message.split('\n')[0]})`, { cause: err });
  }
  // Worth knowing when it took more than one pointing (which UI test runs do, and why).
  if (tries > 1) console.log(`      hover ${hasText} showed on try ${tries}; before: ${seen || 'no hover'}`);
  return hover;
}
