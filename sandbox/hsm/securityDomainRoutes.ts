import { HttpError, json, jsonObject, type SandboxRequest } from '../http/exchange';
import type { Router } from '../http/router';
import type { SandboxContext } from '../context';
import type { Hsm } from '../state/world';
import { authenticateCaller, currentHsm } from './caller';
import { requireAuthorized } from './authorization';
import { requireApiVersion } from './keyRequest';
import { parseSecurityDomainRequest } from './securityDomainCertificates';
import { createSecurityDomainBlob } from './securityDomainBlob';
import { effectiveActivated, effectiveProvisioningState, securityDomainDelayMs, settleHsm } from '../arm/hsmLifecycle';

// Security domain download: the call that activates a new HSM. The 202 carries the security domain
// itself; the operation then completes in the background and /securitydomain/download/pending
// reports InProgress until the HSM is activated. Only a Managed HSM Administrator may download.

const inProgressDetails = 'The security domain download operation is in progress.';

export function registerSecurityDomainRoutes(r: Router, ctx: SandboxContext, hsmName: string): void {
  const begin = (req: SandboxRequest, dataAction: string): Hsm => {
    const hsm = currentHsm(ctx, hsmName);
    const caller = authenticateCaller(ctx, req, hsm);
    requireApiVersion(req);
    requireAuthorized(hsm, caller.objectId, dataAction, '/');
    return hsm;
  };

  r.on('POST', '/securitydomain/download', (req) => {
    const hsm = begin(req, '/securitydomain/download/action');
    if (effectiveProvisioningState(ctx, hsm) !== 'Succeeded') {
      throw new HttpError(409, 'Conflict', `The Managed HSM '${hsm.name}' is still being provisioned. Wait until its provisioning state is Succeeded, then download the security domain.`);
    }
    if (effectiveActivated(ctx, hsm)) {
      throw new HttpError(
        409,
        'Conflict',
        `The security domain of the Managed HSM '${hsm.name}' has already been downloaded and the HSM is activated. Keep the security domain file and the private keys from that download; a second download is not possible.`,
      );
    }
    if (hsm.securityDomainDownload?.status === 'InProgress') {
      throw new HttpError(409, 'Conflict', `A security domain download for the Managed HSM '${hsm.name}' is already in progress.`);
    }
    const request = parseSecurityDomainRequest(jsonObject(req));
    const value = createSecurityDomainBlob(request.recipients, request.required);
    const readyAtMs = ctx.clock.nowMs() + securityDomainDelayMs();
    ctx.store.mutate((w) => {
      const target = w.hsms.find((h) => h.name === hsm.name);
      if (target) target.securityDomainDownload = { status: 'InProgress', statusDetails: inProgressDetails, readyAtMs };
    });
    return json(202, { value }, { 'azure-asyncoperation': `${req.origin}/securitydomain/download/pending`, 'retry-after': '1' });
  });

  r.on('GET', '/securitydomain/download/pending', (req) => {
    const hsm = begin(req, '/securitydomain/download/read');
    settleHsm(ctx, hsm.name);
    const settled = currentHsm(ctx, hsmName);
    const download = settled.securityDomainDownload;
    if (!download) {
      if (settled.activated) return json(200, { status: 'Success', status_details: 'The security domain of this Managed HSM has been downloaded.' });
      throw new HttpError(404, 'NotFound', `No security domain download has been requested for the Managed HSM '${hsm.name}'.`);
    }
    return json(200, { status: download.status, status_details: download.statusDetails });
  });
}
