import type { SandboxContext } from '../context';
import type { Hsm } from '../state/world';

// Provisioning and activation take time on the real service (minutes). The sandbox keeps the
// moment each completes and reads the state against its own clock, so nothing needs a timer and a
// restart mid-operation continues where it left off. The delays come from the environment so that
// tests can make them short; see sandbox/README.md.

const defaultProvisioningMs = 3000;
const defaultSecurityDomainMs = 2000;

export function provisioningDelayMs(): number {
  return delayFromEnvironment('SANDBOX_HSM_PROVISIONING_MS', defaultProvisioningMs);
}

export function securityDomainDelayMs(): number {
  return delayFromEnvironment('SANDBOX_SECURITY_DOMAIN_MS', defaultSecurityDomainMs);
}

function delayFromEnvironment(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  return Number.isInteger(value) && value >= 0 ? value : fallback;
}

/** The provisioning state as of now: a create operation whose time has come has succeeded. */
export function effectiveProvisioningState(ctx: SandboxContext, hsm: Hsm): string {
  if (hsm.provisioningState === 'Provisioning' && hsm.provisioning && ctx.clock.nowMs() >= hsm.provisioning.readyAtMs) return 'Succeeded';
  return hsm.provisioningState;
}

/** Activated as of now: either already recorded, or a download whose time has come. */
export function effectiveActivated(ctx: SandboxContext, hsm: Hsm): boolean {
  if (hsm.activated) return true;
  const download = hsm.securityDomainDownload;
  return download?.status === 'InProgress' && ctx.clock.nowMs() >= download.readyAtMs;
}

/** Writes down what time has decided, so later readers of the stored state agree with ARM. */
export function settleHsm(ctx: SandboxContext, hsmName: string): void {
  const hsm = ctx.store.world.hsms.find((h) => h.name === hsmName);
  if (!hsm) return;
  const provisioned = hsm.provisioningState === 'Provisioning' && effectiveProvisioningState(ctx, hsm) === 'Succeeded';
  const activated = !hsm.activated && effectiveActivated(ctx, hsm);
  if (!provisioned && !activated) return;
  ctx.store.mutate((w) => {
    const target = w.hsms.find((h) => h.name === hsmName);
    if (!target) return;
    if (provisioned) target.provisioningState = 'Succeeded';
    if (activated && target.securityDomainDownload) {
      target.activated = true;
      target.securityDomainDownload.status = 'Success';
      target.securityDomainDownload.statusDetails = 'The security domain download operation has completed successfully.';
    }
  });
}
