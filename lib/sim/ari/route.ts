// The route table format: one entry per ARI operation. The same entries drive request dispatch
// and the swagger documents, so the documents list exactly what the simulator implements.
import type { SimCore } from '../core/core.ts';
import { AriError } from '../core/errors.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type DataType = 'string' | 'int' | 'long' | 'boolean' | 'containers' | 'object';

export interface ParamSpec {
  name: string;
  paramType: 'path' | 'query' | 'body';
  dataType: DataType;
  description: string;
  required?: boolean;
  allowMultiple?: boolean;
  allowableValues?: readonly string[];
  defaultValue?: string | number | boolean;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteSpec {
  resource: string;
  path: string;
  method: HttpMethod;
  nickname: string;
  summary: string;
  responseClass: string;
  params: readonly ParamSpec[];
  errors?: ReadonlyArray<{ code: number; reason: string }>;
  /** websocket operations are documented but served by the upgrade handler */
  upgrade?: 'websocket';
  handle: (core: SimCore, args: RouteArgs) => RouteResult;
}

export const ok = (body: unknown): RouteResult => ({ status: 200, body });
export const noContent = (): RouteResult => ({ status: 204 });

/** ast_true */
function truthy(v: string): boolean {
  return ['yes', 'true', 'y', 't', '1', 'on'].includes(v.toLowerCase());
}

/**
 * Parameters of one request. Like Asterisk, a value may come from the path, the query string or
 * (for query parameters) a field of a JSON body object; list parameters are comma-separated.
 */
export class RouteArgs {
  constructor(
    private readonly pathParams: ReadonlyMap<string, string>,
    private readonly query: URLSearchParams,
    readonly body: unknown,
  ) {}

  private raw(name: string): string | undefined {
    const p = this.pathParams.get(name);
    if (p !== undefined) return p;
    const all = this.query.getAll(name);
    if (all.length > 0) return all.join(',');
    if (this.body && typeof this.body === 'object' && !Array.isArray(this.body)) {
      const v = (this.body as Record<string, unknown>)[name];
      if (typeof v === 'string') return v;
      if (typeof v === 'number' || typeof v === 'boolean') return String(v);
      if (Array.isArray(v)) return v.map(String).join(',');
    }
    return undefined;
  }

  str(name: string): string | undefined {
    return this.raw(name);
  }

  /** atoi: junk reads as 0, like the generated ARI glue */
  int(name: string): number | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    const n = Number.parseInt(v, 10);
    return Number.isNaN(n) ? 0 : n;
  }

  bool(name: string): boolean | undefined {
    const v = this.raw(name);
    return v === undefined ? undefined : truthy(v);
  }

  list(name: string): string[] {
    const v = this.raw(name);
    return v === undefined ? [] : v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  }

  /** the `variables` body: string values, or {value, report_events} objects */
  variables(): Record<string, { value: string; report: boolean }> {
    const body = this.body;
    if (!body || typeof body !== 'object') return {};
    const vars = (body as Record<string, unknown>).variables;
    if (vars === undefined || vars === null) return {};
    if (typeof vars !== 'object' || Array.isArray(vars)) throw new AriError(400, "Only string values in the 'variables' object allowed");
    const out: Record<string, { value: string; report: boolean }> = {};
    for (const [k, v] of Object.entries(vars as Record<string, unknown>)) {
      if (typeof v === 'string') out[k] = { value: v, report: false };
      else if (v && typeof v === 'object' && typeof (v as Record<string, unknown>).value === 'string') {
        const o = v as Record<string, unknown>;
        out[k] = { value: String(o.value), report: o.report_events === true };
      } else throw new AriError(400, "Only string values in the 'variables' object allowed");
    }
    return out;
  }
}

export interface RouteMatch {
  route: RouteSpec;
  params: Map<string, string>;
}

/** literal path segments win over {params}, as in Asterisk's handler tree */
export function matchRoute(routes: readonly RouteSpec[], method: string, path: string): { match?: RouteMatch; pathExists: boolean; allow: string[] } {
  const segments = path.split('/').filter((s) => s !== '');
  let best: { route: RouteSpec; params: Map<string, string>; score: number } | undefined;
  const allow = new Set<string>();
  for (const route of routes) {
    const tpl = route.path.split('/').filter((s) => s !== '');
    if (tpl.length !== segments.length) continue;
    const params = new Map<string, string>();
    let score = 0;
    let fits = true;
    for (let i = 0; i < tpl.length; i++) {
      const t = tpl[i] ?? '';
      const s = segments[i] ?? '';
      if (t.startsWith('{') && t.endsWith('}')) {
        params.set(t.slice(1, -1), decodeURIComponent(s));
      } else if (t === s) {
        score += 1 << (tpl.length - i);
      } else {
        fits = false;
        break;
      }
    }
    if (!fits) continue;
    allow.add(route.method);
    if (route.method !== method) continue;
    if (!best || score > best.score) best = { route, params, score };
  }
  return { ...(best ? { match: { route: best.route, params: best.params } } : {}), pathExists: allow.size > 0, allow: [...allow] };
}
