import type { ServerResponse } from "node:http";
import { object, send } from "../http-io.js";
import { exposureProblem } from "../exposure-check.js";
import { objectProblem, phaseProblem, textProblem, type ExposureRecord } from "../records.js";
import { withoutConsent } from "../privacy/consent.js";
import type { ServerState } from "../state.js";
import { check, recordsOf, storeKept, EXPOSURE_SKEW_MS, time } from "./ingest.js";

/** How old an SDK exposure may be: long enough to cover a client buffering through an outage. */
export const EXPOSURE_MAX_AGE_MS = 7 * 24 * 3_600_000;

/** True for the SDK forms of `POST /v1/exposures`: `{exposures: [...]}`, or one exposure with an `experimentKey`. */
export function isSdkExposureBody(body: Record<string, unknown>): boolean {
  return Object.hasOwn(body, "exposures") || Object.hasOwn(body, "experimentKey");
}

/**
 * Exposures an in-process SDK logged (docs/http-api.md#exposures-from-an-sdk): a malformed one
 * refuses the request (400), as the door does for events; one the served ruleset could not have
 * given is left out and listed in `rejected`, so that one stale record does not hold back a batch.
 * The record id is the SDK's `exposureId`: a retry, or the same exposure logged again, is a duplicate.
 */
export async function ingestSdkExposures(s: ServerState, body: Record<string, unknown>, res: ServerResponse): Promise<void> {
  const { list } = recordsOf(body, "exposures", "exposure");
  const ruleset = s.rulesets.ready().ruleset;
  const now = s.now();
  const records: ExposureRecord[] = [];
  const consents: unknown[] = [];
  const rejected: { index: number; error: string }[] = [];
  list.forEach((item, index) => {
    const what = `exposure ${index}`;
    const o = object(item, what);
    for (const field of ["exposureId", "experimentKey", "userId", "variant"]) check(what, field, textProblem(o[field], true));
    check(what, "sessionId", textProblem(o.sessionId, false));
    check(what, "phase", phaseProblem(o.phase));
    check(what, "metadata", objectProblem(o.metadata));
    if (o.rulesetVersion !== undefined && !Number.isInteger(o.rulesetVersion)) check(what, "rulesetVersion", "must be an integer");
    const at = o.ts === undefined || o.ts === null ? now : time(o.ts, `${what}: "ts"`);
    const claim = {
      experiment: o.experimentKey as string,
      phase: o.phase as number,
      unit: o.userId as string,
      session: (o.sessionId as string | undefined) || undefined,
      variant: o.variant as string,
    };
    const problem =
      at > now + EXPOSURE_SKEW_MS
        ? `"ts" is later than the server's clock (${new Date(now).toISOString()})`
        : at < now - EXPOSURE_MAX_AGE_MS
          ? `"ts" is more than 7 days before the server's clock`
          : exposureProblem(ruleset, claim);
    if (problem) return void rejected.push({ index, error: problem });
    const metadata = { ...(o.metadata as Record<string, unknown> | undefined) };
    if (o.rulesetVersion !== undefined) metadata.rulesetVersion = o.rulesetVersion;
    consents.push(o.consent);
    records.push({
      id: o.exposureId as string,
      unit_id: claim.unit,
      ...(claim.session !== undefined ? { session_id: claim.session } : {}),
      experiment: claim.experiment,
      phase: claim.phase,
      variant: claim.variant,
      ts: new Date(Math.min(at, now)).toISOString(),
      metadata: Object.keys(metadata).length > 0 ? metadata : null,
    });
  });
  const kept = s.consent.keep("exposures", records, consents, (i) => `exposure ${i}`);
  const accepted = await storeKept(s, "exposures", kept, now);
  for (const r of kept) {
    s.exposures.add(r.experiment, r.variant, r.session_id ?? r.unit_id);
    s.sticky.remember(r);
  }
  send(res, 202, { accepted, duplicates: kept.length - accepted, rejected, ...withoutConsent(records.length - kept.length) });
}
