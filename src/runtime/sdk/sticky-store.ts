import type { RulesetExperiment } from "../../ruleset/types.js";
import type { AssignmentResult } from "../result.js";

/**
 * Sticky arms: a unit enrolled in a bandit keeps the arm it was first assigned when the weights are
 * rewritten, so that reweighting enrols new units differently instead of moving the enrolled ones
 * (which would mix arms within a unit and invalidate the per-epoch analysis). Within one phase only:
 * a new phase re-randomises everyone, so the phase is part of the key.
 */
export interface StickyAssignment {
  readonly variant: string;
}

/**
 * Where the caller keeps the arms (a cookie, a session, a key-value store). Synchronous, as
 * `assign` is: an application with an asynchronous store loads the unit's entries before assigning.
 */
export interface StickyStore {
  get(unitKey: string): StickyAssignment | undefined;
  set(unitKey: string, assignment: StickyAssignment): void;
}

/** The store key of one unit in one phase of one experiment (JSON, so no separator can collide). */
export function stickyKey(experiment: string, phase: number, unit: string): string {
  return JSON.stringify([experiment, phase, unit]);
}

/**
 * The assignment with the unit's earlier arm, when the unit is enrolled now and that arm still
 * exists with a positive weight; otherwise the fresh assignment. The bucket stays the unit's hash
 * bucket, and the last reason names the arm served.
 */
export function withStickyArm(r: AssignmentResult, experiment: RulesetExperiment, arm: string | undefined): AssignmentResult {
  if (arm === undefined || !r.inExperiment || r.variant === null || r.variant === arm) return r;
  const v = experiment.variants.find((x) => x.key === arm && x.weight > 0);
  if (!v) return r;
  const last = r.reasons.length - 1;
  const reasons = r.reasons[last]?.startsWith("variant:") ? [...r.reasons.slice(0, last), `variant:${arm}` as const] : r.reasons;
  return { ...r, variant: arm, config: v.config ?? null, url: v.url ?? null, reasons: Object.freeze(reasons) };
}

/**
 * Assigns through a sticky store: the unit's stored arm when it still applies, else the fresh
 * assignment, which is stored as the unit's arm from then on.
 */
export function stickyAssign(store: StickyStore, r: AssignmentResult, experiment: RulesetExperiment): AssignmentResult {
  if (!r.inExperiment || r.variant === null) return r;
  const key = stickyKey(r.experiment, experiment.phase, r.hashKey);
  const stored = store.get(key);
  const out = withStickyArm(r, experiment, stored?.variant);
  if (out.variant !== null && out.variant !== stored?.variant) store.set(key, { variant: out.variant });
  return out;
}
