import type { Page } from 'playwright-core';

/**
 * Answers VS Code's modal dialog with `button` and returns the dialog's whole text (message and
 * detail; this VS Code version has no '.dialog-message-text' for support/dialogs.ts to read).
 */
export async function answerModal(page: Page, button: string, timeoutMs = 30_000): Promise<string> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
  const message = (await dialog.textContent()) ?? '';
  await dialog.getByRole('button', { name: button, exact: true }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  return message;
}
