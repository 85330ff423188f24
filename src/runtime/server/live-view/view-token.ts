import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Short-lived tokens for the live view's event stream. A browser's EventSource cannot send an
 * Authorization header, and an API key in a URL lands in proxy and access logs, so the page trades
 * a `reports:read` key (POST /v1/live/token) for a token naming that key and an expiry, signed with
 * a key derived from the server's secret. The stream checks the token when it opens.
 */
export interface ViewClaim {
  /** The API key's name (its scope is checked again when the token is used), or null without authentication. */
  key: string | null;
  /** Expiry, ms since the epoch by the server's clock. */
  exp: number;
}

/** Separates these signatures from exposure tokens signed with the same secret. */
const PURPOSE = "exp live view token v1";

function signingKey(secret: Buffer): Buffer {
  return createHmac("sha256", secret).update(PURPOSE).digest();
}

export function signViewToken(claim: ViewClaim, secret: Buffer): string {
  const body = Buffer.from(JSON.stringify(claim)).toString("base64url");
  return `${body}.${createHmac("sha256", signingKey(secret)).update(body).digest("base64url")}`;
}

const CANONICAL = /^([A-Za-z0-9_-]{1,2000})\.([A-Za-z0-9_-]{43})$/;

/** The claim of a token this server signed that has not expired at `now`, or undefined. */
export function verifyViewToken(token: string | null | undefined, secret: Buffer, now: number): ViewClaim | undefined {
  const m = token ? CANONICAL.exec(token) : null;
  if (!m) return undefined;
  const [, body, sig] = m as unknown as [string, string, string];
  const want = createHmac("sha256", signingKey(secret)).update(body).digest("base64url");
  if (!timingSafeEqual(Buffer.from(sig), Buffer.from(want))) return undefined;
  try {
    const c = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as ViewClaim;
    const ok = typeof c === "object" && c !== null && (c.key === null || typeof c.key === "string") && Number.isFinite(c.exp);
    return ok && now < c.exp ? c : undefined;
  } catch {
    return undefined;
  }
}
