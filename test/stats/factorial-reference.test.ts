import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { analyzeFactorial, factorialContrasts, type Factors } from "../../src/stats/factorial.js";
import { confidenceSequence } from "../../src/stats/sequential.js";
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
      const r = analyzeFactorial(factors, [metricOf(d)], { alpha: 0.05, correction: "none" });
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
    const cont = analyzeFactorial(Object.entries(c.factors), [metricOf(c)], { alpha: 0.05, correction: "none" }).metrics[0]!.terms;
    assert.equal(cont.find((t) => t.contrast === "(blue vs green) × (large vs small)")!.significant, true);
    assert.equal(cont.find((t) => t.contrast === "(blue vs green) × (medium vs small)")!.significant, false);
    const conv = analyzeFactorial(Object.entries(v.factors), [metricOf(v)], { alpha: 0.05, correction: "none" }).metrics[0]!.terms;
    assert.equal(conv.find((t) => t.contrast === "short vs long")!.significant, true);
  });

  test("the experiment's correction applies over a metric's terms; guardrails stay uncorrected", () => {
    const d = ref.designs.conversion_2x2x2!;
    const factors = Object.entries(d.factors);
    const raw = analyzeFactorial(factors, [metricOf(d)], { alpha: 0.05, correction: "none" }).metrics[0]!.terms;
    const holm = analyzeFactorial(factors, [metricOf(d)], { alpha: 0.05, correction: "bonferroni" }).metrics[0]!.terms;
    holm.forEach((t, i) => close(t.p_value_adjusted, Math.min(1, raw[i]!.p_value! * raw.length), 1e-12, t.contrast));
    const guard = analyzeFactorial(factors, [metricOf(d, "guardrail")], { alpha: 0.05, correction: "bonferroni" }).metrics[0]!.terms;
    guard.forEach((t, i) => assert.equal(t.p_value_adjusted, raw[i]!.p_value));
  });

  test("a cell without a variance skips the metric and says which cell", () => {
    const d = ref.designs.continuous_2x3!;
    const thin = { ...d, cells: { ...d.cells, blue_medium: { n: 1, mean: 3, variance: NaN } } };
    const r = analyzeFactorial(Object.entries(d.factors), [metricOf(thin)], { alpha: 0.05, correction: "none" }).metrics[0]!;
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

describe("factorial inference follows the experiment's method", () => {
  const d = ref.designs.continuous_2x3!;
  const factors = Object.entries(d.factors);
  const units = Object.values(d.cells).reduce((a, c) => a + c.n, 0);

  test("sequential: each term's interval is the always-valid confidence sequence over the units its contrast uses", () => {
    const fixed = analyzeFactorial(factors, [metricOf(d)], { alpha: 0.05, correction: "none" });
    const seq = analyzeFactorial(factors, [metricOf(d)], { alpha: 0.05, correction: "none", method: "sequential", tuningN: 5000 });
    assert.equal(fixed.inference, "fixed");
    assert.equal(seq.inference, "sequential");
    seq.metrics[0]!.terms.forEach((t, i) => {
      const f = fixed.metrics[0]!.terms[i]!;
      const used = [
        ...factorialContrasts(factors)
          .find((c) => c.contrast === t.contrast)!
          .weights.keys(),
      ];
      const n = used.reduce((a, k) => a + d.cells[k]!.n, 0);
      assert.ok(n <= units && (t.contrast !== "blue vs green" || n === units), t.contrast);
      const cs = confidenceSequence(f.estimate!, f.se!, n, 0.05, 5000);
      assert.deepEqual([t.ci[0], t.ci[1], t.p_value], [cs.ci[0], cs.ci[1], cs.pValue], t.contrast);
      assert.ok(t.ci[1]! - t.ci[0]! > f.ci[1]! - f.ci[0]!, `${t.contrast}: the sequence is wider than the fixed interval`);
    });
  });

  test("group_sequential: the look's boundary sets the interval and its nominal level the verdict", () => {
    const gs = analyzeFactorial(factors, [metricOf(d)], {
      alpha: 0.05,
      correction: "none",
      method: "group_sequential",
      boundary: 2.8,
      nominalAlpha: 0.0051,
    });
    assert.equal(gs.inference, "group_sequential");
    for (const t of gs.metrics[0]!.terms) {
      close(t.ci[1]! - t.estimate!, 2.8 * t.se!, 1e-12, t.contrast);
      assert.equal(t.significant, t.p_value! < 0.0051, t.contrast);
    }
    const interaction = gs.metrics[0]!.terms.find((t) => t.contrast === "(blue vs green) × (large vs small)")!;
    assert.ok(interaction.p_value! < 0.05 && !interaction.significant, "significant at 5% but not at this look's level");
  });
});
