import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { HttpError, send } from "./http-io.js";
import { requestKey, type ServerState } from "./state.js";

export type Handler = (state: ServerState, req: IncomingMessage, res: ServerResponse, params: RegExpMatchArray) => Promise<void> | void;

/**
 * Handlers keyed by "METHOD /path", where the path is a regular expression matched whole; a part
 * that varies is a named group, `(?<version>\d+)`, so that metrics and logs name the route by
 * its template, `/v1/ruleset/versions/{version}`.
 */
export type Routes = Record<string, Handler>;

/**
 * The request listener over route groups, tried in order. An unknown path is 404 and a known path
 * with another method 405 naming the allowed ones; a handler's HttpError becomes its status with a
 * JSON error, anything else 500. Every request is counted and timed by route template and status,
 * and is one line of the server log (server-log.ts): `info`, or `error` with the error (redacted)
 * for a 5xx answer.
 */
/** `{error}`, and `suggestion` (a did-you-mean, or what to send instead) when the error has one. */
export function errorBody(err: HttpError): { error: string; suggestion?: string } {
  const suggestion = err.diagnostic.suggestion;
  return suggestion === undefined ? { error: err.message } : { error: err.message, suggestion };
}

export function createRouter(state: ServerState, groups: Routes[]): RequestListener {
  const table = groups.flatMap((routes) =>
    Object.entries(routes).map(([k, handler]) => {
      const [method, path] = k.split(" ") as [string, string];
      return { method, re: new RegExp(`^${path}$`), route: routeTemplate(path), handler };
    }),
  );
  return (req, res) => {
    const start = performance.now();
    const path = (req.url ?? "/").split("?")[0]!;
    // One pass over the routes: the first whose path and method match, else the methods the path allows.
    let entry: (typeof table)[number] | undefined;
    let params: RegExpMatchArray | null = null;
    let route = "unmatched";
    const allowed: string[] = [];
    for (const t of table) {
      const m = path.match(t.re);
      if (!m) continue;
      if (route === "unmatched") route = t.route;
      if (t.method === req.method) {
        entry = t;
        params = m;
        break;
      }
      allowed.push(t.method);
    }
    const done = (status: number, error?: unknown) => {
      const seconds = (performance.now() - start) / 1000;
      state.metrics.request(req.method ?? "", route, status, seconds);
      const key = requestKey(req);
      const fields = {
        method: req.method,
        route,
        status,
        durationMs: Math.round(seconds * 1e6) / 1000,
        ...(key ? { keyId: key.name } : {}),
      };
      if (status >= 500) state.log.error(`${req.method} ${path} answered ${status}`, { ...fields, ...(error ? { error } : {}) });
      else state.log.info(`${req.method} ${route} answered ${status}`, fields);
    };
    if (!entry) {
      if (allowed.length === 0) send(res, 404, { error: `no route for ${req.method} ${path}` });
      else send(res, 405, { error: `use ${allowed.join(" or ")} for ${path}` }, { allow: allowed.join(", ") });
      return done(allowed.length === 0 ? 404 : 405);
    }
    const handler = entry.handler;
    Promise.resolve()
      .then(() => handler(state, req, res, params!))
      .then(() => done(res.statusCode))
      .catch((err: unknown) => {
        const status = err instanceof HttpError ? err.status : 500;
        done(status, err);
        if (!res.headersSent) send(res, status, err instanceof HttpError ? errorBody(err) : { error: "internal error" });
        else res.end();
      });
  };
}

/** A route's path with each named group replaced by `{name}`. */
export function routeTemplate(path: string): string {
  return path.replace(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>(?:\\.|\[[^\]]*\]|[^()\\])*\)/g, "{$1}");
}
