import type { ReportAnalysis } from "../model.js";
import { renderSvg, steady } from "./render.js";

/** Forest plot: the relative lift of every metric and treatment with its confidence interval. */
export async function forestPlot(analysis: ReportAnalysis): Promise<string> {
  const all = analysis.metrics.flatMap((m) => m.comparisons.map((c) => ({ m, c, label: `${m.metric} · ${c.variant}` })));
  const rows = all.flatMap(({ m, c, label }) => {
    const [lo, hi] = c.rel_ci;
    return c.rel_lift !== null && lo !== null && hi !== null
      ? [{ label, tier: m.tier, lift: steady(c.rel_lift), lo: steady(lo), hi: steady(hi) }]
      : [];
  });
  // A comparison without a relative lift cannot be drawn; the subtitle names it so its absence is not silent.
  const left = all.filter(({ label }) => !rows.some((r) => r.label === label)).map(({ label }) => label);
  const level = Math.round((1 - analysis.alpha) * 100);
  const subtitle = [analysis.experiment, ...(left.length ? [`not drawn (no relative lift, see the tables): ${left.join(", ")}`] : [])];
  return renderSvg({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: `Relative lift by metric (${level}% CI)`, subtitle, subtitleColor: "#8c959f" },
    width: 480,
    height: { step: 34 },
    data: { values: rows },
    layer: [
      { mark: { type: "rule", strokeDash: [4, 4], color: "#8c959f" }, encoding: { x: { datum: 0, type: "quantitative" } } },
      {
        mark: { type: "rule", strokeWidth: 2 },
        encoding: {
          y: { field: "label", type: "nominal", sort: null, title: null, axis: { labelLimit: 320 } },
          x: { field: "lo", type: "quantitative", title: "relative lift (%)", axis: { format: "+.1%" } },
          x2: { field: "hi" },
          color: { field: "tier", type: "nominal", title: "tier", sort: ["primary", "secondary", "guardrail"] },
        },
      },
      {
        mark: { type: "point", filled: true, size: 60 },
        encoding: {
          y: { field: "label", type: "nominal", sort: null },
          x: { field: "lift", type: "quantitative" },
          color: { field: "tier", type: "nominal", sort: ["primary", "secondary", "guardrail"] },
        },
      },
    ],
  });
}
