import type { AnalysisResult, ComparisonJson, DecisionDesign, DecisionJson, GuardrailJson, MetricJson, Num } from "./analysis-types.js";
import { designOrDefault, horizonGate, minimumsGate } from "./decision-gates.js";
import type { Method } from "./types.js";
import { fairnessBreaches, fairnessOpen, type FairnessJson } from "./fairness.js";

function pct(x: Num): string {
  if (x === null) return "n/a";
  const v = x * 100;
  return `${v >= 0 ? "+" : ""}${v.toFixed(2)}%`;
}

/** "p = 0.0043", or "p < 0.0001" for the tiny ones (never "p = 0.0000"). */
export function pEquals(x: Num, name = "p"): string {
  if (x === null) return `${name} n/a`;
  return x < 0.0001 ? `${name} < 0.0001` : `${name} = ${x.toFixed(4)}`;
}

function evidence(c: ComparisonJson): string {
  const parts = [`relative change ${pct(c.rel_lift)}`];
  if (c.p_value_adjusted !== null) parts.push(pEquals(c.p_value_adjusted, "adjusted p"));
  else if (c.chance_to_win !== undefined && c.chance_to_win !== null) parts.push(`chance to win ${(c.chance_to_win * 100).toFixed(1)}%`);
  return parts.join(", ");
}

export interface DecisionInput {
  readonly method: Method;
  readonly srm: AnalysisResult["srm"];
  readonly metrics: readonly MetricJson[];
  readonly guardrails: readonly GuardrailJson[];
  readonly units: Readonly<Record<string, number>>;
  /** Declared weight per variant (zero-weight arms are left out of the minimum sample). */
  readonly weights: ReadonlyMap<string, number>;
  readonly control: string;
  readonly design?: DecisionDesign;
  /** A fairness guardrail, weighed like any guardrail. */
  readonly fairness?: FairnessJson;
}

/** Per treatment: its significant primary wins and losses (as sentences) and whether it wins under the ship rule. */
function primaryOutcomes(input: DecisionInput, rule: DecisionDesign["ship"]) {
  const primaries = input.metrics.filter((m) => m.tier === "primary");
  const out = new Map<string, { wins: string[]; losses: string[]; flat: string[]; winner: boolean }>();
  for (const variant of input.weights.keys()) {
    if (variant === input.control) continue;
    const wins: string[] = [];
    const losses: string[] = [];
    const flat: string[] = [];
    for (const m of primaries) {
      const c = m.comparisons.find((x) => x.variant === variant);
      if (!c) continue;
      if (!c.significant || c.diff === null) {
        flat.push(m.metric);
        continue;
      }
      const good = m.direction === "increase" ? c.diff > 0 : c.diff < 0;
      const sentence = `Primary metric "${m.metric}" ${good ? "improved" : "got worse"} significantly for "${variant}" (${evidence(c)}).`;
      (good ? wins : losses).push(sentence);
    }
    const winner =
      rule === "all_primaries" ? wins.length > 0 && losses.length === 0 && flat.length === 0 : wins.length > 0 && losses.length === 0;
    out.set(variant, { wins, losses, flat, winner });
  }
  return out;
}

/** Guardrails that have not passed for a treatment, as sentences. */
function unpassedGuardrails(guardrails: readonly GuardrailJson[], variant: string): string[] {
  const out: string[] = [];
  for (const g of guardrails) {
    const v = g.variants.find((x) => x.variant === variant);
    if (!v || v.status === "passed" || v.status === "breached") continue;
    const margin = g.max_regression === null ? "" : `, margin ${(g.max_regression * 100).toFixed(2)}%`;
    out.push(
      v.status === "inconclusive"
        ? `guardrail "${g.metric}" is inconclusive for "${variant}" (relative change ${pct(v.rel_lift)}${margin}): not yet shown to be within its margin`
        : `guardrail "${g.metric}" could not be evaluated for "${variant}"`,
    );
  }
  return out;
}

/**
 * The recommendation (docs/analysis.md#decision), first rule that fires:
 * 1. investigate — the sample ratio mismatch check failed: the split itself is broken.
 * 2. rollback — a guardrail is breached for some treatment (harm may stop an experiment at any time),
 *    or the fairness guardrail is (a group harmed, or treated unlike the others beyond the margin).
 * 3. keep_running — the minimum duration or units per variant are not reached, or a fixed-horizon test
 *    has not reached its horizon (planned sample, else end date): results before it are not evidence.
 * 4. ship — a treatment wins under `decision.ship` (some primary metric significantly better and none
 *    worse, or every primary better) and, under `decision.guardrails: must_pass`, every guardrail passed
 *    for it; a winner with a guardrail still inconclusive keeps the experiment running.
 * 5. stop — no treatment wins and some primary metric is significantly worse.
 * 6. keep_running — otherwise.
 * "Significant" is the metric's `significant` flag (adjusted p < α at this look; Bayesian: a chance to
 * win beyond 1 − α/2 either way). A pure function of the results and the design.
 */
export function decide(input: DecisionInput): DecisionJson {
  const design = designOrDefault(input.design);
  const totalUnits = Object.values(input.units).reduce((a, b) => a + b, 0);
  const minimums = minimumsGate(design, input.units, input.weights);
  const horizon = horizonGate(input.method, design, totalUnits);
  const result = (recommendation: DecisionJson["recommendation"], reasons: string[]): DecisionJson => ({
    recommendation,
    reasons,
    horizon: horizon.json,
    minimums: minimums.json,
  });

  const { srm } = input;
  if (!srm.ok) {
    return result("investigate", [
      `Sample ratio mismatch: the unit split has ${pEquals(srm.p_value)}, below the threshold ${srm.threshold}; check assignment and exposure logging before reading any metric.`,
    ]);
  }
  const breached: string[] = [];
  for (const g of input.guardrails) {
    for (const v of g.variants) {
      const margin = g.max_regression === null ? "" : ` beyond its margin of ${(g.max_regression * 100).toFixed(2)}%`;
      if (v.status === "breached")
        breached.push(`Guardrail "${g.metric}" regressed${margin} for "${v.variant}" (relative change ${pct(v.rel_lift)}).`);
    }
  }
  breached.push(...fairnessBreaches(input.fairness));
  if (breached.length) return result("rollback", breached);
  const gates = [...minimums.reasons, ...horizon.reasons];
  if (gates.length) return result("keep_running", gates);

  const outcomes = primaryOutcomes(input, design.ship);
  const shipping: string[] = [];
  const blocked: string[] = [];
  const partial: string[] = [];
  const notes: string[] = [];
  for (const [variant, o] of outcomes) {
    if (!o.winner) {
      if (design.ship === "all_primaries" && o.wins.length > 0 && o.losses.length === 0)
        partial.push(
          `"${variant}" improved on ${o.wins.length} primary metric(s) but not yet on ${o.flat.map((m) => `"${m}"`).join(", ")}; decision.ship: all_primaries needs every primary metric to improve.`,
        );
      continue;
    }
    const open = [...unpassedGuardrails(input.guardrails, variant), ...fairnessOpen(input.fairness, variant)];
    if (open.length && design.guardrails === "must_pass") {
      blocked.push(
        ...o.wins,
        `Shipping "${variant}" waits for its guardrails: ${open.join("; ")}; keep running until every guardrail passes.`,
      );
    } else {
      shipping.push(...o.wins);
      notes.push(...open.map((s) => `Note: ${s} (decision.guardrails: no_breach does not wait for it).`));
    }
  }
  if (shipping.length) return result("ship", [...shipping, ...notes]);
  if (blocked.length) return result("keep_running", blocked);
  const losses = [...outcomes.values()].flatMap((o) => (o.winner ? [] : o.losses));
  if (losses.length) return result("stop", losses);
  const failed = input.metrics
    .filter((m) => m.tier === "primary")
    .flatMap((m) =>
      m.comparisons
        .filter((c) => c.code !== "OK" && c.code !== "ZERO_CONTROL_MEAN")
        .map((c) => `Primary metric "${m.metric}" could not be computed for "${c.variant}" (${c.code}).`),
    );
  return result("keep_running", [
    ...failed,
    ...partial,
    ...(partial.length ? [] : ["No primary metric shows a significant difference yet; keep collecting data."]),
  ]);
}
