import type { Locator, Page } from 'playwright-core';
import { treeItems } from './tree';

// The side bar as a person arranges it: welcome-view buttons, sections collapsed or expanded,
// the edge dragged wider, a long (virtual) tree scrolled until a row shows.

export async function welcomeButton(page: Page, text: string, timeoutMs = 30_000): Promise<Locator> {
  const button = page.locator('.welcome-view-content a.monaco-button, .welcome-view-content .monaco-button').filter({ hasText: text }).first();
  await button.waitFor({ state: 'visible', timeout: timeoutMs });
  return button;
}

export async function row(tree: Locator, label: string | RegExp, timeoutMs = 30_000): Promise<Locator> {
  const item = treeItems(tree, label).first();
  await item.waitFor({ state: 'visible', timeout: timeoutMs });
  return item;
}

/** Scrolls a (virtual) tree from the top down until the row is rendered, as a person scrolls to it. */
export async function scrollTo(tree: Locator, label: string | RegExp, hasText?: string): Promise<Locator> {
  const page = tree.page();
  await tree.hover();
  await page.mouse.wheel(0, -20_000);
  for (let i = 0; i < 80; i++) {
    const rows = treeItems(tree, label);
    const item = (hasText ? rows.filter({ hasText }) : rows).first();
    // A row rendered at the view's bottom edge sits under the next pane's header: scroll on until
    // it has room below it (or the tree ends), as a person would before clicking it.
    if ((await item.isVisible()) && (await clearOfBottomEdge(tree, item))) return item;
    await tree.hover();
    await page.mouse.wheel(0, 120);
    await page.waitForTimeout(100);
  }
  return row(tree, label, 5_000);
}

async function clearOfBottomEdge(tree: Locator, item: Locator): Promise<boolean> {
  const [view, row] = await Promise.all([tree.boundingBox(), item.boundingBox()]);
  if (!view || !row) return false;
  if (row.y + row.height <= view.y + view.height - 2 * row.height) return true;
  // The last row of the whole tree cannot move up any further.
  return (await item.getAttribute('data-last-element')) === 'true';
}

/** Collapses or expands a view's section by its header. */
export async function togglePane(page: Page, viewName: string): Promise<void> {
  const header = page.locator('.pane-header').filter({ has: page.locator('h3.title', { hasText: new RegExp(`^${viewName}$`) }) }).first();
  await header.waitFor({ state: 'visible', timeout: 15_000 });
  await header.click({ position: { x: 30, y: 10 } });
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

/** The tree's context-menu runner, under the name the provisioning test uses. */
export { contextMenu as runContextMenu } from './tree';
