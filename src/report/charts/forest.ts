import type { AnalysisJson } from "../model.js";
import { renderSvg } from "./render.js";

/** Forest plot: the relative lift of every metric and treatment with its confidence interval. */
export async function forestPlot(analysis: AnalysisJson): Promise<string> {
  const rows = analysis.metrics.flatMap((m) =>
    m.comparisons
      .filter((c) => Number.isFinite(c.rel_lift) && Number.isFinite(c.rel_ci[0]) && Number.isFinite(c.rel_ci[1]))
      .map((c) => ({ label: `${m.metric} · ${c.variant}`, tier: m.tier, lift: c.rel_lift, lo: c.rel_ci[0], hi: c.rel_ci[1] })),
  );
  const level = Math.round((1 - analysis.alpha) * 100);
  return renderSvg({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: `Relative lift by metric (${level}% CI)`, subtitle: analysis.experiment, subtitleColor: "#8c959f" },
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
