import { context, HttpError, object, readJson, send, str } from "../http-io.js";
import { signExposure } from "../exposure-token.js";
import { logAssignmentExposure, triggerOf } from "../assignment-exposure.js";
import { textProblem } from "../records.js";
import type { Routes } from "../router.js";
import { requireScope } from "../state.js";

/**
 * Evaluation: one experiment (with a signed exposure token when the unit is enrolled, and the
 * exposure logged for on_assignment experiments unless `trigger` is false), one flag, or
 * everything for a unit. All evaluate at the server's clock. `sessionId` is what experiments whose
 * unit is `session` hash; their exposures and tokens carry it beside the user id.
 */
export const evaluateRoutes: Routes = {
  "POST /v1/assignments": async (s, req, res) => {
    requireScope(s, req, "evaluate");
    const b = object(await readJson(req));
    const key = str(b, "experimentKey")!;
    const user = unitId(b);
    const session = sessionId(b);
    const trigger = triggerOf(b);
    const ev = s.rulesets.ready();
    if (!ev.hasExperiment(key)) throw new HttpError(404, `unknown experiment "${key}"`);
    const r = ev.assign(key, { userId: user, sessionId: session }, context(b), s.now());
    s.metrics.evaluations++;
    const loggedId = await logAssignmentExposure(s, r, user, trigger);
    const bySession = r.hashKey !== user ? { s: r.hashKey } : {};
    const exposureToken =
      r.inExperiment && r.variant !== null
        ? signExposure({ e: key, p: ev.ruleset.experiments[key]!.phase, v: r.variant, u: user, ...bySession, t: s.now() }, s.tokenSecret)
        : null;
    send(res, 200, {
      experimentKey: key,
      variant: r.variant,
      config: r.config ?? null,
      url: r.url,
      inExperiment: r.inExperiment,
      reasons: r.reasons,
      hashKey: r.hashKey,
      bucket: r.bucket,
      exposureToken,
      exposureLogged: loggedId !== null,
      exposureId: loggedId,
    });
  },
  "POST /v1/flags/evaluate": async (s, req, res) => {
    requireScope(s, req, "evaluate");
    const b = object(await readJson(req));
    const key = str(b, "flagKey")!;
    const user = unitId(b);
    const ev = s.rulesets.ready();
    if (!ev.hasFlag(key)) throw new HttpError(404, `unknown flag "${key}"`);
    const r = ev.evaluate(key, { userId: user, sessionId: sessionId(b) }, context(b), s.now());
    s.metrics.evaluations++;
    send(res, 200, {
      flagKey: key,
      value: r.value,
      variant: r.variant,
      reason: r.reason,
      rule: r.rule ?? null,
      killSwitch: ev.ruleset.flags[key]!.enabled === false,
    });
  },
  "POST /v1/evaluate": async (s, req, res) => {
    requireScope(s, req, "evaluate");
    const b = object(await readJson(req));
    const r = s.rulesets.ready().evaluateAll({ userId: unitId(b), sessionId: sessionId(b) }, context(b), s.now());
    s.metrics.evaluations++;
    send(res, 200, r);
  },
};

/** The unit id: the exposure a token confirms must be storable, so it follows the ingestion rules (records.ts). */
function unitId(b: Record<string, unknown>): string {
  const problem = textProblem(b.userId, true);
  if (problem) throw new HttpError(400, `"userId" ${problem}`);
  return b.userId as string;
}

/** The session id that experiments whose unit is `session` hash; optional, stored like the unit id. */
function sessionId(b: Record<string, unknown>): string | undefined {
  const problem = textProblem(b.sessionId, false);
  if (problem) throw new HttpError(400, `"sessionId" ${problem}`);
  // An empty session id is no session: hashing "" would put every such caller in one bucket.
  return (b.sessionId as string | undefined) || undefined;
}
