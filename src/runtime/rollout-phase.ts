import { instant } from "./instant.js";

/** A rollout step with its start in ms. */
export interface TimedStep {
  start: number;
  /** Basis points. */
  traffic: number;
}

/**
 * The phase a guarded rollout logs its exposures under: the 1-based number of the step in force at
 * `at`, from steps in ascending start order. Each step is a phase of its own, so a unit that a larger
 * percentage moves from the default to the rollout is logged again on its new side, and the guard
 * compares the units of one percentage. 0 when there is nothing to compare: before the first step,
 * or at 0% or 100%, where one side is empty (a rollout a guard rolled back is at 0%).
 */
export function rolloutPhase(steps: readonly TimedStep[], at: number): number {
  let i = steps.length;
  while (i > 0 && steps[i - 1]!.start > at) i--;
  const traffic = i > 0 ? steps[i - 1]!.traffic : 0;
  return traffic > 0 && traffic < 10000 ? i : 0;
}

/** A ruleset rollout's steps with their starts read once (an unreadable or absent `at`, a gated step not taken yet, never starts). */
export function timedSteps(steps: readonly { at?: string; traffic: number }[]): TimedStep[] {
  return steps.map((s) => ({ start: instant(s.at, Infinity), traffic: s.traffic }));
}
