import { HttpError, type SandboxRequest } from '../http/exchange';

// Request-body parsing with Graph's own error texts. Graph reads bodies with the OData library, so
// malformed payloads, unknown properties and wrong JSON types answer 400 BadRequest with OData's
// wording, while directory rules (required values, read-only properties) answer Request_BadRequest.

const unreadable = 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.';

/**
 * The JSON object in the request body. `optional` bodies (actions such as addPassword) may be
 * empty; everything else must carry a JSON object with a JSON content type.
 */
export function readGraphObject(req: SandboxRequest, options: { optional?: boolean } = {}): Record<string, unknown> {
  const text = req.body.toString('utf8');
  if (text.trim() === '') {
    if (options.optional) return {};
    throw new HttpError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
  }
  const contentType = String(req.headers['content-type'] ?? '').toLowerCase();
  if (!contentType.startsWith('application/json')) {
    throw new HttpError(400, 'BadRequest', 'Entity only allows writes with a JSON Content-Type header.');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'BadRequest', unreadable);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new HttpError(400, 'BadRequest', unreadable);
  return value as Record<string, unknown>;
}

/** Refuses properties the OData type does not have (instance annotations such as `@odata.type` pass). */
export function rejectUnknownProperties(body: Record<string, unknown>, known: readonly string[], typeName: string): void {
  for (const key of Object.keys(body)) {
    if (key.includes('@')) continue;
    if (!known.includes(key)) {
      throw new HttpError(
        400,
        'BadRequest',
        `The property '${key}' does not exist on type '${typeName}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
      );
    }
  }
}

/** Refuses parameters an OData action does not declare. */
export function rejectUnknownParameters(body: Record<string, unknown>, known: readonly string[], operation: string): void {
  for (const key of Object.keys(body)) {
    if (key.includes('@')) continue;
    if (!known.includes(key)) {
      throw new HttpError(400, 'BadRequest', `The parameter '${key}' in the request payload is not a valid parameter for the operation '${operation}'.`);
    }
  }
}

function wrongType(edmType: string): HttpError {
  return new HttpError(400, 'BadRequest', `Cannot convert a primitive value to the expected type '${edmType}'. See the inner exception for more details.`);
}

/** A string property: undefined when absent, null when explicitly null, 400 for any other JSON type. */
export function optionalString(body: Record<string, unknown>, key: string): string | null | undefined {
  const value = body[key];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string') throw wrongType('Edm.String');
  return value;
}

export function optionalBoolean(body: Record<string, unknown>, key: string): boolean | null | undefined {
  const value = body[key];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'boolean') throw wrongType('Edm.Boolean');
  return value;
}

/** A nested object property (e.g. addPassword's `passwordCredential`). */
export function optionalObject(body: Record<string, unknown>, key: string, typeName: string): Record<string, unknown> | null | undefined {
  const value = body[key];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(400, 'BadRequest', `A value of type '${typeName}' was expected for property '${key}', but the payload does not contain a JSON object.`);
  }
  return value as Record<string, unknown>;
}

const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** An Edm.DateTimeOffset property, in epoch milliseconds. */
export function optionalDateTime(body: Record<string, unknown>, key: string): number | null | undefined {
  const value = body[key];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string') throw wrongType('Edm.DateTimeOffset');
  const ms = isoDateTime.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new HttpError(400, 'BadRequest', `Cannot convert the literal '${value}' to the expected type 'Edm.DateTimeOffset'.`);
  return ms;
}

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return guidPattern.test(value);
}

/** An Edm.Guid property (e.g. removePassword's `keyId`), lower-cased. */
export function optionalGuid(body: Record<string, unknown>, key: string): string | null | undefined {
  const value = body[key];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string') throw wrongType('Edm.Guid');
  if (!isGuid(value)) throw new HttpError(400, 'BadRequest', `Cannot convert the literal '${value}' to the expected type 'Edm.Guid'.`);
  return value.toLowerCase();
}

/** A directory rule: the property must have a value (Graph's Request_BadRequest wording). */
export function requiredValue(property: string, resource: string): HttpError {
  return new HttpError(400, 'Request_BadRequest', `A value is required for property '${property}' of resource '${resource}'.`);
}

export function invalidValue(property: string, resource: string): HttpError {
  return new HttpError(400, 'Request_BadRequest', `Invalid value specified for property '${property}' of resource '${resource}'.`);
}

export function readOnlyProperty(property: string): HttpError {
  return new HttpError(400, 'Request_BadRequest', `Property '${property}' is read-only and cannot be set.`);
}
