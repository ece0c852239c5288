import { asObject, booleanField, numberField, type JsonObject } from './jsonFields';

// Secret Server list endpoints share one query convention (skip, take, sortBy[0].*) and one
// envelope, PagingOf{T} (secret-server-api.md §3.1).

export interface PageRequest {
  skip?: number;
  take?: number;
  sortBy?: string;
  sortDirection?: 'Asc' | 'Desc';
}

export interface Page<T> {
  records: T[];
  /** Total matching records, when the server says. */
  total?: number;
  skip: number;
  take?: number;
  hasNext: boolean;
  /** `skip` for the next page, when there is one. */
  nextSkip?: number;
}

export function pagingQuery(req: PageRequest): Record<string, string | number | undefined> {
  return {
    skip: req.skip,
    take: req.take,
    'sortBy[0].name': req.sortBy,
    'sortBy[0].direction': req.sortBy ? (req.sortDirection ?? 'Desc') : undefined,
    'sortBy[0].priority': req.sortBy ? 0 : undefined,
  };
}

export function mapPage<T>(raw: unknown, mapRecord: (record: JsonObject) => T, requested: PageRequest = {}): Page<T> {
  const obj = asObject(raw);
  const list = Array.isArray(obj?.records) ? obj.records : Array.isArray(raw) ? raw : [];
  const records = list.map((r) => asObject(r)).filter((r): r is JsonObject => r !== undefined).map(mapRecord);
  const skip = numberField(obj, 'skip') ?? requested.skip ?? 0;
  const take = numberField(obj, 'take') ?? requested.take;
  const total = numberField(obj, 'total');
  const hasNext = booleanField(obj, 'hasNext') ?? (total !== undefined ? skip + records.length < total : false);
  const nextSkip = hasNext ? (numberField(obj, 'nextSkip') ?? skip + records.length) : undefined;
  return { records, total, skip, take, hasNext, nextSkip };
}

/** Walks every page; stops if the server's nextSkip would not move forward. */
export async function* allRecords<T>(fetchPage: (skip: number) => Promise<Page<T>>, firstSkip = 0): AsyncGenerator<T> {
  let skip = firstSkip;
  for (;;) {
    const page = await fetchPage(skip);
    yield* page.records;
    if (!page.hasNext || page.nextSkip === undefined || page.nextSkip <= skip || page.records.length === 0) return;
    skip = page.nextSkip;
  }
}
