import { bucketerFor, pickIndex } from "../ruleset/hash.js";
import type { RulesetExperiment } from "../ruleset/types.js";
import { compileCondition } from "./condition.js";
import type { Assign, EvaluationScope, Holdout } from "./evaluation-scope.js";
import { instant } from "./instant.js";
import type { AssignmentReason, AssignmentResult } from "./result.js";
import { SESSION_UNIT } from "./unit-ids.js";

type Reasons = readonly AssignmentReason[];

/**
 * Every reason list an assignment to one experiment can end with, built once. The ladder has four
 * rungs — running, past the holdout, targeted, in traffic — and each rung extends the one above
 * it; an outcome is the rung it reached plus its last step. The lists are frozen and shared by
 * every result that ends there, so an assignment never builds one.
 */
export interface ExperimentReasons {
  beforeSchedule: Reasons;
  /** A session experiment asked without a session id. */
  noSession: Reasons;
  afterSchedule: Reasons;
  /** By holdout index. */
  inHoldout: readonly Reasons[];
  targetingMismatch: Reasons;
  outsideTraffic: Reasons;
  noVariant: Reasons;
  /** An interleaving experiment's enrolled unit (no variant). */
  interleaved: Reasons;
  /** By variant index. */
  variant: readonly Reasons[];
}

const NOT_RUNNING: Reasons = Object.freeze(["not_running"]);

export function experimentReasons(e: RulesetExperiment, holdouts: readonly Holdout[]): ExperimentReasons {
  const layered = e.layer !== undefined;
  const running: AssignmentReason[] = ["running"];
  const pastHoldout: AssignmentReason[] = [...running, e.holdout ? "not_in_holdout" : "holdout_exempt"];
  const targeted: AssignmentReason[] = [...pastHoldout, "targeting_match"];
  const inTraffic: AssignmentReason[] = [...targeted, layered ? "in_layer_slot" : "in_traffic"];
  const ending = (rung: AssignmentReason[], last: AssignmentReason): Reasons => Object.freeze([...rung, last]);
  return {
    beforeSchedule: ending(running, "before_schedule"),
    noSession: ending(running, "no_session_id"),
    afterSchedule: ending(running, "after_schedule"),
    inHoldout: holdouts.map((h) => ending(running, h.reason)),
    targetingMismatch: ending(pastHoldout, "targeting_mismatch"),
    outsideTraffic: ending(targeted, layered ? "outside_layer_slot" : "outside_traffic"),
    noVariant: ending(inTraffic, "no_variant"),
    interleaved: ending(inTraffic, "interleaving"),
    variant: e.variants.map((v) => ending(inTraffic, `variant:${v.key}`)),
  };
}

/**
 * A QA override serves its variant to the listed unit (the user id, also in a session experiment)
 * whenever the experiment runs, ahead of the schedule, holdouts, targeting and traffic. The unit
 * is not enrolled (`inExperiment` false), so no runtime logs an exposure for it and the analysis
 * never counts it; flag rules and `in_experiment()` still see the variant. Each call copies the unit's prepared result.
 */
function compileOverrides(key: string, e: RulesetExperiment): Map<string, AssignmentResult> | undefined {
  if (!e.overrides) return undefined;
  const out = new Map<string, AssignmentResult>();
  for (const [unit, variantKey] of Object.entries(e.overrides)) {
    const v = e.variants.find((x) => x.key === variantKey);
    if (!v) continue;
    const reasons: Reasons = Object.freeze(["running", "override", `variant:${v.key}`]);
    out.set(unit, {
      experiment: key,
      variant: v.key,
      config: v.config ?? null,
      url: v.url ?? null,
      inExperiment: false,
      reasons,
      bucket: null,
      hashKey: unit,
    });
  }
  return out.size > 0 ? out : undefined;
}

/**
 * One experiment as a closure that walks the ladder: schedule, holdout, targeting, traffic (or the
 * layer's slot ranges), then the variant bucket. Seeds and reasons are precomputed; a call hashes
 * the unit at most twice and allocates only its result. A session experiment hashes the session id
 * for traffic and variant (its `hashKey`), while holdouts stay per user: a long-term holdout must
 * not let a held-out user in on every other visit.
 */
export function compileExperiment(key: string, e: RulesetExperiment, scope: EvaluationScope): Assign {
  const miss = (unit: string, reasons: Reasons, b: number | null = null): AssignmentResult => ({
    experiment: key,
    variant: null,
    config: null,
    url: null,
    inExperiment: false,
    reasons,
    bucket: b,
    hashKey: unit,
  });
  if (e.status !== "running") return (unit) => miss(unit, NOT_RUNNING);

  const { beforeSchedule, noSession, afterSchedule, inHoldout, targetingMismatch, outsideTraffic, noVariant, interleaved, variant } =
    experimentReasons(e, scope.holdouts);
  const start = instant(e.schedule.start, -Infinity);
  const end = instant(e.schedule.end, Infinity);
  const checkHoldout = e.holdout && scope.holdouts.length > 0;
  const targeting = compileCondition(e.targeting, scope);
  const hasTargeting = e.targeting !== undefined;
  const layered = e.layer !== undefined;
  // A layered experiment's traffic is its slot ranges [start, end) in the layer's bucket, flattened.
  const slotBounds = layered ? (scope.ruleset.layers[e.layer!]?.slots[key] ?? []).flat() : [];
  const trafficBucket = bucketerFor(layered ? `layer:${e.layer}` : `traffic:${key}:${e.phase}`);
  const traffic = e.traffic;
  const variantBucket = bucketerFor(`variant:${key}:${e.phase}`);
  const weights = e.variants.map((v) => v.weight);
  const bySession = e.unit === SESSION_UNIT;
  const picked = e.variants.map((v, i) => ({ key: v.key, config: v.config ?? null, url: v.url ?? null, reasons: variant[i]! }));
  const overrides = compileOverrides(key, e);
  const interleaving = e.interleaving !== undefined;

  return (unit, attrs, at) => {
    if (overrides !== undefined) {
      const forced = overrides.get(unit);
      if (forced !== undefined) return { ...forced };
    }
    if (at < start) return miss(unit, beforeSchedule);
    if (at >= end) return miss(unit, afterSchedule);
    const hashKey = bySession ? scope.session : unit;
    if (hashKey === undefined) return miss(unit, noSession);
    if (checkHoldout) {
      const h = scope.holdoutOf(unit);
      if (h >= 0) return miss(unit, inHoldout[h]!);
    }
    if (hasTargeting && !targeting(unit, attrs, at)) return miss(unit, targetingMismatch);
    const tb = trafficBucket(hashKey);
    if (layered) {
      let inside = false;
      for (let i = 0; i < slotBounds.length; i += 2) {
        if (tb >= slotBounds[i]! && tb < slotBounds[i + 1]!) {
          inside = true;
          break;
        }
      }
      if (!inside) return miss(hashKey, outsideTraffic);
    } else if (tb >= traffic) return miss(hashKey, outsideTraffic);
    // Enrolled, but the rankers are teams within one list (interleave.ts), not variants to split.
    if (interleaving) return { ...miss(hashKey, interleaved), inExperiment: true };
    const vb = variantBucket(hashKey);
    const i = pickIndex(weights, vb);
    if (i < 0) return miss(hashKey, noVariant, vb);
    const v = picked[i]!;
    return {
      experiment: key,
      variant: v.key,
      config: v.config,
      url: v.url,
      inExperiment: true,
      reasons: v.reasons,
      bucket: vb,
      hashKey,
    };
  };
}
