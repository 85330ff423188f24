import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from "node:crypto";

/**
 * Exposure tokens: the server signs what it assigned (experiment, phase, variant, unit, time) so a
 * client can confirm an exposure later without being able to forge or alter one.
 */
export interface ExposureClaim {
  e: string;
  p: number;
  v: string;
  u: string;
  /** The session id a session experiment hashed; absent for every other unit. */
  s?: string;
  t: number;
}

export function signExposure(claim: ExposureClaim, secret: Buffer): string {
  const body = Buffer.from(JSON.stringify(claim)).toString("base64url");
  return `${body}.${createHmac("sha256", keyOf(secret)).update(body).digest("base64url")}`;
}

/**
 * The secret as a key object, made once per secret: every enrolled assignment signs a token and
 * every confirmed exposure checks one, and preparing the raw key each time costs a share of that.
 * The secret is never changed in place once the server has it.
 */
const keys = new WeakMap<Buffer, KeyObject>();
function keyOf(secret: Buffer): KeyObject {
  let k = keys.get(secret);
  if (!k) keys.set(secret, (k = createSecretKey(secret)));
  return k;
}

/** A token as the server writes it: unpadded base64url body, a dot, and the 43-character base64url HMAC. */
const CANONICAL = /^([A-Za-z0-9_-]{1,4000})\.([A-Za-z0-9_-]{43})$/;

/**
 * The claim of a token signed with `secret`, or undefined. Only the exact encoding the server
 * issued is accepted: base64 decoding is lenient (padding, `+/`, stray characters, the unused low
 * bits of the last character), and each re-encoding of one token would otherwise count as a new
 * exposure. The signature is compared as text with the one computed, in constant time.
 */
export function verifyExposure(token: unknown, secret: Buffer): ExposureClaim | undefined {
  if (typeof token !== "string") return undefined;
  const m = CANONICAL.exec(token);
  if (!m) return undefined;
  const [, body, sig] = m as unknown as [string, string, string];
  const want = createHmac("sha256", keyOf(secret)).update(body).digest("base64url");
  if (!timingSafeEqual(Buffer.from(sig), Buffer.from(want))) return undefined;
  const bytes = Buffer.from(body, "base64url");
  if (bytes.toString("base64url") !== body) return undefined;
  try {
    const c = JSON.parse(bytes.toString("utf8")) as ExposureClaim;
    const ok =
      typeof c === "object" &&
      c !== null &&
      typeof c.e === "string" &&
      typeof c.v === "string" &&
      typeof c.u === "string" &&
      (c.s === undefined || typeof c.s === "string");
    return ok && Number.isInteger(c.p) && Number.isFinite(c.t) ? c : undefined;
  } catch {
    return undefined;
  }
}
