import type { ReportInput } from "../../src/report/model.js";

/** A representative analysis for report tests (numbers are illustrative, not checked for statistics). */
export function sampleReportInput(): ReportInput {
  // Per-arm units and a CI that narrows as 1/√n, as a real cumulative analysis does; the first
  // analysis has too few units to be drawn, the second an interval wide enough to be cut.
  const perArm = [60, 800, 2500, 6000, 10000, 14500, 20000];
  const lifts = [0.2, 0.11, 0.08, 0.07, 0.065, 0.062, 0.06];
  const daily = perArm.map((n, i) => {
    const half = 0.05 * Math.sqrt(20000 / n);
    const lift = lifts[i]!;
    return {
      asOf: `2026-12-0${i + 2}T00:00:00Z`,
      units: { control: n, one_page: n - 3 * i },
      lift: { one_page: { code: "OK" as const, rel_lift: lift, rel_ci: [lift - half, lift + half] as [number, number] } },
    };
  });
  return {
    date: "2026-12-09",
    asOf: "2026-12-09T00:00:00.000Z",
    connection: "local",
    experiment: {
      key: "checkout_redesign",
      name: "One-page checkout",
      owner: "team-checkout",
      hypothesis: "The one-page checkout raises purchase conversion by at least 3%.",
      schedule: { start: "2026-12-01T00:00:00Z", end: "2026-12-29T00:00:00Z" },
      control: "control",
      weights: { control: 50, one_page: 50 },
    },
    metrics: {
      purchase_conversion: { format: "percent", direction: "increase" },
      revenue_per_user: { format: "currency", direction: "increase" },
      checkout_errors: { format: "number", direction: "decrease" },
    },
    daily,
    analysis: {
      experiment: "checkout_redesign",
      phase: 1,
      phase_start: { at: "2026-12-01T00:00:00.000Z", basis: "phase_column" },
      method: "fixed",
      alpha: 0.05,
      correction: "bh",
      provenance: {
        sourceCommit: "0123456789abcdef0123",
        definitionsSha256: "aa".repeat(32),
        sqlSha256: "bb".repeat(32),
        engine: "exp 0.1.0",
        dataWindow: { start: "2026-12-01T00:00:00Z", end: "2026-12-09T00:00:00Z" },
      },
      units: { control: 20011, one_page: 19950 },
      multiple_exposures: 80,
      srm: { chi2: 0.09, p_value: 0.76, threshold: 0.001, ok: true },
      metrics: [
        {
          metric: "purchase_conversion",
          tier: "primary",
          kind: "conversion",
          direction: "increase",
          variants: { control: { n: 20011, mean: 0.051, variance: 0.0484 }, one_page: { n: 19950, mean: 0.054, variance: 0.051 } },
          comparisons: [
            {
              variant: "one_page",
              code: "OK",
              diff: 0.003,
              diff_ci: [0.001, 0.005],
              rel_lift: 0.06,
              rel_ci: [0.01, 0.11],
              p_value: 0.004,
              p_value_adjusted: 0.008,
              significant: true,
              cuped: { applied: true, theta: 0.4, variance_reduction: 0.43 },
            },
          ],
        },
        {
          metric: "revenue_per_user",
          tier: "secondary",
          kind: "sum",
          direction: "increase",
          variants: { control: { n: 20011, mean: 4.2, variance: 90 }, one_page: { n: 19950, mean: 4.3, variance: 92 } },
          comparisons: [
            {
              variant: "one_page",
              code: "OK",
              diff: 0.1,
              diff_ci: [-0.08, 0.28],
              rel_lift: 0.024,
              rel_ci: [-0.02, 0.068],
              p_value: 0.28,
              p_value_adjusted: 0.28,
              significant: false,
            },
          ],
        },
        {
          metric: "checkout_errors",
          tier: "guardrail",
          kind: "count",
          direction: "decrease",
          variants: { control: { n: 20011, mean: 0.02, variance: 0.03 }, one_page: { n: 19950, mean: 0.021, variance: 0.031 } },
          comparisons: [
            {
              variant: "one_page",
              code: "OK",
              diff: 0.001,
              diff_ci: [-0.002, 0.004],
              rel_lift: 0.05,
              rel_ci: [-0.1, 0.2],
              p_value: 0.5,
              p_value_adjusted: null,
              significant: false,
            },
          ],
        },
      ],
      guardrails: [
        {
          metric: "checkout_errors",
          passed: true,
          breached: false,
          direction: "decrease",
          max_regression: 0.01,
          variants: [{ variant: "one_page", status: "passed", rel_lift: 0.05, bound: 0.009, p_value: 0.03 }],
        },
      ],
      decision: {
        recommendation: "ship",
        reasons: ["purchase_conversion improved by +6.00% (p = 0.008 adjusted).", "No guardrail was breached."],
        horizon: { basis: "planned_units", reached: true, units: 39961, planned_units: 36000 },
        minimums: {
          duration_days: 7,
          elapsed_days: 8,
          units_per_variant: 1000,
          smallest_variant: "one_page",
          smallest_units: 19950,
          met: true,
        },
      },
      power: { mde: 0.03, achieved_mde: 0.025 },
    },
  };
}
