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

/** The scopes a bearer token grants, or undefined when it matches no key. Constant-time comparison. */
export function authorise(header: string | undefined, keys: readonly ApiKey[]): ApiKey | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  if (!m) return undefined;
  const digest = Buffer.from(sha256Hex(m[1]!), "hex");
  for (const k of keys) {
    const want = Buffer.from(k.sha256, "hex");
    if (want.length === digest.length && timingSafeEqual(want, digest)) return k;
  }
  return undefined;
}
