import { checkBodyShape, HttpError, readText, send } from "../http-io.js";
import { publishStatus } from "../ruleset-publisher.js";
import type { Routes } from "../router.js";
import { requireScope } from "../state.js";

/** How deep a ruleset may nest: conditions nest, but a few dozen levels is already far beyond a real one. */
export const MAX_RULESET_DEPTH = 256;

/** How often an idle ruleset stream carries a comment. */
export const STREAM_HEARTBEAT_MS = 15_000;

/**
 * The ruleset as a resource: GET with an ETag (the checksum) and If-None-Match, the stored versions,
 * and PUT with compare-and-swap (If-Match on the checksum or version, If-None-Match: * for the first).
 * A PUT of a version already stored re-activates it (a rollback). A PUT is checked for depth before
 * it is parsed, verified on a worker thread within a time budget, then published by the store's
 * publisher (under the target's lock, with an audit record) and served; PUTs run one at a time.
 * `GET /v1/ruleset/stream` is a Server-Sent Events stream of the version and checksum of each
 * ruleset served (a PUT or a reload), the current one first; the SDK then fetches it with its ETag.
 */
export const rulesetRoutes: Routes = {
  "GET /v1/ruleset": (s, req, res) => {
    requireScope(s, req, "evaluate");
    const current = s.rulesets.current;
    if (!current) throw new HttpError(404, "no ruleset is published yet");
    const etag = `"${current.checksum}"`;
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304, { etag });
      res.end();
      return;
    }
    send(res, 200, current, { etag });
  },
  "GET /v1/ruleset/stream": (s, req, res) => {
    requireScope(s, req, "evaluate");
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-store",
      // A buffering proxy (nginx) would hold the events back.
      "x-accel-buffering": "no",
    });
    const push = (r: { version: number; checksum: string }) =>
      res.write(`event: ruleset\nid: ${r.checksum}\ndata: ${JSON.stringify({ version: r.version, checksum: r.checksum })}\n\n`);
    // The current version first: a client that reconnects after missing one catches up at once.
    if (s.rulesets.current) push(s.rulesets.current);
    else res.write(": no ruleset is published yet\n\n");
    const stop = s.rulesets.onInstall(push);
    // A comment now and then keeps idle proxies and load balancers from closing the stream.
    const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), STREAM_HEARTBEAT_MS);
    heartbeat.unref();
    res.on("close", () => {
      stop();
      clearInterval(heartbeat);
    });
  },
  "GET /v1/ruleset/versions": async (s, req, res) => {
    requireScope(s, req, "evaluate");
    send(res, 200, { versions: await s.store.versions() });
  },
  "GET /v1/ruleset/versions/(?<version>\\d+)": async (s, req, res, m) => {
    requireScope(s, req, "evaluate");
    const version = Number(m[1]);
    // A number past 2^53 would round to a neighbour: it names no stored version.
    const got = Number.isSafeInteger(version) && version >= 1 ? await s.store.get(version) : undefined;
    if (!got) throw new HttpError(404, `version ${m[1]} is not stored`);
    send(res, 200, got.ruleset, { etag: `"${got.checksum}"` });
  },
  "PUT /v1/ruleset": async (s, req, res) => {
    const key = requireScope(s, req, "ruleset:write");
    const text = await readText(req);
    checkBodyShape(text, MAX_RULESET_DEPTH);
    const ruleset = await s.rulesets.verified(text);
    const ifMatch = header(req.headers["if-match"])?.replace(/^(?:W\/)?"(.*)"$/, "$1");
    const ifNoneMatch = header(req.headers["if-none-match"]);
    const actor = key ? `exp serve key "${key.name}"` : "exp serve (no auth)";
    const outcome = await s.rulesets.exclusive(async () => {
      try {
        const done = await s.publisher({ ruleset, ifMatch, ifNoneMatch, actor });
        s.rulesets.install(done.current.ruleset);
        return done;
      } catch (err) {
        const status = publishStatus(err);
        throw status === undefined ? err : new HttpError(status, (err as Error).message);
      }
    });
    send(res, 200, { version: outcome.current.version, checksum: outcome.current.checksum });
  },
};

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(", ") : v;
}
