import type { ServerResponse } from "node:http";
import type { Ruleset, RulesetExperiment } from "../../../ruleset/types.js";
import type { AssignmentResult } from "../../result.js";
import { HttpError, send, sendJsonText, str } from "../http-io.js";
import { jsonRoute } from "../json-route.js";
import { assignmentAnswer } from "./assignment-answer.js";
import { signExposure } from "../exposure-token.js";
import { logAssignmentExposure, triggerOf } from "../assignment-exposure.js";
import { logFlagExposure } from "../flag-exposure.js";
import type { Routes } from "../router.js";
import type { ServerState } from "../state.js";
import { stickyKey, withStickyArm } from "../../sdk/sticky-store.js";
import { sessionInput, unitInput } from "./unit-input.js";

/**
 * Evaluation: one experiment (with a signed exposure token when the unit is enrolled, and the
 * exposure logged for on_assignment experiments unless `trigger` is false), one flag (logging the
 * exposure likewise when an experiment served it), or everything for a unit. All evaluate at the
 * server's clock. `sessionId` is what experiments whose unit is `session` hash; their exposures and
 * tokens carry it beside the user id.
 */
export const evaluateRoutes: Routes = {
  "POST /v1/assignments": jsonRoute("evaluate", (s, res, b) => {
    const key = str(b.experimentKey, "experimentKey")!;
    const { user, attrs } = unitInput(s, b);
    const unit = { userId: user, sessionId: sessionInput(b) };
    const trigger = triggerOf(b);
    const ev = s.rulesets.ready();
    const e = experimentOf(ev.ruleset, key);
    if (!e) throw new HttpError(404, `unknown experiment "${key}"`);
    const fresh = ev.assign(key, unit, attrs, s.now());
    // A bandit's enrolled unit keeps its first arm when the weights change (sticky-arms.ts).
    const r = s.sticky.has(key) ? withStickyArm(fresh, e, s.sticky.get(stickyKey(key, e.phase, fresh.hashKey))?.variant) : fresh;
    s.metrics.evaluations++;
    // Most assignments log nothing and are answered at once, with no promise (json-route.ts).
    const logging = logAssignmentExposure(s, r, user, trigger);
    if (logging === null) return answerAssignment(s, res, r, e.phase, user, null);
    return logging.then((loggedId) => answerAssignment(s, res, r, e.phase, user, loggedId));
  }),
  "POST /v1/flags/evaluate": jsonRoute("evaluate", async (s, res, b) => {
    const key = str(b.flagKey, "flagKey")!;
    const { user, attrs } = unitInput(s, b);
    const trigger = triggerOf(b);
    const ev = s.rulesets.ready();
    if (!ev.hasFlag(key)) throw new HttpError(404, `unknown flag "${key}"`);
    const unit = { userId: user, sessionId: sessionInput(b) };
    const at = s.now();
    const r = ev.evaluate(key, unit, attrs, at);
    s.metrics.evaluations++;
    const loggedId = await logFlagExposure(s, key, r, unit, attrs, at, trigger);
    send(res, 200, {
      flagKey: key,
      value: r.value,
      variant: r.variant,
      reason: r.reason,
      rule: r.rule ?? null,
      killSwitch: ev.ruleset.flags[key]!.enabled === false,
      exposureLogged: loggedId !== null,
      exposureId: loggedId,
    });
  }),
  "POST /v1/evaluate": jsonRoute("evaluate", (s, res, b) => {
    const { user, attrs } = unitInput(s, b);
    const r = s.rulesets.ready().evaluateAll({ userId: user, sessionId: sessionInput(b) }, attrs, s.now());
    s.metrics.evaluations++;
    send(res, 200, r);
  }),
};

/**
 * The ruleset's experiment of that key, through a map made once per ruleset: indexing
 * `ruleset.experiments` with a key parsed from a request makes the engine intern the key each
 * time, a visible share of a small request's time. (Here rather than on the evaluator, which the
 * browser bundle carries within a size budget.)
 */
const experimentMaps = new WeakMap<Ruleset, Map<string, RulesetExperiment>>();

function experimentOf(ruleset: Ruleset, key: string): RulesetExperiment | undefined {
  let map = experimentMaps.get(ruleset);
  if (!map) experimentMaps.set(ruleset, (map = new Map(Object.entries(ruleset.experiments))));
  return map.get(key);
}

/** The assignment's answer, with a signed exposure token when the unit is enrolled. */
function answerAssignment(
  s: ServerState,
  res: ServerResponse,
  r: AssignmentResult,
  phase: number,
  user: string,
  loggedId: string | null,
): void {
  const key = r.experiment;
  const bySession = r.hashKey !== user ? { s: r.hashKey } : {};
  const exposureToken =
    r.inExperiment && r.variant !== null
      ? signExposure({ e: key, p: phase, v: r.variant, u: user, ...bySession, t: s.now() }, s.tokenSecret)
      : null;
  sendJsonText(res, 200, assignmentAnswer(r, { experimentKey: key, exposureToken, exposureId: loggedId }));
}
