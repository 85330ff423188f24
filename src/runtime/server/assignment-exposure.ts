import type { AssignmentResult } from "../result.js";
import { exposureId } from "../sdk/exposure-id.js";
import { exposureMode } from "../sdk/exposure-mode.js";
import { HttpError } from "./http-io.js";
import type { ExposureRecord } from "./records.js";
import type { ServerState } from "./state.js";

/** `trigger` of `POST /v1/assignments`: absent or true lets the call log the exposure; false assigns only. */
export function triggerOf(b: Record<string, unknown>): boolean {
  if (b.trigger === undefined || b.trigger === null) return true;
  if (typeof b.trigger !== "boolean") throw new HttpError(400, `"trigger" must be true or false`);
  return b.trigger;
}

/**
 * Logs the exposure of an assignment the server made, as the SDK would: for an enrolled unit of an
 * on_assignment experiment, unless the caller said `trigger: false`. It has the id the SDK would
 * give it (hash key × experiment × phase), so the same exposure from both is stored once. Resolves
 * after the fsync with the exposure's id when it is stored (now or before); null at once, without
 * a promise, when there is nothing to log (most assignments of a loaded server).
 */
export function logAssignmentExposure(s: ServerState, r: AssignmentResult, user: string, trigger: boolean): Promise<string | null> | null {
  if (!trigger || !r.inExperiment || r.variant === null) return null;
  const e = s.rulesets.ready().ruleset.experiments[r.experiment];
  if (!e || exposureMode(e) !== "on_assignment") return null;
  if (s.consent.optedOut(user)) {
    s.metrics.withoutConsent.exposures++;
    return null;
  }
  return store(s, r, user, e.phase, r.variant);
}

async function store(s: ServerState, r: AssignmentResult, user: string, phase: number, variant: string): Promise<string> {
  const record: ExposureRecord = {
    id: exposureId(r.experiment, phase, r.hashKey),
    unit_id: user,
    // A session experiment hashed the session id: the record keeps both, so analyses can cluster by user.
    ...(r.hashKey !== user ? { session_id: r.hashKey } : {}),
    experiment: r.experiment,
    phase,
    variant,
    ts: new Date(s.now()).toISOString(),
    metadata: null,
  };
  const accepted = await s.ingest.exposures.append([record]);
  s.metrics.exposures += accepted;
  s.exposures.add(r.experiment, variant, r.hashKey);
  s.sticky.remember(record);
  return record.id;
}
