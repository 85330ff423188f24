// The report sample's analysis broken down by platform (Android's lift far above the others) with a
// fairness guardrail on age_band (the 55+ group harmed), as the stats engine computes them.
import type { AnalysisInput } from "../../src/stats/analysis-types.js";
import { analyzeStats } from "../../src/stats/experiment.js";
import type { SliceInput } from "../../src/stats/slice-groups.js";

// Conversions from counts: n units with k converted give sum = sumSq = k.
const conv = (n: number, k: number) => ({ kind: "mean" as const, n, sum: k, sumSq: k });
const slice = (name: string, n: number, control: number, treatment: number): SliceInput => ({
  slice: name,
  units: { control: n, one_page: n },
  stats: { purchase_conversion: { control: conv(n, control), one_page: conv(n, treatment) } },
});

/** The breakdown and fairness sections of an analysis with planted differences, and its metrics (the chart's whole-experiment lift). */
export function breakdowns() {
  const platforms = [
    slice("web", 6000, 1200, 1380),
    slice("android", 4000, 800, 1200),
    slice("ios", 3000, 600, 690),
    slice("tv", 40, 8, 9),
  ];
  const ages = [slice("18-34", 6000, 1200, 1500), slice("35-54", 5000, 1000, 1250), slice("55+", 2000, 400, 300)];
  const input: AnalysisInput = {
    experiment: "checkout_redesign",
    phase: 1,
    method: "fixed",
    alpha: 0.05,
    correction: "bh",
    srmThreshold: 0.001,
    control: "control",
    variants: [
      { key: "control", weight: 50 },
      { key: "one_page", weight: 50 },
    ],
    metrics: [{ metric: "purchase_conversion", tier: "primary", kind: "conversion" }],
    units: { control: 13040, one_page: 13040 },
    multipleExposures: 0,
    stats: { purchase_conversion: { control: conv(13040, 2608), one_page: conv(13040, 3279) } },
    dimensions: [{ dimension: "platform", minUnits: 100, slices: platforms }],
    fairness: { attribute: "age_band", metrics: ["purchase_conversion"], maxDisparity: 0.1, minUnits: 100, labels: [], slices: ages },
  };
  const r = analyzeStats(input);
  return { metrics: r.metrics, dimensions: r.dimensions!, fairness: r.fairness! };
}
