import { randomUUID } from "node:crypto";
import type { IdentifyCall } from "./wire.js";

/** The identify call as sent; a programming error (a missing id, or the same id twice) throws. */
export function identifyCall(anonymousId: string, userId: string, now: number): IdentifyCall {
  for (const [name, v] of [
    ["anonymousId", anonymousId],
    ["userId", userId],
  ] as const)
    if (typeof v !== "string" || v === "") throw new TypeError(`identify() needs "${name}" as a non-empty string.`);
  if (anonymousId === userId) throw new TypeError(`identify() maps an anonymous id to another id; "${userId}" was given as both.`);
  return { identifyId: randomUUID(), anonymousId, userId, ts: new Date(now).toISOString() };
}
