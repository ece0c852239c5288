import type { Locator, Page } from 'playwright-core';

// Prompts as a person answers them: welcome-view buttons, the modal dialog, titled input boxes.

/** A button of a view's welcome content, by its text. */
export async function welcomeButton(page: Page, text: string): Promise<Locator> {
  const button = page.locator('.welcome-view-content a.monaco-button, .welcome-view-content .monaco-button').filter({ hasText: text }).first();
  await button.waitFor({ state: 'visible', timeout: 30_000 });
  return button;
}

/** Answers the modal dialog with `button` and returns its whole text. */
export async function answerModal(page: Page, button: string): Promise<string> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 20_000 });
  const message = (await dialog.textContent()) ?? '';
  await dialog.getByRole('button', { name: button, exact: true }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  return message;
}

/** Waits for the input box whose title contains `title`, types `value` (or keeps the prefill) and accepts. */
export async function answerInputBox(page: Page, title: string, value: string | undefined): Promise<void> {
  const widget = page.locator('.quick-input-widget').filter({ has: page.locator('.quick-input-title', { hasText: title }) });
  await widget.waitFor({ state: 'visible', timeout: 15_000 });
  const input = widget.locator('.quick-input-box input');
  if (value !== undefined) await input.fill(value);
  await input.press('Enter');
  await widget.waitFor({ state: 'hidden', timeout: 15_000 });
}
