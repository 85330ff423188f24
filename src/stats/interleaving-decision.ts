import type { DecisionDesign, DecisionJson } from "./analysis-types.js";
import { horizonGate, minimumsGate } from "./decision-gates.js";
import { pEquals } from "./decision.js";
import type { InterleavingJson } from "./interleaving.js";

function percent(x: number | null): string {
  return x === null ? "n/a" : `${(x * 100).toFixed(1)}%`;
}

/**
 * The decision of an interleaving experiment, from its preference alone (docs/analysis.md#interleaving):
 * every enrolled unit sees both rankers, so each ranker counts every unit toward the minimum sample, and
 * the metrics' per-variant comparisons of an A/B test do not apply. The sign test is a fixed-horizon
 * test whatever the experiment's method, so the horizon gate always applies. At the horizon, a
 * significant preference for ranker B ships it; one for ranker A, or none, stops the experiment and
 * keeps ranker A (the first, the one serving today).
 */
export function interleavingDecision(
  j: InterleavingJson | undefined,
  rankers: readonly [string, string],
  design: DecisionDesign,
): DecisionJson {
  const units = j ? j.wins_a + j.wins_b + j.ties + j.no_clicks : 0;
  const [a, b] = rankers;
  const minimums = minimumsGate(
    design,
    { [a]: units, [b]: units },
    new Map([
      [a, 1],
      [b, 1],
    ]),
  );
  const horizon = horizonGate("fixed", design, units);
  // The horizon's advice to switch to a sequential method does not apply: the sign test has no sequential form here.
  const gates = [
    ...minimums.reasons,
    ...horizon.reasons.map((r) => r.replace(/; use method: sequential to decide early/, " (the sign test is a fixed-horizon test)")),
  ];
  const decided = (recommendation: DecisionJson["recommendation"], reasons: string[]): DecisionJson => ({
    recommendation,
    reasons,
    horizon: horizon.json,
    minimums: minimums.json,
  });
  if (!j)
    return decided("keep_running", ["No click is credited to either ranker yet: the interleaving preference cannot be tested.", ...gates]);
  const preferring = j.wins_a + j.wins_b;
  const evidence = `${j.wins_b.toLocaleString("en-US")} of ${preferring.toLocaleString("en-US")} units with a preference prefer "${b}" (${percent(preferring ? j.wins_b / preferring : null)}), ${pEquals(j.p_value)} (sign test; ${j.ties.toLocaleString("en-US")} ties left out)`;
  if (gates.length) return decided("keep_running", [`So far ${evidence}.`, ...gates]);
  if (j.winner === b) return decided("ship", [`Units prefer ranker "${b}": ${evidence}.`]);
  if (j.winner === a) return decided("stop", [`Units prefer ranker "${a}", the one serving today: ${evidence}; keep it.`]);
  return decided("stop", [`No significant preference at the horizon: ${evidence}; keep ranker "${a}".`]);
}
