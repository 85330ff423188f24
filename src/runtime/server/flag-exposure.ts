import type { Attributes } from "../condition.js";
import type { FlagResult } from "../result.js";
import { userIdOf, type UnitRef } from "../unit-ids.js";
import { logAssignmentExposure } from "./assignment-exposure.js";
import { logRolloutExposure } from "./guards/rollout-exposure.js";
import type { ServerState } from "./state.js";

/**
 * Logs the exposure behind a flag value the server served from an experiment (a rule of kind
 * `experiment`), as the SDK's ExposureLogger does for its own flag evaluations: the unit's
 * assignment in that experiment goes through the same path as `POST /v1/assignments`, so an
 * on_assignment experiment stores it once per unit × experiment × phase (its id is the SDK's too),
 * and an on_view one stores nothing. `trigger: false` evaluates only, as for assignments. The
 * exposure id, or null when nothing was logged. A guarded rollout logs which side the unit is on
 * (guards/rollout-exposure.ts).
 */
export async function logFlagExposure(
  s: ServerState,
  flag: string,
  r: FlagResult,
  unit: UnitRef,
  attrs: Attributes,
  at: number,
  trigger: boolean,
): Promise<string | null> {
  if (!trigger || r.rule === null) return null;
  if (r.reason !== "experiment") return logRolloutExposure(s, flag, r, userIdOf(unit), at);
  const ev = s.rulesets.ready();
  const rule = ev.ruleset.flags[flag]?.rules.find((x) => x.name === r.rule);
  if (rule?.kind !== "experiment") return null;
  return logAssignmentExposure(s, ev.assign(rule.experiment, unit, attrs, at), userIdOf(unit), true);
}
