import type { Page } from 'playwright-core';

/** Answers VS Code's modal dialog (e.g. "The extension … wants to sign in using Microsoft (sandbox)"). */
export async function answerDialog(page: Page, button: string, timeoutMs = 20_000): Promise<string> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
  const message = (await dialog.locator('.dialog-message-text').textContent()) ?? '';
  await dialog.getByRole('button', { name: button, exact: true }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  return message;
}
