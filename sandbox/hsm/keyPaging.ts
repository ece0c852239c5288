import type { SandboxRequest } from '../http/exchange';
import { badParameter } from './keyValidation';

// Key Vault list paging: `maxresults` 1..25 (default 25) and an absolute nextLink carrying an
// opaque `$skiptoken`. The token holds the sort key of the last item served, not an offset, so
// a key created or deleted between two pages neither repeats nor hides another one.

export const maxPageSize = 25;

export interface Page<T> {
  items: T[];
  nextLink: string | null;
}

/** `items` must be sorted by `sortKey`. */
export function pageOf<T>(req: SandboxRequest, items: T[], sortKey: (item: T) => string): Page<T> {
  const size = parseMaxResults(req);
  const after = parseSkipToken(req);
  const remaining = after === undefined ? items : items.filter((item) => sortKey(item) > after);
  const page = remaining.slice(0, size);
  if (remaining.length <= size) return { items: page, nextLink: null };
  const token = Buffer.from(JSON.stringify({ after: sortKey(page[page.length - 1]) }), 'utf8').toString('base64url');
  const apiVersion = encodeURIComponent(req.query.get('api-version') ?? '');
  return { items: page, nextLink: `${req.origin}${req.path}?api-version=${apiVersion}&$skiptoken=${token}&maxresults=${size}` };
}

function parseMaxResults(req: SandboxRequest): number {
  const raw = req.query.get('maxresults');
  if (raw === null || raw === '') return maxPageSize;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > maxPageSize) throw badParameter(`The value of 'maxresults' must be a whole number from 1 to ${maxPageSize}.`);
  return n;
}

function parseSkipToken(req: SandboxRequest): string | undefined {
  const raw = req.query.get('$skiptoken');
  if (raw === null) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string') return parsed.after;
  } catch {
    // falls through to the refusal
  }
  throw badParameter("The '$skiptoken' parameter is not valid.");
}
