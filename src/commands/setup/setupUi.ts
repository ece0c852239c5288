import * as vscode from 'vscode';

// Every prompt the setup commands show goes through this seam, so extension-host tests can answer
// them from a script. Only prompts live here: Azure calls, progress and documents stay real.

export interface SetupPickItem<T> extends vscode.QuickPickItem {
  value: T;
}

/** What a wizard step answers when the user pressed its Back button. */
export interface Back {
  readonly back: true;
}

export function isBack(answer: unknown): answer is Back {
  return typeof answer === 'object' && answer !== null && (answer as { back?: unknown }).back === true;
}

export interface StepInfo {
  step: number;
  totalSteps: number;
}

export interface PickOptions extends Partial<StepInfo> {
  title: string;
  placeHolder?: string;
}

export interface InputOptions extends Partial<StepInfo> {
  title: string;
  prompt: string;
  value?: string;
  placeHolder?: string;
  password?: boolean;
  /** The problem with `value`, or undefined when it is acceptable. */
  validate?: (value: string) => string | undefined;
}

export interface SetupUi {
  /** The chosen item; Back (only offered from step 2 on); undefined when dismissed. */
  pick<T>(items: readonly SetupPickItem<T>[], options: PickOptions): Promise<SetupPickItem<T> | Back | undefined>;
  /** The entered text; Back (only offered from step 2 on); undefined when dismissed. */
  input(options: InputOptions): Promise<string | Back | undefined>;
  /** A modal question; the chosen button title, or undefined when dismissed. */
  confirm(message: string, detail: string | undefined, buttons: readonly string[]): Promise<string | undefined>;
  /** A non-modal notice with optional buttons; the clicked one, or undefined. */
  inform(message: string, buttons?: readonly string[]): Promise<string | undefined>;
  warn(message: string, buttons?: readonly string[]): Promise<string | undefined>;
  copy(text: string): Promise<void>;
  /** Where to save a file; undefined when dismissed. */
  saveLocation(title: string, suggestedName: string): Promise<vscode.Uri | undefined>;
}

const back: Back = { back: true };

export function vscodeSetupUi(): SetupUi {
  return {
    pick(items, options) {
      return new Promise((resolve) => {
        const qp = vscode.window.createQuickPick<SetupPickItem<unknown>>();
        Object.assign(qp, { title: options.title, placeholder: options.placeHolder, step: options.step, totalSteps: options.totalSteps, ignoreFocusOut: true, matchOnDescription: true, matchOnDetail: true });
        qp.items = [...items];
        if ((options.step ?? 1) > 1) qp.buttons = [vscode.QuickInputButtons.Back];
        let done = false;
        const finish = (answer: SetupPickItem<unknown> | Back | undefined) => {
          if (done) return;
          done = true;
          resolve(answer as never);
          qp.dispose();
        };
        qp.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(back));
        qp.onDidAccept(() => qp.selectedItems[0] && finish(qp.selectedItems[0]));
        qp.onDidHide(() => finish(undefined));
        qp.show();
      });
    },
    input(options) {
      return new Promise((resolve) => {
        const box = vscode.window.createInputBox();
        Object.assign(box, { title: options.title, prompt: options.prompt, value: options.value ?? '', placeholder: options.placeHolder, password: options.password ?? false, step: options.step, totalSteps: options.totalSteps, ignoreFocusOut: true });
        if ((options.step ?? 1) > 1) box.buttons = [vscode.QuickInputButtons.Back];
        let done = false;
        const finish = (answer: string | Back | undefined) => {
          if (done) return;
          done = true;
          resolve(answer);
          box.dispose();
        };
        box.onDidChangeValue((v) => (box.validationMessage = options.validate?.(v)));
        box.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(back));
        box.onDidAccept(() => {
          const problem = options.validate?.(box.value);
          if (problem) box.validationMessage = problem;
          else finish(box.value);
        });
        box.onDidHide(() => finish(undefined));
        box.show();
      });
    },
    async confirm(message, detail, buttons) {
      return vscode.window.showWarningMessage(message, { modal: true, detail }, ...buttons);
    },
    async inform(message, buttons = []) {
      return vscode.window.showInformationMessage(message, ...buttons);
    },
    async warn(message, buttons = []) {
      return vscode.window.showWarningMessage(message, ...buttons);
    },
    async copy(text) {
      await vscode.env.clipboard.writeText(text);
    },
    async saveLocation(title, suggestedName) {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      return vscode.window.showSaveDialog({ title, filters: { Markdown: ['md'] }, defaultUri: folder ? vscode.Uri.joinPath(folder, suggestedName) : undefined });
    },
  };
}
