import { bucketerFor } from "../../../ruleset/hash.js";
import { ROLLOUT_ARMS, type Ruleset } from "../../../ruleset/types.js";
import type { FlagResult } from "../../result.js";
import { rolloutPhase, timedSteps } from "../../rollout-phase.js";
import { exposureId } from "../../sdk/exposure-id.js";
import type { ClaimedExposure } from "../exposure-check.js";
import type { ExposureRecord } from "../records.js";
import type { ServerState } from "../state.js";
import { guardedRollout } from "./guard-targets.js";

/**
 * Logs which side of a guarded rollout the server served a unit (docs/file-formats.md#guards), as
 * the SDK's ExposureLogger does: an exposure of the guard's key, phase the step in force, variant
 * `rollout` or `default`, with the SDK's id, so both store it once. Null when the rule has no guard.
 */
export async function logRolloutExposure(s: ServerState, flag: string, r: FlagResult, user: string, at: number): Promise<string | null> {
  if ((r.reason !== "rollout" && r.reason !== "rollout_excluded") || r.rule === null) return null;
  const rule = s.rulesets.ready().ruleset.flags[flag]?.rules.find((x) => x.name === r.rule);
  if (rule?.kind !== "rollout" || !rule.guard) return null;
  const phase = rolloutPhase(timedSteps(rule.steps), at);
  if (phase === 0) return null;
  if (s.consent.optedOut(user)) {
    s.metrics.withoutConsent.exposures++;
    return null;
  }
  const record: ExposureRecord = {
    id: exposureId(rule.guard.key, phase, user),
    unit_id: user,
    experiment: rule.guard.key,
    phase,
    variant: r.reason === "rollout" ? ROLLOUT_ARMS.treatment : ROLLOUT_ARMS.control,
    ts: new Date(at).toISOString(),
    metadata: null,
  };
  s.metrics.exposures += await s.ingest.exposures.append([record]);
  return record.id;
}

/**
 * Why the served ruleset could not have given this exposure of a guarded rollout, or undefined:
 * the guard exists, the phase is one of its steps, and the unit's rollout bucket puts it on the
 * side it claims at that step's percentage (the rule's condition and holdouts are taken on trust,
 * as targeting is for experiments).
 */
export function rolloutExposureProblem(ruleset: Ruleset, x: ClaimedExposure): string | undefined {
  const found = guardedRollout(ruleset, x.experiment);
  if (!found) return `no guarded rollout "${x.experiment}" in ruleset version ${ruleset.version}`;
  const step = found.rule.steps[x.phase - 1];
  if (!step) return `the rollout "${x.experiment}" has no step ${x.phase}`;
  const inside = bucketerFor(`rollout:${found.flag}:${found.rule.name}`)(x.unit) < step.traffic;
  const side = inside ? ROLLOUT_ARMS.treatment : ROLLOUT_ARMS.control;
  return side === x.variant ? undefined : `the rollout "${x.experiment}" puts the unit on "${side}" at step ${x.phase}, not "${x.variant}"`;
}
