import { HttpError, json } from '../http/exchange';
import type { Router } from '../http/router';
import type { SandboxContext } from '../context';
import { KeyAccessError, type AzureKeyAccess } from './azureKeyAccess';
import { invalidField, serverError } from './errorStyle';
import { page, readPageRequest } from './paging';
import { readSecret, type SecretFields } from './secretVault';
import { authenticate } from './sessions';
import { ssState } from './stateAccess';
import type { StoredSecret } from './state';

// A small part of the real /api/v1/secrets surface, so that "can secrets still be read?" is a
// question a client can ask: list (no values), one secret with its items, one field's value.
// Every read unwraps the master key, through the Managed HSM when key management uses it.

const template = { id: 6003, name: 'Windows Account' };
const fieldDefs: { slug: keyof SecretFields; fieldId: number; fieldName: string; isPassword: boolean; isNotes: boolean }[] = [
  { slug: 'machine', fieldId: 87, fieldName: 'Machine', isPassword: false, isNotes: false },
  { slug: 'username', fieldId: 88, fieldName: 'Username', isPassword: false, isNotes: false },
  { slug: 'password', fieldId: 89, fieldName: 'Password', isPassword: true, isNotes: false },
  { slug: 'notes', fieldId: 90, fieldName: 'Notes', isPassword: false, isNotes: true },
];

export function registerSecretRoutes(r: Router, ctx: SandboxContext, access: AzureKeyAccess): void {
  r.on('GET', '/api/v1/secrets', (req) => {
    authenticate(ctx, req);
    const request = readPageRequest(req, ['id', 'name', 'folderId'], 'id', 'Asc');
    const needle = request.searchText.toLowerCase();
    const records = ssState(ctx)
      .secrets.filter((s) => !needle || s.name.toLowerCase().includes(needle))
      .map((s) => ({ id: s.id, name: s.name, folderId: s.folderId, secretTemplateId: template.id, secretTemplateName: template.name, active: true }));
    const key = request.sortName as 'id' | 'name' | 'folderId';
    return json(200, page(records, request, (s) => s[key]));
  });

  r.on('GET', '/api/v1/secrets/:id', async (req) => {
    authenticate(ctx, req);
    const secret = findSecret(ctx, req.params.id);
    const fields = await decrypt(ctx, access, secret);
    return json(200, {
      id: secret.id,
      name: secret.name,
      folderId: secret.folderId,
      secretTemplateId: template.id,
      secretTemplateName: template.name,
      active: true,
      items: fieldDefs.map((f, i) => ({ itemId: secret.id * 10 + i, fieldId: f.fieldId, fieldName: f.fieldName, slug: f.slug, itemValue: fields[f.slug], isPassword: f.isPassword, isNotes: f.isNotes })),
    });
  });

  r.on('GET', '/api/v1/secrets/:id/fields/:slug', async (req) => {
    authenticate(ctx, req);
    const secret = findSecret(ctx, req.params.id);
    const def = fieldDefs.find((f) => f.slug === req.params.slug.toLowerCase());
    if (!def) throw invalidField('slug', `The template has no field '${req.params.slug.slice(0, 64)}'. Fields: ${fieldDefs.map((f) => f.slug).join(', ')}.`);
    const fields = await decrypt(ctx, access, secret);
    return json(200, fields[def.slug]);
  });
}

function findSecret(ctx: SandboxContext, idText: string): StoredSecret {
  if (!/^\d{1,9}$/.test(idText)) throw invalidField('id', "'id' must be a positive integer.");
  const secret = ssState(ctx).secrets.find((s) => s.id === Number(idText));
  if (!secret) throw new HttpError(404, 'API_SecretNotFound', `Secret ${Number(idText)} was not found.`);
  return secret;
}

async function decrypt(ctx: SandboxContext, access: AzureKeyAccess, secret: StoredSecret): Promise<SecretFields> {
  try {
    return await readSecret(ctx, access, secret);
  } catch (err) {
    if (!(err instanceof KeyAccessError)) throw err;
    throw serverError('KeyManagementUnavailableException', `The secret cannot be decrypted because Secret Server cannot unwrap its master key: ${err.message}`);
  }
}
