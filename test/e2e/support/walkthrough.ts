import type { Locator, Page } from 'playwright-core';

// A walkthrough (contributes.walkthroughs) as VS Code's Welcome page shows it: the step list on
// the left, each step a `button.getting-started-step` whose `data-step-id` ends in `#<step id>`,
// with a checkbox (`[data-done-step-id]`, aria-checked, codicon pass-filled when complete) that
// VS Code updates when the step's completion event fires. Selecting a step shows its description,
// where a command link alone on a line is a button.

/** The walkthrough page of the active editor. */
export function walkthroughPage(page: Page): Locator {
  return page.locator('.gettingStartedContainer .gettingStartedSlideDetails');
}

/** The step's row in the list. */
export function walkthroughStep(page: Page, stepId: string): Locator {
  return walkthroughPage(page).locator(`button.getting-started-step[data-step-id$="#${stepId}"]`);
}

/** Whether VS Code shows the step as complete (its checkbox ticked). */
export async function isStepComplete(page: Page, stepId: string): Promise<boolean> {
  const box = walkthroughPage(page).locator(`[data-done-step-id$="#${stepId}"]`).first();
  return (await box.getAttribute('aria-checked')) === 'true';
}

/** Waits until the step shows as complete (its checkmark), as the extension's context key sets it. */
export async function waitForStepComplete(page: Page, stepId: string, timeoutMs = 60_000): Promise<void> {
  await walkthroughPage(page).locator(`[data-done-step-id$="#${stepId}"][aria-checked="true"].codicon-getting-started-step-checked`).first().waitFor({ state: 'attached', timeout: timeoutMs });
}

/** Selects (expands) the step, so that its description and buttons show. */
export async function selectStep(page: Page, stepId: string, timeoutMs = 30_000): Promise<void> {
  const step = walkthroughStep(page, stepId);
  await step.waitFor({ state: 'visible', timeout: timeoutMs });
  if ((await step.getAttribute('aria-expanded')) !== 'true') {
    // The title, not the checkbox: clicking the checkbox would toggle the step by hand.
    await step.locator('.step-title').click();
  }
  await walkthroughPage(page).locator(`button.getting-started-step[data-step-id$="#${stepId}"][aria-expanded="true"]`).waitFor({ state: 'visible', timeout: timeoutMs });
}

/** Clicks a command button of the step's description. */
export async function clickStepButton(page: Page, stepId: string, label: string | RegExp, timeoutMs = 30_000): Promise<void> {
  await selectStep(page, stepId, timeoutMs);
  const button = walkthroughPage(page).locator(`[x-step-description-for$="#${stepId}"] .button-container .monaco-button`).filter({ hasText: label }).first();
  await button.waitFor({ state: 'visible', timeout: timeoutMs });
  await button.click();
}

/** The ids of the steps shown as complete, in list order. */
export async function completedStepIds(page: Page): Promise<string[]> {
  const ids = await walkthroughPage(page).locator('[data-done-step-id][aria-checked="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-done-step-id') ?? ''));
  return ids.map((id) => id.slice(id.lastIndexOf('#') + 1));
}
