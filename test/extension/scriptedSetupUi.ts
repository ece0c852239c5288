import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Back, InputOptions, PickOptions, SetupPickItem, SetupUi } from '../../src/commands/setup/setupUi';
import { registerSetupCommands, setSetupUiTestCommand } from '../../src/commands/setup/registerSetupCommands';
import type { ExtensionApi } from '../../src/extension';

// Answers the setup commands' prompts from a script, like the Azure extensions' TestUserInput: each
// prompt takes the next answer, and a prompt nobody expected fails the test instead of hanging.
// Answers never contain secrets, and nothing here prints what a prompt showed.

/** One answer; which key is present says which prompt it is for. */
export interface Answer {
  pick?: string | RegExp;
  checkPick?: (items: readonly SetupPickItem<unknown>[], options: PickOptions) => void;
  input?: string | undefined;
  checkInput?: (options: InputOptions) => void;
  confirm?: string | undefined;
  checkConfirm?: (message: string, detail: string | undefined, buttons: readonly string[]) => void;
  save?: vscode.Uri | undefined;
  /** Press Back on this pick or input. */
  back?: 'pick' | 'input';
}

export class ScriptedUi implements SetupUi {
  private queue: Answer[] = [];
  readonly notices: string[] = [];
  readonly prompts: string[] = [];
  copied = 0;
  private unexpected?: string;

  script(...answers: Answer[]): this {
    this.queue.push(...answers);
    return this;
  }

  /** Drops the answers a failed run left unused (it stopped before its last prompt), so the next run starts from its first. */
  discardUnused(): Answer[] {
    return this.queue.splice(0);
  }

  /** Fails when a prompt went unanswered by the script or a scripted answer was never used. */
  assertDone(): void {
    assert.equal(this.unexpected, undefined, this.unexpected);
    assert.deepEqual(this.queue.map((a) => Object.keys(a)[0]), [], 'scripted answers left over');
  }

  private next(kind: string, title: string): Answer | undefined {
    this.prompts.push(`${kind}: ${title}`);
    const answer = this.queue.shift();
    if (!answer) {
      this.unexpected ??= `unexpected ${kind} prompt "${title}"`;
      return undefined;
    }
    return answer;
  }

  async pick<T>(items: readonly SetupPickItem<T>[], options: PickOptions): Promise<SetupPickItem<T> | Back | undefined> {
    const a = this.next('pick', options.title);
    if (!a) return undefined;
    if (a.back === 'pick') return { back: true };
    if (a.pick === undefined) {
      this.unexpected ??= `pick "${options.title}" got a ${Object.keys(a)[0]} answer`;
      return undefined;
    }
    a.checkPick?.(items as readonly SetupPickItem<unknown>[], options);
    const wanted = a.pick;
    const found = items.find((i) => (typeof wanted === 'string' ? i.label === wanted || i.label.endsWith(` ${wanted}`) : wanted.test(i.label)));
    if (!found) this.unexpected ??= `pick "${options.title}" has no item ${String(a.pick)}; items: ${items.map((i) => i.label).join(' | ')}`;
    return found;
  }

  async input(options: InputOptions): Promise<string | Back | undefined> {
    const a = this.next('input', options.title);
    if (!a) return undefined;
    if (a.back === 'input') return { back: true };
    if (!('input' in a)) {
      this.unexpected ??= `input "${options.title}" got a ${Object.keys(a)[0]} answer`;
      return undefined;
    }
    a.checkInput?.(options);
    if (typeof a.input === 'string') {
      const problem = options.validate?.(a.input);
      if (problem) this.unexpected ??= `input "${options.title}" rejected the scripted answer: ${problem}`;
    }
    return a.input;
  }

  async confirm(message: string, detail: string | undefined, buttons: readonly string[]): Promise<string | undefined> {
    const a = this.next('confirm', message);
    if (!a) return undefined;
    if (!('confirm' in a)) {
      this.unexpected ??= `confirm "${message}" got a ${Object.keys(a)[0]} answer`;
      return undefined;
    }
    a.checkConfirm?.(message, detail, buttons);
    if (a.confirm !== undefined && !buttons.includes(a.confirm)) this.unexpected ??= `confirm "${message}" has no button ${a.confirm}; buttons: ${buttons.join(', ')}`;
    return a.confirm;
  }

  async inform(message: string): Promise<string | undefined> {
    this.notices.push(message);
    return undefined;
  }

  async warn(message: string): Promise<string | undefined> {
    this.notices.push(message);
    return undefined;
  }

  /** What was copied (a client secret value): tests check it appears nowhere else. Never printed. */
  readonly copiedTexts: string[] = [];

  async copy(text: string): Promise<void> {
    this.copied++;
    this.copiedTexts.push(text);
  }

  async saveLocation(title: string): Promise<vscode.Uri | undefined> {
    const a = this.next('save', title);
    return a?.save;
  }
}

/**
 * Installs `ui` for the setup commands. Until the composition root registers them, the suite
 * registers them itself on the extension's own explorer (same trees, services and sessions).
 */
export async function installScriptedUi(api: ExtensionApi, ui: SetupUi | undefined): Promise<void> {
  const commands = await vscode.commands.getCommands(true);
  if (commands.includes(setSetupUiTestCommand)) {
    await vscode.commands.executeCommand(setSetupUiTestCommand, ui);
    return;
  }
  // Each suite is its own bundle, so the registration is shared through the global object.
  const shared = globalThis as { [registered]?: ReturnType<typeof registerSetupCommands> };
  shared[registered] ??= registerSetupCommands({ subscriptions: [], extensionMode: vscode.ExtensionMode.Production } as unknown as vscode.ExtensionContext, api);
  shared[registered].setUi(ui);
}

const registered = Symbol.for('mhsm.test.setupCommands');
