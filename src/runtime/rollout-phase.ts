/**
 * The phase a guarded rollout logs its exposures under: the 1-based number of the step in force at
 * `at` (0 before the first), from the steps' start times in ms, ascending. Each step is a phase of
 * its own, so a unit that a larger percentage moves from the default to the rollout is logged again
 * on its new side, and the guard compares the units of one percentage.
 */
export function rolloutPhase(starts: readonly number[], at: number): number {
  let i = starts.length;
  while (i > 0 && starts[i - 1]! > at) i--;
  return i;
}
