import type { TokenCredential } from '@azure/core-auth';
import type { Finding } from '../core/readiness/finding';
import { runReadinessCheck } from '../readiness/readinessCheck';
import type { FormReadinessInput } from './keyManagementFormDeps';

// The form's second validation level when the composition root gives no checkReadiness of its
// own: the readiness rules over facts read by the signed-in administrator, plus the live
// wrap/unwrap signed in as the app with the secret from the form. Secret Server's own state is
// judged from its health by the form, so the session is not part of this check.

export function readinessForForm(credential: (tenantId: string) => TokenCredential): (input: FormReadinessInput) => Promise<Finding[]> {
  return async (input) => {
    const result = await runReadinessCheck({
      cloud: input.cloud,
      credential: credential(input.tenantId),
      tenantId: input.tenantId,
      keyId: input.keyUrl,
      app: { appId: input.appId, getSecret: input.getSecret },
      abortSignal: input.abortSignal,
      now: input.now,
    });
    return result.findings;
  };
}
