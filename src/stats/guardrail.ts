import { nonInferiority } from "./noninferiority.js";
import { num, type GuardrailJson, type GuardrailVariantJson, type MetricDesign } from "./analysis-types.js";
import type { MetricComparison } from "./metric-analysis.js";

/**
 * Guardrail verdicts per treatment, uncorrected (docs/analysis.md item 7).
 * With `max_regression` m: one-sided non-inferiority at α on the relative lift —
 *   passed      the (1 − α) bound on the harmful side is within m;
 *   breached    the (1 − α) bound on the good side is already past m (a regression beyond the margin);
 *   inconclusive otherwise.
 * Without a margin the guardrail only catches harm: breached when the change is significantly in
 * the bad direction (two-sided test at α; Bayesian: chance to win below α/2), passed otherwise.
 * Under the Bayesian method the margin test runs on the posterior mean and the frequentist SE.
 */
export function evaluateGuardrail(design: MetricDesign, comparisons: readonly MetricComparison[], alpha: number): GuardrailJson {
  const direction = design.direction ?? "increase";
  const variants: GuardrailVariantJson[] = comparisons.map(({ variant, comparison: c, bayes }) => {
    if (c.code !== "OK") return { variant, status: "failed", rel_lift: num(c.relLift), bound: null, p_value: null };
    if (design.maxRegression === undefined && bayes) {
      // Bayesian: credibly worse when the chance of beating control is below α/2.
      const breached = bayes.chanceToWin < alpha / 2;
      return { variant, status: breached ? "breached" : "passed", rel_lift: num(c.relLift), bound: null, p_value: null };
    }
    if (design.maxRegression === undefined) {
      const worse = direction === "increase" ? c.diff < 0 : c.diff > 0;
      const breached = worse && c.pValue < alpha;
      return { variant, status: breached ? "breached" : "passed", rel_lift: num(c.relLift), bound: null, p_value: num(c.pValue) };
    }
    const r = nonInferiority(c.relLift, c.relSe, design.maxRegression, direction, alpha);
    const status = r.breached ? "breached" : r.passed ? "passed" : "inconclusive";
    return { variant, status, rel_lift: num(c.relLift), bound: num(r.bound), p_value: num(r.pValue) };
  });
  return {
    metric: design.metric,
    passed: variants.length > 0 && variants.every((v) => v.status === "passed"),
    breached: variants.some((v) => v.status === "breached"),
    direction,
    max_regression: design.maxRegression ?? null,
    variants,
  };
}
