import { createHash, randomUUID } from "node:crypto";
import { HttpError, object, send } from "../http-io.js";
import { jsonRoute } from "../json-route.js";
import { verifyExposure, type ExposureClaim } from "../exposure-token.js";
import { parseIsoTime } from "../iso-time.js";
import { objectProblem, phaseProblem, textProblem, valueProblem, type EventRecord, type ExposureRecord } from "../records.js";
import type { Routes } from "../router.js";
import type { ServerState } from "../state.js";
import { eventProblem } from "../../../workspace/declared-input.js";
import { withoutConsent } from "../privacy/consent.js";
import { ingestSdkExposures, isSdkExposureBody } from "./sdk-exposures.js";

/** Events in one request, at most: a batch is parsed and checked on the event loop before its fsync. */
export const MAX_BATCH = 10_000;

/** How far ahead of the server's clock an exposure's `ts` may be (client clock skew); it is then taken as now. */
export const EXPOSURE_SKEW_MS = 60_000;

/**
 * Ingestion: exposures (with a valid exposure token, deduplicated by it, or as an SDK logged them:
 * sdk-exposures.ts) and events (singly or in a batch, deduplicated by eventId). Every field is
 * checked at the door against the rules compaction relies on (records.ts), so that what gets 202
 * can always become a Parquet row; a 202 is sent only after the records are fsynced. Given
 * exp.yaml's declarations, an event it does not declare (or with a property it does not declare,
 * or of another type) is refused, or in a batch left out and listed in `rejected`.
 */
export const ingestRoutes: Routes = {
  "POST /v1/exposures": jsonRoute("ingest", async (s, res, b) => {
    if (isSdkExposureBody(b)) return ingestSdkExposures(s, b, res);
    const claim = verifyExposure(b.exposureToken, s.tokenSecret);
    if (!claim) throw new HttpError(400, "the exposure token is missing, forged, altered or not in its canonical encoding");
    const now = s.now();
    const record = exposureRecord(claim, b, now);
    // The token is canonical, so its hash names the exposure: the same token twice is one exposure.
    record.id = createHash("sha256").update(String(b.exposureToken)).digest("hex").slice(0, 32);
    const kept = s.consent.keep("exposures", [record], [b.consent], () => "the exposure");
    const accepted = await storeKept(s, "exposures", kept, now);
    if (accepted) {
      s.exposures.add(claim.e, claim.v, claim.s ?? claim.u);
      s.sticky.remember(record);
    }
    send(res, 202, { accepted, duplicate: kept.length > 0 && accepted === 0, ...withoutConsent(1 - kept.length) });
  }),
  "POST /v1/events": jsonRoute(
    "ingest",
    async (s, res, b) => {
      const { batch, list } = recordsOf(b, "events", "event");
      const now = s.now();
      const declared: { record: EventRecord; consent: unknown; index: number }[] = [];
      const rejected: { index: number; error: string; suggestion?: string }[] = [];
      list.forEach((e, index) => {
        const record = eventRecord(e, `event ${index}`, now);
        const problem = s.declarations && eventProblem(record.event, record.properties, s.declarations.events);
        if (!problem) return void declared.push({ record, consent: (e as Record<string, unknown>).consent, index });
        // One event is refused outright; in a batch it is left out and listed, as the CLI's --batch reports a line.
        if (!batch) throw new HttpError(400, problem.message, problem.suggestion);
        rejected.push({ index, error: problem.message, ...(problem.suggestion ? { suggestion: problem.suggestion } : {}) });
      });
      const records = s.consent.keep(
        "events",
        declared.map((d) => d.record),
        declared.map((d) => d.consent),
        (i) => `event ${declared[i]!.index}`,
      );
      const accepted = await storeKept(s, "events", records, now);
      send(res, 202, { accepted, duplicates: records.length - accepted, rejected, ...withoutConsent(declared.length - records.length) });
    },
    'the body (one event, or {"events": [...]})',
  ),
};

/**
 * Stores the records of `kind` that consent kept, and counts them: the ones the sink accepted (the
 * others were duplicates) in the kind's counter, and how far each one's `ts` lags behind `now`, the
 * time the request was taken. Resolves with the number accepted, once they are fsynced.
 */
export async function storeKept(
  s: ServerState,
  kind: "exposures" | "events",
  kept: { id: string; ts: string }[],
  now: number,
): Promise<number> {
  const accepted = kept.length > 0 ? await s.ingest[kind].append(kept) : 0;
  s.metrics[kind] += accepted;
  s.metrics.ingested(
    kind,
    kept.map((r) => r.ts),
    now,
    kept.length - accepted,
  );
  return accepted;
}

/**
 * The records a body holds: the body itself, or the list under `field` (`events`, `identities`,
 * `exposures`) when it has one, checked by batchOf; `batch` says which.
 */
export function recordsOf(b: Record<string, unknown>, field: string, noun: string): { batch: boolean; list: unknown[] } {
  const batch = Object.hasOwn(b, field);
  return { batch, list: batch ? batchOf(b, field, noun) : [b] };
}

/** The list under `field`: non-empty and at most MAX_BATCH long. */
function batchOf(b: Record<string, unknown>, field: string, noun: string): unknown[] {
  const list = b[field];
  if (!Array.isArray(list)) throw new HttpError(400, `"${field}" must be a list of ${noun} objects`);
  if (list.length === 0) throw new HttpError(400, `"${field}" is empty`);
  if (list.length > MAX_BATCH) throw new HttpError(400, `"${field}" holds ${list.length} ${noun}s; send at most ${MAX_BATCH} per request`);
  return list;
}

function eventRecord(e: unknown, what: string, now: number): EventRecord {
  const o = object(e, what);
  // An eventId may be left out (the server makes one); an empty one would make unrelated events duplicates of each other.
  check(what, "eventId", o.eventId === "" ? "must not be empty; leave it out to have one made" : textProblem(o.eventId, false));
  check(what, "userId", textProblem(o.userId, true));
  check(what, "sessionId", textProblem(o.sessionId, false));
  check(what, "eventName", textProblem(o.eventName, true));
  check(what, "value", valueProblem(o.value));
  check(what, "properties", objectProblem(o.properties));
  return {
    id: (o.eventId as string | undefined) ?? randomUUID(),
    unit_id: o.userId as string,
    session_id: (o.sessionId as string | undefined) ?? null,
    event: o.eventName as string,
    ts: new Date(o.ts === undefined || o.ts === null ? now : time(o.ts, `${what}: "ts"`)).toISOString(),
    value: (o.value as number | undefined) ?? null,
    properties: (o.properties as Record<string, unknown> | undefined) ?? null,
  };
}

/**
 * The exposure a verified token confirms. Its time is the client's `ts` (when the variant was
 * shown), bounded so that a client cannot move a unit's first exposure: not before the token was
 * issued, and not after the server's clock (a little ahead is client clock skew, taken as now).
 */
function exposureRecord(claim: ExposureClaim, b: Record<string, unknown>, now: number): ExposureRecord {
  const what = "the exposure token";
  check(what, "unit", textProblem(claim.u, true));
  check(what, "experiment", textProblem(claim.e, true));
  check(what, "variant", textProblem(claim.v, true));
  check(what, "phase", phaseProblem(claim.p));
  check("the exposure", "metadata", objectProblem(b.metadata));
  let at = now;
  if (b.ts !== undefined && b.ts !== null) {
    at = time(b.ts, `"ts"`);
    if (at < claim.t) throw new HttpError(400, `"ts" is before the exposure token was issued (${new Date(claim.t).toISOString()})`);
    if (at > now + EXPOSURE_SKEW_MS) throw new HttpError(400, `"ts" is later than the server's clock (${new Date(now).toISOString()})`);
    at = Math.min(at, now);
  }
  return {
    id: "",
    unit_id: claim.u,
    ...(claim.s !== undefined ? { session_id: claim.s } : {}),
    experiment: claim.e,
    phase: claim.p,
    variant: claim.v,
    ts: new Date(at).toISOString(),
    metadata: (b.metadata as Record<string, unknown> | undefined) ?? null,
  };
}

export function check(what: string, field: string, problem: string | undefined): void {
  if (problem) throw new HttpError(400, `${what}: "${field}" ${problem}`);
}

export function time(v: unknown, what: string): number {
  if (typeof v !== "string") throw new HttpError(400, `${what} must be an ISO-8601 date-time string`);
  const t = parseIsoTime(v);
  if ("problem" in t) throw new HttpError(400, `${what} ${t.problem}`);
  return t.ms;
}
