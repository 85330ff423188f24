import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError, send } from "../http-io.js";
import { pageAsset } from "../live-view/page-assets.js";
import type { LiveView } from "../live-view/live-view.js";
import type { LiveSnapshot } from "../live-view/snapshot.js";
import { signViewToken, verifyViewToken } from "../live-view/view-token.js";
import type { Routes } from "../router.js";
import { requireScope, type ServerState } from "../state.js";
import { STREAM_HEARTBEAT_MS } from "./ruleset.js";

/**
 * The live view (docs/http-api.md#live-view): a read-only page at /live with its scripts and
 * style, a JSON snapshot, and a Server-Sent Events stream of snapshots. The page needs no
 * authentication (it holds no data); the data needs `reports:read`. The stream takes a short-lived
 * token from POST /v1/live/token, as a browser's EventSource cannot send an Authorization header.
 */
export function liveViewRoutes(view: LiveView): Routes {
  return {
    "GET /live": (_s, _req, res) => sendAsset(res, "index.html"),
    "GET /live/(?<asset>[a-z-]+\\.(?:mjs|css))": (_s, _req, res, m) => sendAsset(res, m[1]!),
    "POST /v1/live/token": async (s, req, res) => {
      const key = requireScope(s, req, "reports:read");
      await recordRead(s, key?.name ?? null);
      const exp = s.now() + view.tokenTtlMs;
      send(res, 200, { token: signViewToken({ key: key?.name ?? null, exp }, s.tokenSecret), expiresAt: new Date(exp).toISOString() });
    },
    "GET /v1/live/snapshot": async (s, req, res) => {
      const key = requireScope(s, req, "reports:read");
      await recordRead(s, key?.name ?? null);
      send(res, 200, await view.snapshot(), { "cache-control": "no-store" });
    },
    "GET /v1/live/stream": async (s, req, res) => {
      const expires = streamReader(s, req);
      res.writeHead(200, {
        "content-type": "text/event-stream",
        "cache-control": "no-store",
        // A buffering proxy (nginx) would hold the events back.
        "x-accel-buffering": "no",
      });
      // A stream opened with a token ends when the token expires: the page then gets a new token,
      // which checks its key again, rather than reading on after the key was revoked.
      const expired = () => {
        if (s.now() < expires) return false;
        res.end();
        return true;
      };
      const push = (snapshot: LiveSnapshot) => expired() || res.write(`event: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`);
      const stop = await view.subscribe(push);
      const heartbeat = setInterval(() => expired() || res.write(": keep-alive\n\n"), STREAM_HEARTBEAT_MS);
      heartbeat.unref();
      const end = () => {
        stop();
        clearInterval(heartbeat);
      };
      if (res.destroyed) end();
      else res.on("close", end);
    },
  };
}

/**
 * Who may open the stream: anyone without authentication; else a `reports:read` key in the
 * Authorization header (for non-browser clients), or an unexpired token in `?token=` whose key is
 * still configured with that scope. Returns when the stream must end: the token's expiry.
 */
function streamReader(s: ServerState, req: IncomingMessage): number {
  if (s.noAuth || req.headers.authorization !== undefined) {
    requireScope(s, req, "reports:read");
    return Infinity;
  }
  const token = new URL(req.url ?? "/", "http://localhost").searchParams.get("token");
  const claim = verifyViewToken(token, s.tokenSecret, s.now());
  if (!claim) throw new HttpError(401, "the live view token is missing, unknown or expired; get one from POST /v1/live/token");
  const key = s.keys.find((k) => k.name === claim.key);
  if (!key?.scopes.includes("reports:read"))
    throw new HttpError(403, `the key "${claim.key}" no longer has the "reports:read" scope; ask for a key that has it`);
  return claim.exp;
}

/** The live view shows live analysis results, which are recorded like every other read of them. */
function recordRead(s: ServerState, key: string | null): Promise<void> {
  return s.accessLog.record({ ts: new Date(s.now()).toISOString(), key, read: "live-view", experiment: "*" });
}

function sendAsset(res: ServerResponse, name: string): void {
  const asset = pageAsset(name);
  if (!asset) throw new HttpError(404, `the live view has no file "${name}"`);
  res.writeHead(200, {
    "content-type": asset.type,
    "content-length": asset.body.length,
    "cache-control": "no-cache",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    // Everything the page loads is its own: no inline script, no CDN, no framing.
    "content-security-policy":
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  });
  res.end(asset.body);
}
