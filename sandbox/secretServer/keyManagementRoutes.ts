import { json, jsonObject } from '../http/exchange';
import type { Router } from '../http/router';
import type { SandboxContext } from '../context';
import { parseConfigArgs } from './configArgs';
import { configModel, stubConfig } from './configModel';
import type { KeyManagementChange } from './keyManagementChange';
import { page, readPageRequest } from './paging';
import { authenticate, requireKeyAdministrator } from './sessions';
import { ssState } from './stateAccess';
import type { KeyManagementAuditRecord } from './state';

/** GET/PUT /api/v1/key-management, GET …/stub, GET …/config/audit. */
export function registerKeyManagementRoutes(r: Router, ctx: SandboxContext, change: KeyManagementChange): void {
  r.on('GET', '/api/v1/key-management', (req) => {
    authenticate(ctx, req);
    return json(200, configModel(ssState(ctx).config));
  });

  r.on('GET', '/api/v1/key-management/stub', (req) => {
    authenticate(ctx, req);
    return json(200, configModel(stubConfig));
  });

  r.on('PUT', '/api/v1/key-management', async (req) => {
    const { user } = requireKeyAdministrator(ctx, req, 'change key management');
    const args = parseConfigArgs(jsonObject(req, 'API_InvalidRequestBody'));
    const saved = await change.change(user, args);
    return json(200, configModel(saved));
  });

  r.on('GET', '/api/v1/key-management/config/audit', (req) => {
    authenticate(ctx, req);
    const request = readPageRequest(req, ['dateRecorded', 'action', 'displayName', 'notes'], 'dateRecorded', 'Desc');
    const needle = request.searchText.toLowerCase();
    // Index breaks ties so that records of the same second keep their order.
    const records = ssState(ctx)
      .audit.map((a, index) => ({ a, index }))
      .filter(({ a }) => !needle || `${a.action} ${a.displayName} ${a.notes}`.toLowerCase().includes(needle));
    const key = request.sortName as keyof KeyManagementAuditRecord;
    const paged = page(records, request, ({ a, index }) => (key === 'dateRecorded' ? `${a.dateRecorded}#${String(index).padStart(8, '0')}` : a[key]));
    return json(200, { ...paged, records: (paged.records as { a: KeyManagementAuditRecord }[]).map(({ a }) => a) });
  });
}
