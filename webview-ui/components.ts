import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDivider,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeProgressRing,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

// The only module that knows which component library draws the form. @vscode/webview-ui-toolkit
// is archived (final 1.4.0); moving to @vscode-elements/elements means rewriting this file's
// tag names and registration, not the form.

export function registerComponents(): void {
  provideVSCodeDesignSystem().register(
    vsCodeButton(),
    vsCodeCheckbox(),
    vsCodeDivider(),
    vsCodeDropdown(),
    vsCodeOption(),
    vsCodeProgressRing(),
    vsCodeTextField(),
  );
}

export interface ValueControl extends HTMLElement {
  value: string;
  disabled: boolean;
}

export interface CheckControl extends HTMLElement {
  checked: boolean;
  disabled: boolean;
}

export interface ButtonControl extends HTMLElement {
  disabled: boolean;
}

export interface TextFieldOptions {
  type?: 'text' | 'password';
  placeholder?: string;
  maxLength?: number;
  /** Id of the element that explains the field (its error line). */
  describedBy?: string;
}

/** A labelled text field; the label is the component's slotted text. */
export function textField(id: string, label: string, options: TextFieldOptions = {}): ValueControl {
  const el = document.createElement('vscode-text-field') as ValueControl;
  el.id = id;
  el.textContent = label;
  el.setAttribute('type', options.type ?? 'text');
  if (options.placeholder) el.setAttribute('placeholder', options.placeholder);
  if (options.maxLength) el.setAttribute('maxlength', String(options.maxLength));
  if (options.describedBy) el.setAttribute('aria-describedby', options.describedBy);
  // Never offered to a password manager or spell checker: the values are ids and secrets.
  el.setAttribute('autocomplete', 'off');
  el.setAttribute('spellcheck', 'false');
  return el;
}

export interface Choice {
  value: string;
  label: string;
  disabled?: boolean;
}

/** A drop-down labelled by another element (the component has no label slot). */
export function dropdown(id: string, labelledBy: string, describedBy?: string): ValueControl {
  const el = document.createElement('vscode-dropdown') as ValueControl;
  el.id = id;
  el.setAttribute('aria-labelledby', labelledBy);
  if (describedBy) el.setAttribute('aria-describedby', describedBy);
  return el;
}

export function setChoices(el: ValueControl, choices: readonly Choice[], selected: string | undefined): void {
  el.replaceChildren(
    ...choices.map((c) => {
      const option = document.createElement('vscode-option');
      option.setAttribute('value', c.value);
      option.textContent = c.label;
      if (c.disabled) option.setAttribute('disabled', '');
      if (c.value === selected) option.setAttribute('selected', '');
      return option;
    }),
  );
  // The component picks up new options asynchronously.
  queueMicrotask(() => {
    if (selected !== undefined) el.value = selected;
  });
}

export function checkbox(id: string, label: string, describedBy?: string): CheckControl {
  const el = document.createElement('vscode-checkbox') as CheckControl;
  el.id = id;
  el.textContent = label;
  if (describedBy) el.setAttribute('aria-describedby', describedBy);
  return el;
}

export function button(id: string, label: string, appearance: 'primary' | 'secondary' = 'primary'): ButtonControl {
  const el = document.createElement('vscode-button') as ButtonControl;
  el.id = id;
  el.textContent = label;
  el.setAttribute('appearance', appearance);
  return el;
}

export function progressRing(label: string): HTMLElement {
  const el = document.createElement('vscode-progress-ring');
  el.setAttribute('aria-label', label);
  return el;
}

export function divider(): HTMLElement {
  return document.createElement('vscode-divider');
}

/** Marks a control invalid (or valid again) for assistive technology. */
export function setInvalid(el: HTMLElement, invalid: boolean): void {
  if (invalid) el.setAttribute('aria-invalid', 'true');
  else el.removeAttribute('aria-invalid');
}

/** Event names the components fire when the user changes a value. */
export const valueEvents = { text: 'input', choice: 'change', check: 'change', press: 'click' } as const;
