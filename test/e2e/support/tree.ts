import type { Locator, Page } from 'playwright-core';

/** A TreeView by its view name (`views.<container>[].name`). */
export function treeView(page: Page, viewName: string): Locator {
  return page.locator(`.monaco-list[role=tree][aria-label="${viewName}"]`);
}

/** The rows of a tree, optionally those whose label is exactly `label` (a string or RegExp). */
export function treeItems(tree: Locator, label?: string | RegExp): Locator {
  const rows = tree.locator('.monaco-list-row[role=treeitem]');
  if (label === undefined) return rows;
  // Match on the label element: a row's aria-label is its tooltip when it has one.
  const exact = typeof label === 'string' ? new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : label;
  return rows.filter({ has: tree.page().locator('.label-name', { hasText: exact }) });
}

export async function treeItemLabels(tree: Locator): Promise<string[]> {
  return tree.locator('.monaco-list-row[role=treeitem] .label-name').allTextContents();
}

/** The row's description text (TreeItem.description). */
export async function treeItemDescription(item: Locator): Promise<string> {
  return (await item.locator('.label-description').first().textContent()) ?? '';
}

/** Expands a collapsed row and waits until it says so. */
export async function expand(item: Locator): Promise<void> {
  if ((await item.getAttribute('aria-expanded')) === 'true') return;
  await item.locator('.monaco-tl-twistie').click();
  await item.page().waitForFunction((el) => el?.getAttribute('aria-expanded') === 'true', await item.elementHandle(), { timeout: 10_000 });
}

/**
 * Right-clicks a row and runs a context-menu entry by its label. On a busy machine the first click
 * can land while the menu still lays itself out; then the entry is focused and Enter runs it.
 */
export async function contextMenu(item: Locator, entry: string): Promise<void> {
  const page = item.page();
  await item.click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  const menuItem = menu.getByRole('menuitem', { name: entry });
  await menuItem.waitFor({ state: 'visible', timeout: 10_000 });
  await menuItem.hover();
  await menuItem.click();
  try {
    await menu.waitFor({ state: 'hidden', timeout: 3_000 });
  } catch {
    await menuItem.hover();
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden', timeout: 5_000 });
  }
}

/** Clicks an inline action (hover icon) of a row by its title. */
export async function inlineAction(item: Locator, title: string): Promise<void> {
  await item.hover();
  await item.locator(`.actions a.action-label[aria-label="${title}"]`).click();
}
