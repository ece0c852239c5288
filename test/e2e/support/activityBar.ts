import type { Locator, Page } from 'playwright-core';

/**
 * The link of a view container in the Activity Bar. Its aria-label is the container's `title`
 * (plus a keybinding for built-ins, e.g. "Explorer (Ctrl+Shift+E)"); the enclosing tab's is empty.
 */
function linkSelector(title: string): string {
  return `a.action-label[aria-label="${title}"], a.action-label[aria-label^="${title} ("]`;
}

export function activityBarItem(page: Page, title: string): Locator {
  return page.locator('.activitybar').locator(linkSelector(title)).first();
}

/** Opens a view container from the Activity Bar (a click on an already open one would close it). */
export async function openViewContainer(page: Page, title: string): Promise<void> {
  const item = activityBarItem(page, title);
  await item.waitFor({ state: 'visible', timeout: 90_000 });
  const tab = page.locator('.activitybar li.action-item').filter({ has: page.locator(linkSelector(title)) }).first();
  const open = await tab.evaluate((el) => el.classList.contains('checked') || el.getAttribute('aria-selected') === 'true');
  if (!open) await item.click();
  await page.waitForFunction(
    (el) => !!el && (el.classList.contains('checked') || el.getAttribute('aria-selected') === 'true'),
    await tab.elementHandle(),
    { timeout: 10_000 },
  );
}
