import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Exposure tokens: the server signs what it assigned (experiment, phase, variant, unit, time) so a
 * client can confirm an exposure later without being able to forge or alter one.
 */
export interface ExposureClaim {
  e: string;
  p: number;
  v: string;
  u: string;
  t: number;
}

export function signExposure(claim: ExposureClaim, secret: Buffer): string {
  const body = Buffer.from(JSON.stringify(claim)).toString("base64url");
  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`;
}

export function verifyExposure(token: unknown, secret: Buffer): ExposureClaim | undefined {
  if (typeof token !== "string" || token.length > 4096) return undefined;
  const dot = token.indexOf(".");
  if (dot <= 0) return undefined;
  const body = token.slice(0, dot);
  const sig = Buffer.from(token.slice(dot + 1), "base64url");
  const want = createHmac("sha256", secret).update(body).digest();
  if (sig.length !== want.length || !timingSafeEqual(sig, want)) return undefined;
  try {
    const c = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as ExposureClaim;
    return typeof c.e === "string" && typeof c.v === "string" && typeof c.u === "string" ? c : undefined;
  } catch {
    return undefined;
  }
}
