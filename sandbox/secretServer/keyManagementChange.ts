import type { SandboxContext } from '../context';
import { AzureKeyAccess, KeyAccessError, type PrincipalCredentials } from './azureKeyAccess';
import type { ConfigArgs } from './configArgs';
import { newAesKey, seal } from './envelope';
import { badRequest } from './errorStyle';
import { parseKeyUrl } from './keyUrl';
import { credentialsOf, describeProtection, inputOf, protectLocally, protectWithHsm, recoverMasterKey, sealCredentials, storedSettings } from './masterKey';
import { providerLabel } from './providerTypes';
import { escrowContext, RotationEngine } from './rotationEngine';
import { masterRecord } from './secretVault';
import { addAudit, ssState } from './stateAccess';
import type { ActiveRotation, KeyManagementConfig, MasterKeyProtection, MasterKeyRecord, RotationKind, SecretServerUser } from './state';

// A key management change and a plain "Rotate Secret Keys" share one path: check the server can
// take a change, validate the new protection for real, prove the current master key can still be
// had, then save the new master key (wrapped), enter maintenance mode and start the rotation.

export class KeyManagementChange {
  /** One change at a time: validation awaits the network, and a second change must not slip in. */
  private busy = false;

  constructor(
    private readonly ctx: SandboxContext,
    private readonly access: AzureKeyAccess,
    private readonly engine: RotationEngine,
    private readonly maintenanceDelayMs: number,
  ) {}

  /** 400 when read-only mode is on, a rotation runs, or another change is being validated. */
  refuseWhenBusy(what: string): void {
    const state = ssState(this.ctx);
    if (state.rotation.active) {
      throw badRequest('API_SecretKeyRotationInProgress', `Cannot ${what}: a secret key rotation is in progress. Wait for it to finish or cancel it.`);
    }
    if (state.readOnlyMode) throw badRequest('API_ReadOnlyModeEnabled', `Cannot ${what}: Secret Server is in read-only (maintenance) mode.`);
    if (this.busy) throw badRequest('API_KeyManagementChangeInProgress', `Cannot ${what}: another key management change is being validated.`);
  }

  async change(user: SecretServerUser, args: ConfigArgs): Promise<KeyManagementConfig> {
    this.refuseWhenBusy('change key management');
    this.busy = true;
    try {
      const newKey = newAesKey();
      const protection = await this.protect(args, newKey, 'The new key management settings failed validation');
      const state = ssState(this.ctx);
      const current = masterRecord(this.ctx, state.currentGeneration);
      const { key: currentKey, repairedCredentials } = await this.currentMasterKey(current, args);
      const previous = state.config;
      const next: KeyManagementConfig = {
        keyManagementConfigId: state.nextConfigId,
        kind: args.kind,
        ...(args.azureManagedHsm ? { azureManagedHsm: storedSettings(this.ctx, args.azureManagedHsm) } : {}),
      };
      const notes = `Key management changed from ${providerLabel(previous.kind)}${previous.azureManagedHsm ? ` (${previous.azureManagedHsm.keyUrl})` : ''} to ${providerLabel(next.kind)}${next.azureManagedHsm ? ` (${next.azureManagedHsm.keyUrl}, principal ${next.azureManagedHsm.principalId})` : ''}. Maintenance mode enabled; secret key rotation started.`;
      this.start('KeyManagementChange', user, currentKey, newKey, protection, current, repairedCredentials, next, notes);
      return next;
    } finally {
      this.busy = false;
    }
  }

  /** POST rotate-secret-keys: a new master key under the same provider (a versionless key URL picks up the HSM's current version). */
  async rotate(user: SecretServerUser): Promise<void> {
    this.refuseWhenBusy('rotate secret keys');
    this.busy = true;
    try {
      const state = ssState(this.ctx);
      const current = masterRecord(this.ctx, state.currentGeneration);
      const { key: currentKey } = await this.currentMasterKey(current);
      const config = state.config;
      const args: ConfigArgs = { kind: config.kind, ...(config.azureManagedHsm ? { azureManagedHsm: inputOf(this.ctx, config.azureManagedHsm) } : {}) };
      const newKey = newAesKey();
      const protection = await this.protect(args, newKey, 'The current key management settings cannot protect a new master key');
      const notes = `Secret key rotation requested by ${user.displayName}; the new master key will be ${describeProtection(protection)}.`;
      this.start('SecretKeyRotation', user, currentKey, newKey, protection, current, undefined, config, notes);
    } finally {
      this.busy = false;
    }
  }

  private async protect(args: ConfigArgs, key: Buffer, context: string): Promise<MasterKeyProtection> {
    if (args.kind === 'None' || !args.azureManagedHsm) return protectLocally(this.ctx, key);
    try {
      return await protectWithHsm(this.ctx, this.access, args.azureManagedHsm, key);
    } catch (err) {
      if (!(err instanceof KeyAccessError)) throw err;
      throw badRequest(`API_${err.code}`, `${context}: ${err.message}`, {
        detail: err.detail ?? err.message,
        ...(err.code === 'ManagedHsmUrlInvalid' || err.code === 'ManagedHsmUnreachable' ? { modelState: { 'args.azureManagedHsmKeyUrl': [err.message] } } : {}),
      });
    }
  }

  /**
   * The master key under the configuration in force. When that no longer works but the new
   * settings name the same key with other credentials (a new client secret after the old one
   * expired, another principal after a role was removed), those credentials may unwrap it: that is
   * how access is restored. A different key cannot be switched to while the current one is lost.
   */
  private async currentMasterKey(current: MasterKeyRecord, args?: ConfigArgs): Promise<{ key: Buffer; repairedCredentials?: PrincipalCredentials }> {
    try {
      return { key: await recoverMasterKey(this.ctx, this.access, current) };
    } catch (err) {
      if (!(err instanceof KeyAccessError)) throw err;
      const p = current.protection;
      const settings = args?.azureManagedHsm;
      if (p.kind === 'hsm' && settings) {
        const parsed = parseKeyUrl(this.ctx, settings.keyUrl);
        if (parsed.ok && parsed.location.hsmName === p.hsmName && parsed.location.keyName.toLowerCase() === p.keyName.toLowerCase()) {
          const creds = credentialsOf(settings);
          try {
            return { key: await recoverMasterKey(this.ctx, this.access, current, creds), repairedCredentials: creds };
          } catch {
            /* fall through to the refusal naming the original cause */
          }
        }
      }
      throw badRequest(
        'API_CurrentKeyManagementUnavailable',
        `The current key management configuration can no longer unwrap the master key, so key management cannot be changed: ${err.message} Restore access to the current key (${describeProtection(p)}) first.`,
        { detail: err.detail ?? err.message },
      );
    }
  }

  private start(
    kind: RotationKind,
    user: SecretServerUser,
    currentKey: Buffer,
    newKey: Buffer,
    protection: MasterKeyProtection,
    current: MasterKeyRecord,
    repairedCredentials: PrincipalCredentials | undefined,
    next: KeyManagementConfig,
    notes: string,
  ): void {
    // Validation awaited the network: the server may have changed meanwhile.
    const state = ssState(this.ctx);
    if (state.rotation.active) throw badRequest('API_SecretKeyRotationInProgress', 'A secret key rotation started while this request was being validated.');
    if (state.readOnlyMode) throw badRequest('API_ReadOnlyModeEnabled', 'Read-only (maintenance) mode was enabled while this request was being validated.');
    const now = this.ctx.clock;
    this.ctx.store.mutate(() => {
      if (repairedCredentials && current.protection.kind === 'hsm') Object.assign(current.protection, sealCredentials(this.ctx, repairedCredentials));
      const toGeneration = Math.max(...state.masterKeys.map((m) => m.generation)) + 1;
      state.masterKeys.push({ generation: toGeneration, protection });
      const active: ActiveRotation = {
        kind,
        phase: 'EnablingMaintenanceMode',
        fromGeneration: current.generation,
        toGeneration,
        total: state.secrets.filter((s) => s.generation === current.generation).length,
        enabledAtMs: now.nowMs() + this.maintenanceDelayMs,
        requestedBy: user.displayName,
        previousConfig: state.config,
        escrow: seal(currentKey, newKey, escrowContext),
        note: notes,
      };
      if (next !== state.config) {
        state.config = next;
        state.nextConfigId = next.keyManagementConfigId + 1;
      }
      state.readOnlyMode = true;
      state.rotation.lastRequestDate = now.nowIso();
      state.rotation.active = active;
      addAudit(this.ctx, state, kind === 'KeyManagementChange' ? 'Key Management Updated' : 'Secret Key Rotation Requested', user.displayName, notes);
    });
    this.engine.begin(currentKey, newKey);
  }
}
