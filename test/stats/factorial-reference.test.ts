import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { analyzeFactorial, factorialContrasts, type Factors } from "../../src/stats/factorial.js";
import type { MetricJson } from "../../src/stats/analysis-types.js";
import { factorial } from "../../src/workspace/build/experiment.js";

// Values from test/stats/factorial-reference.py (statsmodels OLS on the saturated cell-means model,
// cov_type="HC2", each term a t_test contrast built from marginal means).
interface Design {
  factors: Record<string, string[]>;
  cells: Record<string, { n: number; mean: number; variance: number }>;
  terms: { term: string; contrast: string; estimate: number; se: number; p_value: number; ci: [number, number] }[];
}
const ref = JSON.parse(readFileSync("test/stats/factorial-reference.json", "utf8")) as { designs: Record<string, Design> };

const metricOf = (d: Design, tier: MetricJson["tier"] = "primary"): MetricJson => ({
  metric: "m",
  tier,
  kind: "mean",
  direction: "increase",
  variants: d.cells,
  comparisons: [],
});
const close = (a: number | null, b: number, rel: number, what: string) =>
  assert.ok(a !== null && Math.abs(a - b) <= rel * Math.max(Math.abs(b), 1e-300), `${what}: ${a} vs ${b}`);

describe("factorial effects against statsmodels (HC2 contrasts of the cell-means regression)", () => {
  for (const [name, d] of Object.entries(ref.designs)) {
    test(`${name}: every main effect and two-way interaction, estimate and SE to 1e-9, p and CI to 1e-7`, () => {
      const factors: Factors = Object.entries(d.factors);
      // The cells are the variants the workspace generates for these factors, in its order.
      assert.deepEqual(factorial(d.factors), Object.keys(d.cells));
      const r = analyzeFactorial(factors, [metricOf(d)], 0.05, "none");
      const terms = r.metrics[0]!.terms;
      assert.deepEqual(
        terms.map((t) => [t.term, t.contrast]),
        d.terms.map((t) => [t.term, t.contrast]),
      );
      terms.forEach((t, i) => {
        const e = d.terms[i]!;
        close(t.estimate, e.estimate, 1e-9, `${e.contrast} estimate`);
        close(t.se, e.se, 1e-9, `${e.contrast} se`);
        close(t.p_value, e.p_value, 1e-7, `${e.contrast} p`);
        close(t.ci[0], e.ci[0], 1e-7, `${e.contrast} lower`);
        close(t.ci[1], e.ci[1], 1e-7, `${e.contrast} upper`);
      });
    });
  }

  test("the planted effects are found: the 2 × 3 interaction at large, the copy main effect", () => {
    const [c, v] = [ref.designs.continuous_2x3!, ref.designs.conversion_2x2x2!];
    const cont = analyzeFactorial(Object.entries(c.factors), [metricOf(c)], 0.05, "none").metrics[0]!.terms;
    assert.equal(cont.find((t) => t.contrast === "(blue vs green) × (large vs small)")!.significant, true);
    assert.equal(cont.find((t) => t.contrast === "(blue vs green) × (medium vs small)")!.significant, false);
    const conv = analyzeFactorial(Object.entries(v.factors), [metricOf(v)], 0.05, "none").metrics[0]!.terms;
    assert.equal(conv.find((t) => t.contrast === "short vs long")!.significant, true);
  });

  test("the experiment's correction applies over a metric's terms; guardrails stay uncorrected", () => {
    const d = ref.designs.conversion_2x2x2!;
    const factors = Object.entries(d.factors);
    const raw = analyzeFactorial(factors, [metricOf(d)], 0.05, "none").metrics[0]!.terms;
    const holm = analyzeFactorial(factors, [metricOf(d)], 0.05, "bonferroni").metrics[0]!.terms;
    holm.forEach((t, i) => close(t.p_value_adjusted, Math.min(1, raw[i]!.p_value! * raw.length), 1e-12, t.contrast));
    const guard = analyzeFactorial(factors, [metricOf(d, "guardrail")], 0.05, "bonferroni").metrics[0]!.terms;
    guard.forEach((t, i) => assert.equal(t.p_value_adjusted, raw[i]!.p_value));
  });

  test("a cell without a variance skips the metric and says which cell", () => {
    const d = ref.designs.continuous_2x3!;
    const thin = { ...d, cells: { ...d.cells, blue_medium: { n: 1, mean: 3, variance: NaN } } };
    const r = analyzeFactorial(Object.entries(d.factors), [metricOf(thin)], 0.05, "none").metrics[0]!;
    assert.deepEqual(r.terms, []);
    assert.match(r.skipped!, /cell "blue_medium" has no estimate with a variance yet/);
  });

  test("contrast weights: each main effect and interaction sums to zero and is balanced over strata", () => {
    const factors: Factors = [
      ["a", ["a0", "a1", "a2"]],
      ["b", ["b0", "b1"]],
      ["c", ["c0", "c1"]],
    ];
    const all = factorialContrasts(factors);
    assert.equal(all.filter((c) => c.kind === "main").length, 2 + 1 + 1);
    assert.equal(all.filter((c) => c.kind === "interaction").length, 2 * 1 + 2 * 1 + 1 * 1);
    for (const c of all) {
      const ws = [...c.weights.values()];
      assert.ok(Math.abs(ws.reduce((x, y) => x + y, 0)) < 1e-12, c.contrast);
      assert.ok(Math.abs(ws.filter((w) => w > 0).reduce((x, y) => x + y, 0) - (c.kind === "main" ? 1 : 2)) < 1e-12, c.contrast);
    }
  });
});
