import { createHash, timingSafeEqual } from "node:crypto";

export type Scope = "evaluate" | "ingest" | "reports:read" | "ruleset:write" | "overrides";
export const SCOPES: Scope[] = ["evaluate", "ingest", "reports:read", "ruleset:write", "overrides"];

/** An API key as configured: only its SHA-256 is stored, never the key itself. */
export interface ApiKey {
  name: string;
  sha256: string;
  scopes: Scope[];
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Authorization headers already proven to carry a key, per key list: clients send the same header
 * on every request, and parsing and hashing it each time is a visible share of a small request's
 * cost. Only matches are kept (an unknown token always takes the constant-time path), and the memo
 * is bounded.
 */
const proven = new WeakMap<readonly ApiKey[], Map<string, ApiKey>>();
const MAX_PROVEN = 1024;

/** The scopes a bearer token grants, or undefined when it matches no key. Constant-time comparison. */
export function authorise(header: string | undefined, keys: readonly ApiKey[]): ApiKey | undefined {
  if (header === undefined) return undefined;
  const memo = proven.get(keys);
  const known = memo?.get(header);
  if (known) return known;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m) return undefined;
  const token = m[1]!;
  const digest = Buffer.from(sha256Hex(token), "hex");
  for (const k of keys) {
    const want = Buffer.from(k.sha256, "hex");
    if (want.length === digest.length && timingSafeEqual(want, digest)) {
      const map = memo ?? new Map<string, ApiKey>();
      if (!memo) proven.set(keys, map);
      if (map.size >= MAX_PROVEN) map.clear();
      map.set(header, k);
      return k;
    }
  }
  return undefined;
}
