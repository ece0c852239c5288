import { HttpError, type SandboxRequest } from '../http/exchange';

// ARM list paging: `$top` sets the page size and the answer carries an absolute nextLink on the
// ARM origin with an opaque `$skiptoken`, which clients follow verbatim. Without `$top` the whole
// list comes back in one page.

export interface ArmPage<T> {
  value: T[];
  nextLink?: string;
}

export function armPage<T>(req: SandboxRequest, items: T[]): ArmPage<T> {
  const top = readTop(req.query.get('$top'));
  const offset = readSkipToken(req.query.get('$skiptoken'));
  const size = top ?? items.length;
  const value = items.slice(offset, offset + size);
  const next = offset + size;
  if (top === undefined || next >= items.length) return { value };
  const apiVersion = encodeURIComponent(req.query.get('api-version') ?? '');
  const token = Buffer.from(JSON.stringify({ offset: next }), 'utf8').toString('base64url');
  return { value, nextLink: `${req.origin}${req.path}?api-version=${apiVersion}&$top=${top}&$skiptoken=${token}` };
}

function readTop(raw: string | null): number | undefined {
  if (raw === null) return undefined;
  const n = /^\d{1,9}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isInteger(n) || n < 1) {
    throw new HttpError(400, 'InvalidTopParameter', `The value '${raw}' of the query parameter '$top' is not valid. It must be a positive integer.`);
  }
  return n;
}

function readSkipToken(raw: string | null): number {
  if (raw === null || raw === '') return 0;
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { offset?: unknown };
    if (typeof parsed.offset === 'number' && Number.isInteger(parsed.offset) && parsed.offset >= 0) return parsed.offset;
  } catch {
    // falls through to the refusal below
  }
  throw new HttpError(400, 'InvalidSkipToken', `The skip token '${raw}' is not valid. Use the nextLink of the previous page as it was returned.`);
}
