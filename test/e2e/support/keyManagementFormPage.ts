import * as assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { eventually } from './eventually';

// The key management form's page as a person fills it in: fields, the maintenance confirmation,
// Save and its answer.

export async function fieldValue(form: FrameLocator, id: string): Promise<string> {
  return form.locator(`#${id} input`).inputValue();
}

export async function setField(form: FrameLocator, id: string, value: string): Promise<void> {
  const input = form.locator(`#${id} input`);
  await input.fill(value);
  await eventually(async () => assert.equal(await input.inputValue(), value), 5_000, 100);
}

/** Ticks the maintenance-mode confirmation if it is not ticked. */
export async function confirmMaintenance(form: FrameLocator): Promise<void> {
  const box = form.locator('#confirm');
  if ((await box.getAttribute('aria-checked')) !== 'true') await box.click();
  await eventually(async () => assert.equal(await box.getAttribute('aria-checked'), 'true'), 5_000, 100);
}

export async function errorText(form: FrameLocator, field: string): Promise<string> {
  return ((await form.locator(`#${field}-error`).textContent()) ?? '').trim();
}

/** Waits until Save has been answered (busy ring gone) and returns the status and summary lines. */
export async function saveAndWait(form: FrameLocator, timeoutMs = 120_000): Promise<{ status: string; summary: string }> {
  await form.locator('#save').click();
  await eventually(
    async () => {
      assert.equal(await form.locator('#save').evaluate((e) => (e as HTMLElement & { disabled: boolean }).disabled), false);
      const status = ((await form.locator('#status').textContent()) ?? '').trim();
      const summary = ((await form.locator('#summary').textContent()) ?? '').trim();
      assert.ok(/^Saved\./.test(status) || summary.length > 0, `still checking: "${status}"`);
    },
    timeoutMs,
    250,
  );
  return { status: ((await form.locator('#status').textContent()) ?? '').trim(), summary: ((await form.locator('#summary').textContent()) ?? '').trim() };
}
