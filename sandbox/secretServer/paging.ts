import type { SandboxRequest } from '../http/exchange';
import { invalidField } from './errorStyle';

// Secret Server's paging conventions (secret-server-api.md §3.1): skip, take, sortBy[0].name /
// .direction / .priority in the query, and the PagingOf{T} envelope in the answer.

export interface PageRequest {
  skip: number;
  take: number;
  sortName: string;
  direction: 'None' | 'Asc' | 'Desc';
  priority: number;
  searchText: string;
}

const maxTake = 1000;

function intParam(req: SandboxRequest, name: string, fallback: number, min: number, max: number): number {
  const raw = req.query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d{1,10}$/.test(raw)) throw invalidField(name, `'${name}' must be a whole number.`);
  const n = Number(raw);
  if (n < min || n > max) throw invalidField(name, `'${name}' must be from ${min} to ${max}.`);
  return n;
}

export function readPageRequest(req: SandboxRequest, sortable: readonly string[], defaultSort: string, defaultDirection: 'Asc' | 'Desc'): PageRequest {
  const skip = intParam(req, 'skip', 0, 0, 2_147_483_647);
  const take = intParam(req, 'take', 10, 1, maxTake);
  const rawName = req.query.get('sortBy[0].name');
  const sortName = rawName === null || rawName === '' ? defaultSort : sortable.find((s) => s.toLowerCase() === rawName.toLowerCase());
  if (!sortName) throw invalidField('sortBy[0].name', `Records can be sorted by ${sortable.join(', ')}.`);
  const rawDirection = req.query.get('sortBy[0].direction');
  const direction = rawDirection === null || rawDirection === '' ? defaultDirection : (['None', 'Asc', 'Desc'] as const).find((d) => d.toLowerCase() === rawDirection.toLowerCase());
  if (!direction) throw invalidField('sortBy[0].direction', "'sortBy[0].direction' must be None, Asc or Desc.");
  const priority = intParam(req, 'sortBy[0].priority', 0, 0, 100);
  const searchText = req.query.get('filter.searchText') ?? '';
  if (searchText.length > 256) throw invalidField('filter.searchText', "'filter.searchText' is limited to 256 characters.");
  return { skip, take, sortName, direction, priority, searchText };
}

export function page<T>(records: T[], request: PageRequest, sortValue: (r: T) => string | number): Record<string, unknown> {
  const sorted = [...records];
  if (request.direction !== 'None') {
    const sign = request.direction === 'Asc' ? 1 : -1;
    sorted.sort((a, b) => {
      const x = sortValue(a);
      const y = sortValue(b);
      return x < y ? -sign : x > y ? sign : 0;
    });
  }
  const total = sorted.length;
  const { skip, take } = request;
  const slice = sorted.slice(skip, skip + take);
  const pageCount = Math.ceil(total / take);
  return {
    batchCount: pageCount,
    currentPage: Math.floor(skip / take) + 1,
    hasNext: skip + take < total,
    hasPrev: skip > 0,
    nextSkip: skip + take < total ? skip + take : skip,
    pageCount,
    prevSkip: Math.max(0, skip - take),
    records: slice,
    severity: 'None',
    skip,
    sortBy: [{ name: request.sortName, direction: request.direction, priority: request.priority }],
    success: true,
    take,
    total,
  };
}
