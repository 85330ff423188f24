import { createHash } from "node:crypto";
import type { InterleaveResult } from "../interleave.js";
import type { Exposure } from "./wire.js";

/**
 * The variant an interleaving exposure records: the unit saw both rankers, so the credit lives in
 * the metadata's teams (docs/analysis.md#interleaving), not in a variant.
 */
export const INTERLEAVED_VARIANT = "interleaved";

/**
 * One exposure per interleaved list shown. Its id names the request too, so that a session's
 * second list is a second exposure while a retry of the same list is still stored once.
 */
export function interleavingExposureId(experiment: string, phase: number, hashKey: string, requestId: string): string {
  return createHash("sha256")
    .update(JSON.stringify([experiment, phase, hashKey, "interleave", requestId]))
    .digest("hex")
    .slice(0, 32);
}

/** What the exposure's metadata holds: the list shown, in order, and the team of each item. */
export function interleavingMetadata(r: InterleaveResult): Record<string, unknown> {
  return { interleaving: { request: r.requestId, method: r.method, items: r.items, teams: r.teams } };
}

/** The SDK's exposure of an enrolled unit's interleaved list; `user` is the user id beside a session. */
export function interleavingExposure(r: InterleaveResult, user: string, rulesetVersion: number, at: number): Exposure {
  return {
    exposureId: interleavingExposureId(r.experiment, r.phase, r.hashKey, r.requestId),
    experimentKey: r.experiment,
    userId: user,
    ...(r.hashKey !== user ? { sessionId: r.hashKey } : {}),
    variant: INTERLEAVED_VARIANT,
    phase: r.phase,
    rulesetVersion,
    ts: new Date(at).toISOString(),
    metadata: interleavingMetadata(r),
  };
}
