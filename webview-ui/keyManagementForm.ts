// Before the modules below: the page's strings are built while they load (l10nBundle.ts).
import './l10nBundle.js';
import * as l10n from '@vscode/l10n';
import type {
  AuditView,
  ConnectionState,
  FieldName,
  FormInput,
  FormPrefill,
  HostMessage,
  PageMessage,
  RotationView,
  TypeOption,
} from '../src/protocol/keyManagementForm.js';
import {
  button,
  checkbox,
  divider,
  dropdown,
  progressRing,
  registerComponents,
  setChoices,
  setInvalid,
  textField,
  valueEvents,
  type ValueControl,
} from './components.js';

// The Secret Server key management form, in the webview. It renders what the host sends and
// posts what the user does; it makes no network call and judges nothing itself. The principal
// secret lives only in its password field: it is sent once with Save, the field is cleared at
// once, and it is never part of vscode.setState.

interface VsCodeApi {
  postMessage(message: PageMessage): void;
  getState(): unknown;
  setState(state: SavedState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** What survives the page being hidden and shown again. Deliberately has no secret field. */
interface SavedState {
  connectionId?: string;
  typeId?: string;
  tenantId: string;
  principalId: string;
  keyUrl: string;
  useStoredSecret: boolean;
  storedSecretKeyId?: string;
  confirmed: boolean;
  /** The prefill last applied, so a restore does not overwrite what the user typed since. */
  appliedPrefill?: string;
}

// performance.mark: the open-to-interactive benchmark (bench/realVsCode.ts) reads these to tell
// the page's parts apart (the toolkit's evaluation, its components, the first answer).
performance.mark('mhsm.scriptEvaluated');
const vscode = acquireVsCodeApi();
registerComponents();
performance.mark('mhsm.componentsRegistered');

let requestCounter = 0;
const nextRequestId = () => `r${Date.now().toString(36)}-${(requestCounter++).toString(36)}`;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { id?: string; className?: string; text?: string } = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (props.id) e.id = props.id;
  if (props.className) e.className = props.className;
  if (props.text !== undefined) e.textContent = props.text;
  e.append(...children);
  return e;
}

function errorLine(field: FieldName): HTMLElement {
  // role=alert: an error that appears is announced without moving focus.
  const line = el('div', { id: `${field}-error`, className: 'field-error' });
  line.setAttribute('role', 'alert');
  return line;
}

// ---- the form ---------------------------------------------------------------------------------

const connectionLabel = el('label', { id: 'connection-label', text: l10n.t('Secret Server connection') });
const connection = dropdown('connection', 'connection-label', 'connection-error');
const typeLabel = el('label', { id: 'type-label', text: l10n.t('Key Management Type') });
const type = dropdown('type', 'type-label', 'type-error');
const tenantId = textField('tenantId', l10n.t('Azure Managed HSM Tenant ID'), { placeholder: '00000000-0000-0000-0000-000000000000', maxLength: 64, describedBy: 'tenantId-error' });
const principalId = textField('principalId', l10n.t('Azure Managed HSM Principal ID (Application / client ID)'), { placeholder: '00000000-0000-0000-0000-000000000000', maxLength: 64, describedBy: 'principalId-error' });
const principalSecret = textField('principalSecret', l10n.t('Azure Managed HSM Principal Secret (client secret value)'), { type: 'password', maxLength: 1024, describedBy: 'principalSecret-hint principalSecret-error' });
const secretHint = el('p', { id: 'principalSecret-hint', className: 'hint', text: l10n.t('Write-only: sent to VS Code once when you save, never shown again and never kept by this page.') });
const useStoredSecret = checkbox('useStoredSecret', l10n.t('Use the client secret VS Code stores for this app registration'), 'principalSecret-error');
const keyUrl = textField('keyUrl', l10n.t('Azure Managed HSM Key URL (versioned or versionless)'), { maxLength: 2048, describedBy: 'keyUrl-hint keyUrl-error' });
const keyUrlHint = el('p', { id: 'keyUrl-hint', className: 'hint' });
const pickKey = button('pickKey', l10n.t('Pick from the tree…'), 'secondary');
const confirm = checkbox('confirm', l10n.t('Maintenance Mode will be enabled and a Secret Key Rotation will be triggered'), 'confirm-error');
const save = button('save', 'Save', 'primary');
const cancelRotation = button('cancelRotation', l10n.t('Cancel rotation'), 'secondary');
const busy = progressRing('Working');
busy.hidden = true;

const statusLine = el('p', { id: 'status', className: 'status' });
statusLine.setAttribute('role', 'status');
statusLine.setAttribute('aria-live', 'polite');
const summary = el('div', { id: 'summary', className: 'summary' });
summary.setAttribute('role', 'alert');

const currentSection = el('section', { id: 'current', className: 'current' });
currentSection.setAttribute('aria-labelledby', 'current-heading');
const healthNotice = el('div', { id: 'health', className: 'notice' });
const rotationSection = el('section', { id: 'rotation', className: 'rotation' });
rotationSection.setAttribute('aria-labelledby', 'rotation-heading');
const rotationText = el('p', { id: 'rotation-text' });
rotationText.setAttribute('aria-live', 'polite');
const rotationBar = el('progress', { id: 'rotation-bar' });
rotationBar.max = 100;
rotationBar.setAttribute('aria-labelledby', 'rotation-heading');
const auditText = el('p', { id: 'audit-text', className: 'hint' });

const hsmFields = el(
  'fieldset',
  { id: 'hsm-fields' },
  el('legend', { text: 'Azure Managed HSM' }),
  el('div', { className: 'field' }, tenantId, errorLine('tenantId')),
  el('div', { className: 'field' }, principalId, errorLine('principalId')),
  el('div', { className: 'field' }, principalSecret, secretHint, useStoredSecret, errorLine('principalSecret')),
  el('div', { className: 'field' }, el('div', { className: 'row' }, keyUrl, pickKey), keyUrlHint, errorLine('keyUrl')),
);

const form = el(
  'form',
  { id: 'form' },
  el('div', { className: 'field' }, connectionLabel, connection, errorLine('connection')),
  el('div', { className: 'field' }, typeLabel, type, errorLine('type')),
  hsmFields,
  el('div', { className: 'field' }, confirm, errorLine('confirm')),
  el('div', { className: 'row' }, save, busy),
  statusLine,
  summary,
);
form.noValidate = true;
form.setAttribute('aria-label', l10n.t('Secret Server key management'));

const app = document.getElementById('app') ?? document.body;
app.replaceChildren(
  el('h1', { text: l10n.t('Secret Server Key Management') }),
  currentSection,
  healthNotice,
  form,
  divider(),
  el('h2', { id: 'rotation-heading', text: l10n.t('Secret key rotation') }),
  rotationSection,
);
rotationSection.append(rotationText, rotationBar, auditText, cancelRotation);
app.setAttribute('aria-busy', 'false');

// ---- state ------------------------------------------------------------------------------------

const fieldControls: Partial<Record<FieldName, HTMLElement>> = { connection, type, tenantId, principalId, principalSecret, keyUrl, confirm };
let types: TypeOption[] = [];
let pendingSave: string | undefined;

function loadState(): SavedState {
  const s = vscode.getState() as Partial<SavedState> | undefined;
  return {
    connectionId: typeof s?.connectionId === 'string' ? s.connectionId : undefined,
    typeId: typeof s?.typeId === 'string' ? s.typeId : undefined,
    tenantId: typeof s?.tenantId === 'string' ? s.tenantId : '',
    principalId: typeof s?.principalId === 'string' ? s.principalId : '',
    keyUrl: typeof s?.keyUrl === 'string' ? s.keyUrl : '',
    useStoredSecret: s?.useStoredSecret === true,
    storedSecretKeyId: typeof s?.storedSecretKeyId === 'string' ? s.storedSecretKeyId : undefined,
    confirmed: s?.confirmed === true,
    appliedPrefill: typeof s?.appliedPrefill === 'string' ? s.appliedPrefill : undefined,
  };
}

let state = loadState();

function persist(): void {
  state = {
    ...state,
    connectionId: connection.value || state.connectionId,
    typeId: type.value || state.typeId,
    tenantId: tenantId.value,
    principalId: principalId.value,
    keyUrl: keyUrl.value,
    useStoredSecret: useStoredSecret.checked,
    confirmed: confirm.checked,
  };
  vscode.setState(state);
}

function applyStateToFields(): void {
  tenantId.value = state.tenantId;
  principalId.value = state.principalId;
  keyUrl.value = state.keyUrl;
  useStoredSecret.checked = state.useStoredSecret;
  confirm.checked = state.confirmed;
  useStoredSecret.hidden = !state.storedSecretKeyId;
  principalSecret.disabled = state.useStoredSecret && !!state.storedSecretKeyId;
}

function selectedType(): TypeOption | undefined {
  return types.find((t) => String(t.id) === type.value);
}

function updateVisibility(): void {
  const t = selectedType();
  hsmFields.hidden = t?.kind !== 'azureManagedHsm';
  principalSecret.disabled = useStoredSecret.checked && !!state.storedSecretKeyId;
  useStoredSecret.hidden = !state.storedSecretKeyId;
}

function setBusy(on: boolean): void {
  busy.hidden = !on;
  save.disabled = on;
  form.setAttribute('aria-busy', String(on));
}

function clearErrors(): void {
  for (const f of Object.keys(fieldControls) as FieldName[]) {
    const line = document.getElementById(`${f}-error`);
    if (line) line.textContent = '';
    const control = fieldControls[f];
    if (control) setInvalid(control, false);
  }
  summary.textContent = '';
}

function showErrors(errors: Partial<Record<FieldName, string>>, text: string): void {
  clearErrors();
  let first: HTMLElement | undefined;
  for (const [f, message] of Object.entries(errors) as [FieldName, string][]) {
    const line = document.getElementById(`${f}-error`);
    if (line) line.textContent = message;
    const control = fieldControls[f];
    if (control) {
      setInvalid(control, true);
      first ??= control;
    }
  }
  summary.textContent = text;
  first?.focus();
}

// ---- rendering what the host sends ------------------------------------------------------------

function describeRotation(r: RotationView): string {
  const words: Record<RotationView['state'], string> = {
    idle: l10n.t('No secret key rotation has run.'),
    pending: l10n.t('Waiting for maintenance mode before the rotation starts…'),
    running: l10n.t('Rotating secret keys…'),
    cancelling: l10n.t('Cancelling the rotation…'),
    succeeded: l10n.t('The last secret key rotation completed.'),
    failed: l10n.t('The last secret key rotation failed.'),
    cancelled: l10n.t('The last secret key rotation was cancelled.'),
    ended: l10n.t('The last secret key rotation ended.'),
  };
  const parts = [words[r.state]];
  if (r.totalSecrets) parts.push(l10n.t('{0} of {1} secrets processed{2}.', r.secretsProcessed ?? 0, r.totalSecrets, r.percent !== undefined ? ` (${r.percent} %)` : ''));
  if (r.message) parts.push(r.message);
  if (r.lastRunDate && r.done) parts.push(l10n.t('Last run: {0}.', r.lastRunDate));
  if (r.maintenanceMode !== undefined) parts.push(r.maintenanceMode ? l10n.t('Maintenance mode is on.') : l10n.t('Maintenance mode is off.'));
  return parts.join(' ');
}

function describeAudit(a: AuditView | undefined): string {
  if (!a?.action) return '';
  return l10n.t('Latest audit entry: {0}{1}{2}{3}', a.action, a.displayName ? ` by ${a.displayName}` : '', a.dateRecorded ? ` on ${a.dateRecorded}` : '', a.notes ? ` — ${a.notes}` : '');
}

function renderRotation(r: RotationView | undefined, audit: AuditView | undefined): void {
  rotationText.textContent = r ? describeRotation(r) : l10n.t('No rotation information.');
  const active = !!r && !r.done;
  rotationBar.hidden = !active && r?.state !== 'succeeded';
  if (r?.percent !== undefined) rotationBar.value = r.percent;
  else if (r?.state === 'succeeded') rotationBar.value = 100;
  else rotationBar.removeAttribute('value');
  cancelRotation.hidden = !active;
  cancelRotation.disabled = r?.state === 'cancelling';
  if (audit) auditText.textContent = describeAudit(audit);
}

function renderCurrent(s: ConnectionState): void {
  const c = s.current;
  const rows: [string, string | undefined][] = [
    [l10n.t('Key Management Type'), c.typeName ?? 'None'],
    [l10n.t('Tenant ID'), c.tenantId],
    [l10n.t('Principal ID'), c.principalId],
    [l10n.t('Key URL'), c.keyUrl],
  ];
  const list = el('dl');
  for (const [term, value] of rows) if (value) list.append(el('dt', { text: term }), el('dd', { text: value }));
  currentSection.replaceChildren(el('h2', { id: 'current-heading', text: l10n.t('Current configuration') }), list);

  const h = s.health;
  healthNotice.className = 'notice';
  if (!h) {
    healthNotice.textContent = l10n.t('The server health could not be read.');
  } else if (h.readOnlyMode) {
    healthNotice.className = 'notice warning';
    healthNotice.textContent = l10n.t('Secret Server is in maintenance mode: key management cannot be changed until it is off.');
  } else if (c.kind !== 'none' && h.keyManagementHealthy === false) {
    healthNotice.className = 'notice error';
    healthNotice.textContent = l10n.t('Secret Server cannot use its current key management configuration{0}. The server only accepts a change while the current configuration works: restore it first.', h.reason ? ` (${h.reason})` : '');
  } else {
    healthNotice.textContent = h.healthy ? l10n.t('Secret Server is healthy; its current key management configuration works.') : l10n.t('Secret Server reports a problem{0}', h.reason ? `: ${h.reason}` : '.');
  }
}

function renderConnectionState(s: ConnectionState): void {
  types = s.types;
  const wanted = state.typeId && types.some((t) => String(t.id) === state.typeId) ? state.typeId : currentTypeId(s);
  setChoices(
    type,
    types.map((t) => ({ value: String(t.id), label: t.kind === 'other' ? l10n.t('{0} (current; not configurable here)', t.name) : t.name, disabled: t.kind === 'other' })),
    wanted,
  );
  // Switching usually changes one thing (key version, client secret): start from what is current.
  if (s.current.kind === 'azureManagedHsm') {
    if (!tenantId.value && s.current.tenantId) tenantId.value = s.current.tenantId;
    if (!principalId.value && s.current.principalId) principalId.value = s.current.principalId;
    if (!keyUrl.value && s.current.keyUrl) keyUrl.value = s.current.keyUrl;
  }
  renderCurrent(s);
  renderRotation(s.lastRotation, s.latestAudit);
  queueMicrotask(() => {
    updateVisibility();
    persist();
  });
}

function currentTypeId(s: ConnectionState): string | undefined {
  return s.current.typeId !== undefined ? String(s.current.typeId) : s.types[0] ? String(s.types[0].id) : undefined;
}

function applyPrefill(prefill: FormPrefill): void {
  const key = JSON.stringify(prefill);
  if (key === state.appliedPrefill || key === '{}') return;
  state = {
    ...state,
    appliedPrefill: key,
    connectionId: prefill.connectionId ?? state.connectionId,
    tenantId: prefill.tenantId ?? state.tenantId,
    principalId: prefill.principalId ?? state.principalId,
    keyUrl: prefill.keyUrl ?? state.keyUrl,
    storedSecretKeyId: prefill.storedSecretKeyId ?? state.storedSecretKeyId,
    useStoredSecret: prefill.storedSecretKeyId ? true : state.useStoredSecret,
  };
  // A key or app chosen in the tree is meant for Azure Managed HSM.
  if (prefill.keyUrl || prefill.principalId) state.typeId = undefined;
}

function send(message: PageMessage): void {
  vscode.postMessage(message);
}

function requestConnection(id: string): void {
  clearErrors();
  statusLine.textContent = l10n.t('Reading the current configuration…');
  send({ type: 'selectConnection', requestId: nextRequestId(), connectionId: id });
}

function onHostMessage(message: HostMessage): void {
  switch (message.type) {
    case 'init': {
      applyPrefill(message.prefill);
      keyUrlHint.textContent = l10n.t('Expected: {0}. Key Vault vaults (*.vault.azure.net) are not supported.', message.hsmHint);
      const selected = message.connections.some((c) => c.id === state.connectionId) ? state.connectionId : message.connections[0]?.id;
      setChoices(connection, message.connections.map((c) => ({ value: c.id, label: c.label })), selected);
      applyStateToFields();
      performance.mark('mhsm.initApplied');
      if (selected) requestConnection(selected);
      else statusLine.textContent = l10n.t('Add a Secret Server connection in the Secret Server view first.');
      return;
    }
    case 'connectionState':
      if (message.state.connectionId !== connection.value && message.requestId === undefined) return;
      statusLine.textContent = '';
      if (!state.typeId && (state.keyUrl || state.principalId)) {
        const hsm = message.state.types.find((t) => t.kind === 'azureManagedHsm');
        if (hsm) state.typeId = String(hsm.id);
      }
      renderConnectionState(message.state);
      return;
    case 'pickedKey':
      if (message.keyUrl) {
        keyUrl.value = message.keyUrl;
        if (message.tenantId && !tenantId.value) tenantId.value = message.tenantId;
        persist();
        keyUrl.focus();
      }
      return;
    case 'progress':
      if (message.requestId === pendingSave) statusLine.textContent = message.message;
      return;
    case 'fieldErrors':
      if (message.requestId !== pendingSave) return;
      pendingSave = undefined;
      setBusy(false);
      statusLine.textContent = '';
      showErrors(message.errors, `${message.summary}${selectedType()?.kind === 'azureManagedHsm' && !useStoredSecret.checked ? l10n.t(' Type the principal secret again before saving.') : ''}`);
      return;
    case 'saved':
      pendingSave = undefined;
      setBusy(false);
      clearErrors();
      confirm.checked = false;
      persist();
      statusLine.textContent = l10n.t('Saved. Secret Server is enabling maintenance mode and rotating the secret keys; progress is shown below and in a notification.');
      renderConnectionState(message.state);
      return;
    case 'rotation':
      if (message.connectionId === connection.value) renderRotation(message.rotation, message.audit);
      return;
    case 'error':
      if (message.requestId && message.requestId === pendingSave) {
        pendingSave = undefined;
        setBusy(false);
      }
      statusLine.textContent = '';
      summary.textContent = message.message;
      return;
  }
}

// ---- user actions -----------------------------------------------------------------------------

function onSave(): void {
  if (pendingSave) return;
  const t = selectedType();
  const storedKeyId = useStoredSecret.checked ? state.storedSecretKeyId : undefined;
  const input: FormInput = {
    connectionId: connection.value,
    typeId: t ? t.id : -1,
    tenantId: tenantId.value,
    principalId: principalId.value,
    keyUrl: keyUrl.value,
    confirmed: confirm.checked,
  };
  if (t?.kind === 'azureManagedHsm') {
    input.secret = storedKeyId ? { kind: 'stored', keyId: storedKeyId } : { kind: 'typed', value: principalSecret.value };
  }
  if (input.typeId < 0) {
    showErrors({ type: l10n.t('Choose a key management type.') }, l10n.t('One field needs attention before saving.'));
    return;
  }
  clearErrors();
  pendingSave = nextRequestId();
  setBusy(true);
  statusLine.textContent = 'Checking…';
  send({ type: 'save', requestId: pendingSave, form: input });
  // The secret has crossed to VS Code; the page keeps no copy.
  principalSecret.value = '';
  input.secret = undefined;
}

connection.addEventListener(valueEvents.choice, () => {
  state.typeId = undefined;
  persist();
  if (connection.value) requestConnection(connection.value);
});
type.addEventListener(valueEvents.choice, () => {
  updateVisibility();
  persist();
});
for (const control of [tenantId, principalId, keyUrl] as ValueControl[]) control.addEventListener(valueEvents.text, persist);
useStoredSecret.addEventListener(valueEvents.check, () => {
  updateVisibility();
  persist();
});
confirm.addEventListener(valueEvents.check, persist);
pickKey.addEventListener(valueEvents.press, () => send({ type: 'pickKey', requestId: nextRequestId() }));
save.addEventListener(valueEvents.press, onSave);
cancelRotation.addEventListener(valueEvents.press, () => {
  cancelRotation.disabled = true;
  send({ type: 'cancelRotation', requestId: nextRequestId() });
});
form.addEventListener('submit', (e) => {
  e.preventDefault();
  onSave();
});

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  // Only the host posts to this page; anything without a known type is ignored.
  const data = event.data as { type?: unknown } | null;
  if (data && typeof data.type === 'string') onHostMessage(event.data);
});

applyStateToFields();
send({ type: 'ready' });
performance.mark('mhsm.readySent');
