import { json } from '../http/exchange';
import type { Router } from '../http/router';
import type { SandboxContext } from '../context';
import type { KeyManagementChange } from './keyManagementChange';
import type { RotationEngine } from './rotationEngine';
import { rotationStatusModel } from './rotationStatus';
import { authenticate, requireKeyAdministrator } from './sessions';
import { ssState } from './stateAccess';

/** Secret key rotation under /api/v1/configuration/security. */
export function registerRotationRoutes(r: Router, ctx: SandboxContext, change: KeyManagementChange, engine: RotationEngine): void {
  r.on('POST', '/api/v1/configuration/security/rotate-secret-keys', async (req) => {
    const { user } = requireKeyAdministrator(ctx, req, 'rotate secret keys');
    await change.rotate(user);
    return json(200, rotationStatusModel(ssState(ctx)));
  });

  r.on('GET', '/api/v1/configuration/security/rotate-secret-keys-status', (req) => {
    authenticate(ctx, req);
    return json(200, rotationStatusModel(ssState(ctx)));
  });

  // Cancelling when nothing runs changes nothing and still answers 200 with the status.
  r.on('POST', '/api/v1/configuration/security/cancel-rotate-secret-keys', (req) => {
    const { user } = requireKeyAdministrator(ctx, req, 'cancel the secret key rotation');
    engine.cancel(user.displayName);
    return json(200, rotationStatusModel(ssState(ctx)));
  });
}
