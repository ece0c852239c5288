import { HttpError, type SandboxRequest, type SandboxResponse } from './exchange';

export type Handler = (req: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>;

interface Route {
  method: string;
  match: (path: string) => Record<string, string> | undefined;
  handler: Handler;
}

/**
 * Routes by method and path. String patterns use `:name` for one segment and a trailing `:name?`
 * for an optional last segment; a RegExp with named groups covers odd shapes such as Graph's
 * `/applications(appId='…')`.
 */
export class Router {
  private readonly routes: Route[] = [];

  on(method: string, pattern: string | RegExp, handler: Handler): this {
    this.routes.push({ method: method.toUpperCase(), match: compile(pattern), handler });
    return this;
  }

  /** Finds the route; a path known under another method answers 405, an unknown one 404. */
  resolve(method: string, path: string): { handler: Handler; params: Record<string, string> } {
    let pathKnown = false;
    for (const route of this.routes) {
      const params = route.match(path);
      if (!params) continue;
      if (route.method === method.toUpperCase()) return { handler: route.handler, params };
      pathKnown = true;
    }
    if (pathKnown) throw new HttpError(405, 'MethodNotAllowed', `The method ${method} is not allowed for ${path}.`);
    throw new HttpError(404, 'NotFound', `No resource was found at ${path}.`);
  }
}

function compile(pattern: string | RegExp): (path: string) => Record<string, string> | undefined {
  if (pattern instanceof RegExp) {
    return (path) => {
      const m = pattern.exec(path);
      if (!m) return undefined;
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined) params[k] = safeDecode(v);
      return params;
    };
  }
  const parts = pattern.split('/').filter(Boolean);
  return (path) => {
    const segs = path.split('/').filter(Boolean);
    const params: Record<string, string> = {};
    let i = 0;
    for (; i < parts.length; i++) {
      const part = parts[i];
      const optional = part.endsWith('?');
      if (i >= segs.length) {
        if (optional && i === parts.length - 1) return params;
        return undefined;
      }
      if (part.startsWith(':')) {
        params[part.slice(1, optional ? -1 : undefined)] = safeDecode(segs[i]);
      } else if (part.toLowerCase() !== segs[i].toLowerCase()) {
        return undefined;
      }
    }
    return i === segs.length ? params : undefined;
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
