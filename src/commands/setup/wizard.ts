import * as vscode from 'vscode';
import { isBack, type Back, type SetupPickItem, type SetupUi } from './setupUi';

// Multi-step input with Back: each step asks one thing and records it on the shared state; Back
// returns to the previous step with its answer kept as the default; dismissing cancels the command.

export type WizardStep<S> = (state: S, info: { step: number; totalSteps: number }) => Promise<'next' | 'back'>;

export async function runWizard<S>(state: S, steps: readonly WizardStep<S>[]): Promise<S> {
  let i = 0;
  while (i < steps.length) {
    const outcome = await steps[i](state, { step: i + 1, totalSteps: steps.length });
    i = outcome === 'back' ? Math.max(0, i - 1) : i + 1;
  }
  return state;
}

/** Unwraps a prompt's answer: a value, 'back', or a cancellation when dismissed. */
export function answered<T>(answer: T | Back | undefined): T | 'back' {
  if (answer === undefined) throw new vscode.CancellationError();
  return isBack(answer) ? 'back' : answer;
}

/** A single pick outside a wizard: the chosen value, or a cancellation. */
export async function pickOne<T>(ui: SetupUi, items: readonly SetupPickItem<T>[], title: string, placeHolder?: string): Promise<T> {
  const answer = await ui.pick(items, { title, placeHolder });
  if (answer === undefined || isBack(answer)) throw new vscode.CancellationError();
  return answer.value;
}

/** A single input outside a wizard: the text, or a cancellation. */
export async function inputOne(ui: SetupUi, options: Parameters<SetupUi['input']>[0]): Promise<string> {
  const answer = await ui.input(options);
  if (answer === undefined || isBack(answer)) throw new vscode.CancellationError();
  return answer;
}
