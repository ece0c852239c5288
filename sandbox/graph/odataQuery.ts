import { HttpError, type SandboxRequest } from '../http/exchange';

// The OData query options Graph's directory collections accept: $filter (the subset clients use
// to look objects up), $select, $top and the opaque $skiptoken of @odata.nextLink.

/** How one collection answers queries: its OData type and which properties $filter may use. */
export interface QueryModel<T> {
  typeName: string;
  /** Graph's resource name in directory error texts, e.g. 'Application'. */
  resourceName: string;
  properties: readonly string[];
  /** Filterable single-valued properties by name, and collection properties usable with any(). */
  filterable: Record<string, (item: T) => string | null>;
  filterableCollections?: Record<string, (item: T) => string[]>;
}

export type Predicate<T> = (item: T) => boolean;

export interface ListQuery<T> {
  filter?: Predicate<T>;
  select?: string[];
  top: number;
  offset: number;
}

const defaultPageSize = 100;
const maxPageSize = 999;
const supportedOptions = ['$filter', '$select', '$top', '$skiptoken'];
/** System query options Graph knows but the sandbox's directory collections do not support. */
const unsupportedOptions = ['$orderby', '$search', '$expand', '$count', '$format', '$apply', '$compute'];

export function parseSelect<T>(req: SandboxRequest, model: QueryModel<T>): string[] | undefined {
  const raw = req.query.get('$select');
  if (raw === null) return undefined;
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) return undefined;
  return names.map((name) => {
    const canonical = model.properties.find((p) => p.toLowerCase() === name.toLowerCase());
    if (!canonical) {
      throw new HttpError(400, 'BadRequest', `Parsing OData Select and Expand failed: Could not find a property named '${name}' on type '${model.typeName}'.`);
    }
    return canonical;
  });
}

export function parseListQuery<T>(req: SandboxRequest, model: QueryModel<T>): ListQuery<T> {
  for (const name of req.query.keys()) {
    if (!name.startsWith('$')) continue;
    const lower = name.toLowerCase();
    if (lower === '$skip') throw new HttpError(400, 'Request_BadRequest', `'$skip' is not supported by the service.`);
    if (unsupportedOptions.includes(lower)) throw new HttpError(400, 'Request_UnsupportedQuery', 'Unsupported Query.');
    if (!supportedOptions.includes(lower)) throw new HttpError(400, 'BadRequest', `The query parameter '${name}' is not supported.`);
  }
  const filterText = req.query.get('$filter');
  const filter = filterText !== null && filterText.trim() !== '' ? parseFilter(filterText, model) : undefined;
  const topText = req.query.get('$top');
  let top = defaultPageSize;
  if (topText !== null) {
    if (!/^\d+$/.test(topText.trim())) {
      throw new HttpError(400, 'BadRequest', `Invalid value '${topText}' for $top query option found. The $top query option requires a non-negative integer value.`);
    }
    top = Number(topText.trim());
    if (top < 1 || top > maxPageSize) {
      throw new HttpError(400, 'Request_BadRequest', `Invalid page size specified: '${top}'. Must be between 1 and ${maxPageSize} inclusive.`);
    }
  }
  const token = req.query.get('$skiptoken');
  const offset = token === null ? 0 : decodeSkipToken(token);
  return { filter, select: parseSelect(req, model), top, offset };
}

/** One page of `items` and, when more remain, the nextLink that continues it with the same options. */
export function page<T>(req: SandboxRequest, items: T[], query: ListQuery<T>): { items: T[]; nextLink?: string } {
  const matching = query.filter ? items.filter(query.filter) : items;
  const slice = matching.slice(query.offset, query.offset + query.top);
  const nextOffset = query.offset + slice.length;
  if (nextOffset >= matching.length) return { items: slice };
  const parts: string[] = [];
  for (const [name, value] of req.query.entries()) {
    if (name.toLowerCase() === '$skiptoken') continue;
    parts.push(`${name}=${encodeURIComponent(value)}`);
  }
  parts.push(`$skiptoken=${encodeSkipToken(nextOffset)}`);
  return { items: slice, nextLink: `${req.origin}${req.path}?${parts.join('&')}` };
}

// The skip token is opaque to clients; inside it is just the offset of the next page.
const skipTokenPrefix = 'RFNwdAIA';

function encodeSkipToken(offset: number): string {
  return `${skipTokenPrefix}${Buffer.from(JSON.stringify({ o: offset })).toString('base64url')}`;
}

function decodeSkipToken(token: string): number {
  if (token.startsWith(skipTokenPrefix)) {
    try {
      const parsed = JSON.parse(Buffer.from(token.slice(skipTokenPrefix.length), 'base64url').toString('utf8')) as { o?: unknown };
      if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
    } catch {
      /* falls through to the error below */
    }
  }
  throw new HttpError(400, 'Request_BadRequest', `'${token}' is not a valid skip token.`);
}

// --- $filter -------------------------------------------------------------------------------------

interface Token {
  kind: 'string' | 'word' | 'punct';
  text: string;
  at: number;
}

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s+|'((?:[^']|'')*)'|([A-Za-z_][A-Za-z0-9_.]*)|([(),:/])/y;
  let at = 0;
  while (at < filter.length) {
    re.lastIndex = at;
    const m = re.exec(filter);
    if (!m) throw syntaxError(filter, at);
    if (m[1] !== undefined) tokens.push({ kind: 'string', text: m[1].replace(/''/g, "'"), at });
    else if (m[2] !== undefined) tokens.push({ kind: 'word', text: m[2], at });
    else if (m[3] !== undefined) tokens.push({ kind: 'punct', text: m[3], at });
    at = re.lastIndex;
  }
  return tokens;
}

function syntaxError(filter: string, at: number): HttpError {
  return new HttpError(400, 'BadRequest', `Invalid filter clause: Syntax error at position ${at} in '${filter}'.`);
}

/**
 * Parses the filters directory clients send — `prop eq 'v'`, `startswith(prop,'v')`,
 * `collection/any(x:x eq 'v')` — joined with `and`/`or` and parentheses.
 */
export function parseFilter<T>(filter: string, model: QueryModel<T>): Predicate<T> {
  const tokens = tokenize(filter);
  let i = 0;
  const peek = () => tokens[i];
  const fail = (): never => {
    throw syntaxError(filter, peek()?.at ?? filter.length);
  };
  const expect = (kind: Token['kind'], text?: string): Token => {
    const t = tokens[i];
    if (!t || t.kind !== kind || (text !== undefined && t.text.toLowerCase() !== text)) fail();
    i++;
    return t;
  };
  const isWord = (text: string) => peek()?.kind === 'word' && peek().text.toLowerCase() === text;

  const property = (name: string): ((item: T) => string | null) => {
    const key = Object.keys(model.filterable).find((k) => k.toLowerCase() === name.toLowerCase());
    if (key) return model.filterable[key];
    throw unfilterable(name, model);
  };

  const expression = (): Predicate<T> => {
    let left = conjunction();
    while (isWord('or')) {
      i++;
      const l = left;
      const r = conjunction();
      left = (item) => l(item) || r(item);
    }
    return left;
  };
  const conjunction = (): Predicate<T> => {
    let left = clause();
    while (isWord('and')) {
      i++;
      const l = left;
      const r = clause();
      left = (item) => l(item) && r(item);
    }
    return left;
  };
  const clause = (): Predicate<T> => {
    const t = peek();
    if (!t) return fail();
    if (t.kind === 'punct' && t.text === '(') {
      i++;
      const inner = expression();
      expect('punct', ')');
      return inner;
    }
    if (t.kind !== 'word') return fail();
    if (t.text.toLowerCase() === 'startswith' && tokens[i + 1]?.text === '(') {
      i += 2;
      const get = property(expect('word').text);
      expect('punct', ',');
      const prefix = expect('string').text.toLowerCase();
      expect('punct', ')');
      return (item) => (get(item) ?? '').toLowerCase().startsWith(prefix);
    }
    const name = expect('word').text;
    if (peek()?.kind === 'punct' && peek().text === '/') {
      i++;
      const fn = expect('word').text.toLowerCase();
      if (fn !== 'any') throw new HttpError(400, 'Request_UnsupportedQuery', 'Unsupported Query.');
      const key = Object.keys(model.filterableCollections ?? {}).find((k) => k.toLowerCase() === name.toLowerCase());
      if (!key) throw unfilterable(name, model);
      const get = model.filterableCollections![key];
      expect('punct', '(');
      const variable = expect('word').text;
      expect('punct', ':');
      if (expect('word').text !== variable) fail();
      expect('word', 'eq');
      const wanted = expect('string').text.toLowerCase();
      expect('punct', ')');
      return (item) => get(item).some((v) => v.toLowerCase() === wanted);
    }
    const get = property(name);
    const op = expect('word').text.toLowerCase();
    if (op !== 'eq') {
      if (['ne', 'gt', 'ge', 'lt', 'le', 'in', 'has'].includes(op)) throw new HttpError(400, 'Request_UnsupportedQuery', 'Unsupported Query.');
      i--;
      fail();
    }
    const value = peek();
    if (value?.kind === 'word' && value.text.toLowerCase() === 'null') {
      i++;
      return (item) => get(item) === null;
    }
    const wanted = expect('string').text.toLowerCase();
    return (item) => (get(item) ?? '').toLowerCase() === wanted;
  };

  const predicate = expression();
  if (i !== tokens.length) fail();
  return predicate;
}

function unfilterable<T>(name: string, model: QueryModel<T>): HttpError {
  if (!model.properties.some((p) => p.toLowerCase() === name.toLowerCase())) {
    return new HttpError(400, 'BadRequest', `Invalid filter clause: Could not find a property named '${name}' on type '${model.typeName}'.`);
  }
  return new HttpError(400, 'Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified for property '${name}' of resource '${model.resourceName}'.`);
}
