import type { Locator, Page } from 'playwright-core';
import { runCommand } from './commandPalette';

/** A notification toast (normal mode; the smoke-test driver suppresses toasts). */
export function toast(page: Page, text: string | RegExp): Locator {
  return page.locator('.notifications-toasts .notification-toast').filter({ hasText: text });
}

export async function waitForToast(page: Page, text: string | RegExp, timeoutMs = 20_000): Promise<Locator> {
  const t = toast(page, text).first();
  await t.waitFor({ state: 'visible', timeout: timeoutMs });
  return t;
}

/** The message text of a toast or notification-center entry. */
export async function notificationMessage(notification: Locator): Promise<string> {
  return (await notification.locator('.notification-list-item-message').first().textContent()) ?? '';
}

/** Clicks a toast's button ("Sign in", "Retry", …). */
export async function clickNotificationButton(notification: Locator, label: string): Promise<void> {
  await notification.getByRole('button', { name: label }).click();
}

/** All notifications, including those no toast showed (works in smoke-test-driver mode too). */
export async function notificationCenterMessages(page: Page): Promise<string[]> {
  await runCommand(page, 'Notifications: Show Notifications');
  return page.locator('.notifications-center .notification-list-item-message').allTextContents();
}
