import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { analyzeStats } from "../../src/stats/experiment.js";
import { adjustPValues } from "../../src/stats/correction.js";
import type { AnalysisInput, MetricDesign } from "../../src/stats/analysis-types.js";
import type { MeanStats, SufficientStats } from "../../src/stats/types.js";

/** Sufficient statistics of n units with the given mean and standard deviation. */
function mean(n: number, m: number, sd: number): MeanStats {
  return { kind: "mean", n, sum: n * m, sumSq: (n - 1) * sd * sd + n * m * m };
}

/** Conversions: s successes among n units (per-unit 0/1 values). */
function conv(n: number, s: number): MeanStats {
  return { kind: "mean", n, sum: s, sumSq: s };
}

/**
 * A design whose gates are open (the schedule ended, a month of data, the minimums met), so that these
 * tests exercise the evidence rules; the gates have their own tests in decision.test.ts.
 */
export const OPEN: NonNullable<AnalysisInput["decision"]> = {
  minDurationDays: 7,
  minUnitsPerVariant: 1000,
  ship: "any_primary",
  guardrails: "must_pass",
  asOf: "2027-01-01T00:00:00Z",
  start: "2026-12-01T00:00:00Z",
  end: "2026-12-29T00:00:00Z",
};

function input(
  metrics: MetricDesign[],
  stats: Record<string, Record<string, SufficientStats>>,
  over: Partial<AnalysisInput> = {},
): AnalysisInput {
  const variants = over.variants ?? [
    { key: "control", weight: 50 },
    { key: "treatment", weight: 50 },
  ];
  const units: Record<string, number> = {};
  for (const v of variants) units[v.key] = 10000;
  return {
    experiment: "checkout_redesign",
    phase: 1,
    method: "fixed",
    alpha: 0.05,
    correction: "bh",
    srmThreshold: 0.001,
    control: "control",
    variants,
    metrics,
    units,
    multipleExposures: 3,
    stats,
    decision: OPEN,
    ...over,
  };
}

const primary: MetricDesign = { metric: "purchase_conversion", tier: "primary", kind: "conversion" };
const latency: MetricDesign = { metric: "page_load", tier: "guardrail", kind: "mean", direction: "decrease", maxRegression: 0.02 };

describe("analyzeStats decision", () => {
  test("a significant primary win with a passing guardrail ships", () => {
    const r = analyzeStats(
      input([primary, latency], {
        purchase_conversion: { control: conv(10000, 500), treatment: conv(10000, 620) },
        page_load: { control: mean(10000, 300, 50), treatment: mean(10000, 299, 50) },
      }),
    );
    assert.equal(r.decision.recommendation, "ship");
    assert.match(r.decision.reasons[0]!, /"purchase_conversion" improved significantly for "treatment"/);
    assert.equal(r.guardrails[0]!.passed, true);
    assert.equal(r.guardrails[0]!.variants[0]!.status, "passed");
    assert.equal(r.metrics[0]!.comparisons[0]!.significant, true);
  });

  test("a guardrail regressing beyond its margin rolls back, even with a primary win", () => {
    const r = analyzeStats(
      input([primary, latency], {
        purchase_conversion: { control: conv(10000, 500), treatment: conv(10000, 620) },
        page_load: { control: mean(10000, 300, 50), treatment: mean(10000, 330, 50) },
      }),
    );
    assert.equal(r.decision.recommendation, "rollback");
    assert.equal(r.guardrails[0]!.breached, true);
    assert.match(r.decision.reasons[0]!, /Guardrail "page_load" regressed beyond its margin of 2.00% for "treatment"/);
  });

  test("a sample ratio mismatch means investigate, before anything else", () => {
    const r = analyzeStats(
      input(
        [primary],
        { purchase_conversion: { control: conv(10000, 500), treatment: conv(9000, 600) } },
        {
          units: { control: 10000, treatment: 9000 },
        },
      ),
    );
    assert.equal(r.srm.ok, false);
    assert.equal(r.decision.recommendation, "investigate");
    assert.match(r.decision.reasons[0]!, /Sample ratio mismatch/);
  });

  test("a primary significantly worse stops", () => {
    const r = analyzeStats(input([primary], { purchase_conversion: { control: conv(10000, 600), treatment: conv(10000, 480) } }));
    assert.equal(r.decision.recommendation, "stop");
  });

  test("for a decrease metric a drop is the good direction", () => {
    const m: MetricDesign = { metric: "time_to_checkout", tier: "primary", kind: "mean", direction: "decrease" };
    const r = analyzeStats(input([m], { time_to_checkout: { control: mean(5000, 60, 20), treatment: mean(5000, 57, 20) } }));
    assert.equal(r.decision.recommendation, "ship");
  });

  test("nothing significant keeps running", () => {
    const r = analyzeStats(input([primary], { purchase_conversion: { control: conv(10000, 500), treatment: conv(10000, 505) } }));
    assert.equal(r.decision.recommendation, "keep_running");
    assert.equal(r.metrics[0]!.comparisons[0]!.significant, false);
  });

  test("an inconclusive guardrail keeps the experiment running; decision.guardrails: no_breach ships and names it", () => {
    const g: MetricDesign = { ...latency, maxRegression: 0.001 };
    const stats = {
      purchase_conversion: { control: conv(10000, 500), treatment: conv(10000, 620) },
      page_load: { control: mean(10000, 300, 50), treatment: mean(10000, 300, 50) },
    };
    const r = analyzeStats(input([primary, g], stats));
    assert.equal(r.guardrails[0]!.variants[0]!.status, "inconclusive");
    // Today's main said "ship" here: a guardrail not yet shown to be within its margin must not ship.
    assert.equal(r.decision.recommendation, "keep_running");
    assert.match(r.decision.reasons[0]!, /"purchase_conversion" improved significantly for "treatment"/);
    assert.match(
      r.decision.reasons[1]!,
      /Shipping "treatment" waits for its guardrails: guardrail "page_load" is inconclusive for "treatment"/,
    );
    const relaxed = analyzeStats(input([primary, g], stats, { decision: { ...OPEN, guardrails: "no_breach" } }));
    assert.equal(relaxed.decision.recommendation, "ship");
    assert.ok(relaxed.decision.reasons.some((s) => /guardrail "page_load" is inconclusive/.test(s)));
  });
});

describe("analyzeStats multiple testing", () => {
  test("the family is primary then secondary metrics, each by variant; guardrails stay uncorrected", () => {
    const variants = [
      { key: "control", weight: 1 },
      { key: "a", weight: 1 },
      { key: "b", weight: 1 },
    ];
    const metrics: MetricDesign[] = [
      { metric: "sec", tier: "secondary", kind: "mean" },
      { metric: "g", tier: "guardrail", kind: "mean" },
      { metric: "p1", tier: "primary", kind: "mean" },
      { metric: "p2", tier: "primary", kind: "mean" },
    ];
    const stats: Record<string, Record<string, SufficientStats>> = {};
    [
      ["sec", 0.3],
      ["g", 0.5],
      ["p1", 0.8],
      ["p2", 1.3],
    ].forEach(([k, shift], i) => {
      stats[k as string] = {
        control: mean(1000, 10, 5),
        a: mean(1000, 10 + (shift as number) * 0.5, 5),
        b: mean(1000, 10 - (shift as number) * 0.2 + i * 0.01, 5),
      };
    });
    for (const correction of ["bh", "holm", "bonferroni"] as const) {
      const r = analyzeStats(input(metrics, stats, { variants, correction, units: { control: 1000, a: 1000, b: 1000 } }));
      assert.deepEqual(
        r.metrics.map((m) => m.metric),
        ["p1", "p2", "sec", "g"],
      );
      const family = r.metrics.slice(0, 3).flatMap((m) => m.comparisons);
      assert.deepEqual(
        family.map((c) => c.variant),
        ["a", "b", "a", "b", "a", "b"],
      );
      const expected = adjustPValues(
        family.map((c) => c.p_value as number),
        correction,
      );
      family.forEach((c, i) => assert.equal(c.p_value_adjusted, expected[i]));
      for (const c of r.metrics[3]!.comparisons) assert.equal(c.p_value_adjusted, c.p_value);
    }
  });
});

describe("analyzeStats data problems become codes, not throws", () => {
  test("a missing arm and a zero-variance metric", () => {
    const m2: MetricDesign = { metric: "flat", tier: "secondary", kind: "count" };
    const r = analyzeStats(
      input([primary, m2], {
        purchase_conversion: { control: conv(10000, 500) },
        flat: { control: mean(100, 1, 0), treatment: mean(100, 1, 0) },
      }),
    );
    assert.equal(r.metrics[0]!.comparisons[0]!.code, "EMPTY_ARM");
    assert.equal(r.metrics[0]!.comparisons[0]!.p_value, null);
    assert.equal(r.metrics[1]!.comparisons[0]!.code, "ZERO_VARIANCE");
    assert.equal(r.decision.recommendation, "keep_running");
    assert.match(r.decision.reasons[0]!, /could not be computed for "treatment" \(EMPTY_ARM\)/);
    assert.doesNotMatch(JSON.stringify(r), /NaN/);
  });

  test("ratio metrics report CUPED as not applied; quantiles use the order-statistic SE", () => {
    const ratio: MetricDesign = { metric: "ctr", tier: "primary", kind: "ratio" };
    const p95: MetricDesign = { metric: "p95", tier: "secondary", kind: "quantile" };
    const r = analyzeStats(
      input([ratio, p95], {
        ctr: {
          control: { kind: "ratio", n: 1000, sumNum: 100, sumDen: 1000, sumNum2: 120, sumDen2: 1500, sumNumDen: 130 },
          treatment: { kind: "ratio", n: 1000, sumNum: 120, sumDen: 1000, sumNum2: 150, sumDen2: 1500, sumNumDen: 160 },
        },
        p95: {
          control: { kind: "quantile", n: 4000, quantile: 0.95, value: 800, lower: 780, upper: 820 },
          treatment: { kind: "quantile", n: 4000, quantile: 0.95, value: 760, lower: 740, upper: 781 },
        },
      }),
    );
    assert.deepEqual(r.metrics[0]!.comparisons[0]!.cuped, { applied: false });
    assert.equal(r.metrics[0]!.variants.control!.mean, 0.1);
    assert.equal(r.metrics[1]!.comparisons[0]!.cuped, undefined);
    const se = Math.sqrt((40 / 3.919928) ** 2 + (41 / 3.919928) ** 2);
    const q = r.metrics[1]!.comparisons[0]!;
    assert.ok(Math.abs((q.diff_ci[1]! - q.diff_ci[0]!) / 2 - 1.959963984540054 * se) < 1e-9);
  });
});

describe("analyzeStats options", () => {
  test("test: z uses the pooled two-proportion z-test (statsmodels proportions_ztest)", () => {
    const ref = JSON.parse(readFileSync("test/stats/scipy-reference.json", "utf8")).ztest[0];
    const m: MetricDesign = { ...primary, test: "z" };
    const r = analyzeStats(input([m], { purchase_conversion: { control: conv(ref.nc, ref.sc), treatment: conv(ref.nt, ref.st) } }));
    const c = r.metrics[0]!.comparisons[0]!;
    assert.ok(Math.abs(c.p_value! - ref.p_value) <= 1e-10 * ref.p_value);
    const welch = analyzeStats(
      input([primary], { purchase_conversion: { control: conv(ref.nc, ref.sc), treatment: conv(ref.nt, ref.st) } }),
    );
    assert.notEqual(welch.metrics[0]!.comparisons[0]!.p_value, c.p_value);
  });

  test("a control without conversions still gets an absolute comparison", () => {
    const r = analyzeStats(input([primary], { purchase_conversion: { control: conv(1000, 0), treatment: conv(1000, 12) } }));
    const c = r.metrics[0]!.comparisons[0]!;
    assert.equal(c.code, "ZERO_CONTROL_MEAN");
    assert.ok(c.p_value! > 0 && c.p_value! < 0.01);
    assert.equal(c.rel_lift, null);
    assert.equal(c.significant, true);
    assert.equal(r.decision.recommendation, "ship");
  });
});

describe("analyzeStats methods", () => {
  const stats = { purchase_conversion: { control: conv(10000, 500), treatment: conv(10000, 580) } };

  test("sequential intervals are wider than fixed-horizon ones and the p-value larger", () => {
    const fixed = analyzeStats(input([primary], stats)).metrics[0]!.comparisons[0]!;
    const seq = analyzeStats(input([primary], stats, { method: "sequential" })).metrics[0]!.comparisons[0]!;
    assert.equal(seq.diff, fixed.diff);
    assert.ok(seq.diff_ci[0]! < fixed.diff_ci[0]! && seq.diff_ci[1]! > fixed.diff_ci[1]!);
    assert.ok(seq.p_value! > fixed.p_value!);
  });

  test("Bayesian conversions report chance to win and expected loss, no p-values", () => {
    const r = analyzeStats(input([primary], stats, { method: "bayesian" }));
    const c = r.metrics[0]!.comparisons[0]!;
    assert.equal(c.p_value, null);
    assert.ok(c.chance_to_win! > 0.99 && c.chance_to_win! < 1);
    assert.ok(c.expected_loss! >= 0 && c.expected_loss! < 1e-4);
    assert.equal(c.significant, true);
  });

  test("Bayesian guardrails without a margin catch a credible regression", () => {
    const g: MetricDesign = { metric: "errors_free", tier: "guardrail", kind: "conversion" };
    const r = analyzeStats(
      input([primary, g], { ...stats, errors_free: { control: conv(10000, 9900), treatment: conv(10000, 9800) } }, { method: "bayesian" }),
    );
    assert.equal(r.guardrails[0]!.variants[0]!.status, "breached");
    assert.equal(r.decision.recommendation, "rollback");
  });

  test("group_sequential without a look plan falls back to fixed horizon with a note", () => {
    const r = analyzeStats(input([primary], stats, { method: "group_sequential" }));
    assert.equal(r.method, "fixed");
    assert.match(r.notes![0]!, /Group-sequential/);
  });

  test("group_sequential uses the look's boundary for intervals and significance", () => {
    const early = analyzeStats(input([primary], stats, { method: "group_sequential", groupSequential: { looks: 5, look: 1 } }));
    const final = analyzeStats(input([primary], stats, { method: "group_sequential", groupSequential: { looks: 5, look: 5 } }));
    const fixed = analyzeStats(input([primary], stats)).metrics[0]!.comparisons[0]!;
    assert.equal(early.method, "group_sequential");
    assert.ok(Math.abs(early.group_sequential!.boundary - 4.8769) < 1e-4);
    const e = early.metrics[0]!.comparisons[0]!;
    const f = final.metrics[0]!.comparisons[0]!;
    // p ≈ 0.0027 here: not enough at the first look (nominal α ≈ 1e-6), enough at the last.
    assert.equal(e.p_value, fixed.p_value);
    assert.equal(e.significant, false);
    assert.equal(f.significant, true);
    assert.ok(e.diff_ci[1]! - e.diff_ci[0]! > f.diff_ci[1]! - f.diff_ci[0]!);
    assert.equal(early.decision.recommendation, "keep_running");
    assert.equal(final.decision.recommendation, "ship");
  });
});
