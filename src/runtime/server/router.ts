import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { isQueued } from "./answer-batch.js";
import { HttpError, send } from "./http-io.js";
import { logRequest } from "./server-log.js";
import { requestKey, type ServerState } from "./state.js";

export type Handler = (state: ServerState, req: IncomingMessage, res: ServerResponse, params: RegExpMatchArray) => Answering | void;

/**
 * What a handler that answers later returns: a promise, or any object whose `then` calls one of
 * the two back once, as json-route.ts's does without a promise.
 */
export interface Answering {
  then(answered: () => void, failed: (err: unknown) => void): unknown;
}

/**
 * Handlers keyed by "METHOD /path", where the path is a regular expression matched whole; a part
 * that varies is a named group, `(?<version>\d+)`, so that metrics and logs name the route by
 * its template, `/v1/ruleset/versions/{version}`.
 */
export type Routes = Record<string, Handler>;

/** `{error}`, and `suggestion` (a did-you-mean, or what to send instead) when the error has one. */
export function errorBody(err: HttpError): { error: string; suggestion?: string } {
  const suggestion = err.diagnostic.suggestion;
  return suggestion === undefined ? { error: err.message } : { error: err.message, suggestion };
}

interface RouteEntry {
  method: string;
  /** The path as the route key gives it, a regular expression. */
  path: string;
  re: RegExp;
  route: string;
  handler: Handler;
}

/** What a path resolves to: its route template, and per method the first entry that serves it. */
interface Resolution {
  route: string;
  byMethod: Map<string, { entry: RouteEntry; params: RegExpMatchArray }>;
  /** Every method the path allows, in table order: the 405 answer names them. */
  allowed: string[];
}

/**
 * The request listener over route groups, tried in order. An unknown path is 404 and a known path
 * with another method 405 naming the allowed ones; a handler's HttpError becomes its status with a
 * JSON error, anything else 500. Every request is counted and timed by route template and status,
 * and is one line of the server log (server-log.ts): `info`, or `error` with the error (redacted)
 * for a 5xx answer.
 */
export function createRouter(state: ServerState, groups: Routes[]): RequestListener {
  const table: RouteEntry[] = groups.flatMap((routes) =>
    Object.entries(routes).map(([k, handler]) => {
      const [method, path] = k.split(" ") as [string, string];
      return { method, path, re: new RegExp(`^${path}$`), route: routeTemplate(path), handler };
    }),
  );
  // A path without regular-expression syntax is resolved once, here, rather than by trying every
  // route on every request; any other path is resolved when it comes, by the same scan.
  const literal = new Map<string, Resolution>();
  for (const { path } of table) if (!/[\\^$.|?*+()[\]{}]/.test(path) && !literal.has(path)) literal.set(path, resolve(table, path));
  return (req, res) => {
    const start = performance.now();
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    const method = req.method ?? "";
    const found = literal.get(path) ?? resolve(table, path);
    const match = found.byMethod.get(method);
    if (!match) {
      const allowed = found.allowed;
      if (allowed.length === 0) send(res, 404, { error: `no route for ${req.method} ${path}` });
      else send(res, 405, { error: `use ${allowed.join(" or ")} for ${path}` }, { allow: allowed.join(", ") });
      return answered(state, req, path, found.route, start, allowed.length === 0 ? 404 : 405);
    }
    const route = found.route;
    let pending: Answering | void;
    try {
      pending = match.entry.handler(state, req, res, match.params);
    } catch (err) {
      return failed(state, req, res, path, route, start, err);
    }
    if (!pending) return answered(state, req, path, route, start, res.statusCode);
    // One reaction for both outcomes, not a then and a catch: a promise and a turn fewer per request.
    // answered() does not throw (the log guards its sink), so the failure path needs no second catch.
    pending.then(
      () => answered(state, req, path, route, start, res.statusCode),
      (err: unknown) => failed(state, req, res, path, route, start, err),
    );
  };
}

/**
 * A handler's failure: an HttpError is its status with a JSON error, anything else 500. An answer
 * the handler queued before it failed is the one the client gets.
 */
function failed(state: ServerState, req: IncomingMessage, res: ServerResponse, path: string, route: string, start: number, err: unknown) {
  const status = err instanceof HttpError ? err.status : 500;
  answered(state, req, path, route, start, status, err);
  if (isQueued(res)) return;
  if (!res.headersSent) send(res, status, err instanceof HttpError ? errorBody(err) : { error: "internal error" });
  else res.end();
}

/** One pass over the routes: the first whose path matches names the route, the first per method serves it. */
function resolve(table: readonly RouteEntry[], path: string): Resolution {
  const found: Resolution = { route: "unmatched", byMethod: new Map(), allowed: [] };
  for (const t of table) {
    const m = path.match(t.re);
    if (!m) continue;
    if (found.route === "unmatched") found.route = t.route;
    if (found.byMethod.has(t.method)) continue;
    found.byMethod.set(t.method, { entry: t, params: m });
    found.allowed.push(t.method);
  }
  return found;
}

/** Counts and times the request and writes its log line. */
function answered(state: ServerState, req: IncomingMessage, path: string, route: string, start: number, status: number, error?: unknown) {
  const seconds = (performance.now() - start) / 1000;
  const method = req.method ?? "";
  state.metrics.request(method, route, status, seconds);
  const durationMs = Math.round(seconds * 1e6) / 1000;
  const keyId = requestKey(req)?.name;
  if (status < 500) return logRequest(state.log, { method, route, status, durationMs, keyId });
  const fields: Record<string, unknown> = { method: req.method, route, status, durationMs };
  if (keyId !== undefined) fields.keyId = keyId;
  if (error) fields.error = error;
  state.log.error(`${req.method} ${path} answered ${status}`, fields);
}

/** A route's path with each named group replaced by `{name}`. */
export function routeTemplate(path: string): string {
  return path.replace(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>(?:\\.|\[[^\]]*\]|[^()\\])*\)/g, "{$1}");
}
