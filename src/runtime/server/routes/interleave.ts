import { interleave, type InterleaveResult } from "../../interleave.js";
import { INTERLEAVED_VARIANT, interleavingExposureId, interleavingMetadata } from "../../sdk/interleaving-exposure.js";
import { triggerOf } from "../assignment-exposure.js";
import { HttpError, send, str } from "../http-io.js";
import { jsonRoute } from "../json-route.js";
import { MAX_TEXT, textProblem, type ExposureRecord } from "../records.js";
import type { Routes } from "../router.js";
import type { ServerState } from "../state.js";
import { sessionInput, unitInput } from "./unit-input.js";

/** Longest ranking accepted: far above a real result page, far below the body limit. */
const MAX_RANKING = 1000;

/**
 * `POST /v1/interleave` (docs/http-api.md#interleave): the merged list of an interleaving
 * experiment for one unit and request, each item's team, and the exposure of that list logged with
 * its teams unless `trigger` is false. Evaluates at the server's clock, as the assignments do.
 */
export const interleaveRoutes: Routes = {
  "POST /v1/interleave": jsonRoute("evaluate", async (s, res, b) => {
    const key = str(b.experimentKey, "experimentKey")!;
    const { user, attrs } = unitInput(s, b);
    const unit = { userId: user, sessionId: sessionInput(b) };
    const requestId = str(b.requestId, "requestId", false) ?? "";
    if (requestId.length > MAX_TEXT) throw new HttpError(400, `"requestId" is longer than ${MAX_TEXT} characters`);
    const rankingA = ranking(b, "rankingA");
    const rankingB = ranking(b, "rankingB");
    const length = lengthOf(b);
    const trigger = triggerOf(b);
    const ev = s.rulesets.ready();
    const e = ev.ruleset.experiments[key];
    if (!e) throw new HttpError(404, `unknown experiment "${key}"`);
    if (!e.interleaving) throw new HttpError(400, `experiment "${key}" is not an interleaving experiment; use POST /v1/assignments for it`);
    const r = interleave(ev, key, unit, rankingA, rankingB, { requestId, attributes: attrs, length, at: s.now() });
    s.metrics.evaluations++;
    const loggedId = trigger && r.inExperiment ? await logInterleaving(s, r, user) : null;
    send(res, 200, {
      experimentKey: key,
      items: r.items,
      teams: r.teams,
      method: r.method,
      inExperiment: r.inExperiment,
      reasons: r.reasons,
      hashKey: r.hashKey,
      requestId,
      exposureLogged: loggedId !== null,
      exposureId: loggedId,
    });
  }),
};

function ranking(b: Record<string, unknown>, key: string): string[] {
  const v = b[key];
  if (!Array.isArray(v)) throw new HttpError(400, `"${key}" is required (an array of item ids)`);
  if (v.length > MAX_RANKING) throw new HttpError(400, `"${key}" has more than ${MAX_RANKING} items; send the top of the ranking only`);
  v.forEach((item, i) => {
    const problem = textProblem(item, true);
    if (problem) throw new HttpError(400, `"${key}[${i}]" ${problem}`);
  });
  return v as string[];
}

function lengthOf(b: Record<string, unknown>): number | undefined {
  if (b.length === undefined || b.length === null) return undefined;
  if (!Number.isInteger(b.length) || (b.length as number) < 1) throw new HttpError(400, `"length" must be a positive integer`);
  return b.length as number;
}

/** Stores the list's exposure as the SDK would send it (same id), unless the user opted out. */
async function logInterleaving(s: ServerState, r: InterleaveResult, user: string): Promise<string | null> {
  if (s.consent.optedOut(user)) {
    s.metrics.withoutConsent.exposures++;
    return null;
  }
  const record: ExposureRecord = {
    id: interleavingExposureId(r.experiment, r.phase, r.hashKey, r.requestId),
    unit_id: user,
    ...(r.hashKey !== user ? { session_id: r.hashKey } : {}),
    experiment: r.experiment,
    phase: r.phase,
    variant: INTERLEAVED_VARIANT,
    ts: new Date(s.now()).toISOString(),
    metadata: interleavingMetadata(r),
  };
  s.metrics.exposures += await s.ingest.exposures.append([record]);
  return record.id;
}
