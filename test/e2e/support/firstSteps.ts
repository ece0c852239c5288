import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { answerModal } from './modalDialog';
import { answerInputBox } from './quickInput';
import { welcomeButton } from './sideBar';

// The first two things a user does in the Managed HSM views, as most UI tests start.

/** "Sign in to Azure…" from the Azure view's welcome, allowing the extension to sign in. */
export async function signInFromWelcome(page: Page): Promise<void> {
  await (await welcomeButton(page, 'Sign in to Azure…')).click();
  assert.match(await answerModal(page, 'Allow'), /wants to sign in/);
}

/** The questions of "Add Secret Server Connection…": the URL (prefilled from the sandbox file), user name, password. */
export async function answerConnectionQuestions(page: Page, username: string, password: string): Promise<void> {
  await answerInputBox(page, '(1/3)', undefined);
  await answerInputBox(page, '(2/3)', username);
  await answerInputBox(page, '(3/3)', password);
}

/** "Add Secret Server Connection…" from the Secret Server view's welcome, answered. */
export async function addConnectionFromWelcome(page: Page, username: string, password: string): Promise<void> {
  await (await welcomeButton(page, 'Add Secret Server Connection…')).click();
  await answerConnectionQuestions(page, username, password);
}
