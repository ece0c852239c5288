import type { FrameLocator, Page } from 'playwright-core';

// The Markdown preview is a webview: an iframe (the webview host) holding the page's own iframe.

export function markdownPreview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
}

/** The preview's text once it contains `expected` (the preview renders asynchronously). */
export async function previewText(page: Page, expected: string | RegExp, timeoutMs = 30_000): Promise<string> {
  const body = markdownPreview(page).locator('body');
  await body.filter({ hasText: expected }).waitFor({ state: 'visible', timeout: timeoutMs });
  return (await body.textContent()) ?? '';
}

/** The preview's list items that carry a bold title (one per finding in a readiness report), as text. */
export async function previewListItems(page: Page): Promise<string[]> {
  return markdownPreview(page).locator('body li:has(> strong)').allTextContents();
}
