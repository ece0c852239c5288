import type { Locator, Page } from 'playwright-core';
import { treeItems } from './tree';

/** A button of a view's welcome content ("Sign in to Azure…", "Add Secret Server Connection…"). */
export async function welcomeButton(page: Page, text: string, timeoutMs = 30_000): Promise<Locator> {
  const button = page.locator('.welcome-view-content a.monaco-button, .welcome-view-content .monaco-button').filter({ hasText: text }).first();
  await button.waitFor({ state: 'visible', timeout: timeoutMs });
  return button;
}

/** The first row labelled `label`, once it is shown. */
export async function treeRow(tree: Locator, label: string | RegExp, timeoutMs = 30_000): Promise<Locator> {
  const item = treeItems(tree, label).first();
  await item.waitFor({ state: 'visible', timeout: timeoutMs });
  return item;
}

/** Drags the side bar's edge so that descriptions are readable in screenshots. */
export async function widenSideBar(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return;
  const edge = box.x + box.width + 1;
  await page.mouse.move(edge, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + width, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
}

/**
 * Right-clicks a row and runs a context-menu entry. On a busy machine the first click can land
 * while the menu still lays itself out; then the entry is focused and Enter runs it.
 */
export async function runContextMenu(item: Locator, entry: string): Promise<void> {
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
