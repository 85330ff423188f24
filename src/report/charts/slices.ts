import type { ReportAnalysis } from "../model.js";
import { OUTCOME_COLOURS } from "./forest.js";
import { renderSvg, SERIES, steady } from "./render.js";

/**
 * The slices chart: per dimension, the relative lift of each slice with its interval, for the first
 * primary metric and every metric whose effect differs between slices (Cochran's Q significant),
 * each beside the whole experiment's lift (an orange tick). A slice whose interval sits away from
 * the others' is the difference the heterogeneity test reports; its dot is red.
 */
export async function slicesChart(analysis: ReportAnalysis): Promise<string> {
  return renderSvg(slicesSpec(analysis));
}

export function slicesSpec(analysis: ReportAnalysis): Record<string, unknown> {
  const primary = analysis.metrics.find((m) => m.tier === "primary")?.metric;
  const rows: Record<string, unknown>[] = [];
  for (const d of analysis.dimensions ?? []) {
    const shown = new Set([primary, ...d.heterogeneity.filter((h) => h.significant).map((h) => h.metric)]);
    for (const metric of [...shown].filter((m): m is string => m !== undefined)) {
      const whole = analysis.metrics.find((m) => m.metric === metric);
      for (const h of d.heterogeneity.filter((x) => x.metric === metric)) {
        const variant = d.heterogeneity.some((x) => x.metric === metric && x.variant !== h.variant) ? ` · ${h.variant}` : "";
        const overall = whole?.comparisons.find((c) => c.variant === h.variant)?.rel_lift ?? null;
        for (const s of d.slices) {
          const c = s.metrics.find((m) => m.metric === metric)?.comparisons.find((x) => x.variant === h.variant);
          if (!c || c.rel_lift === null || c.rel_ci[0] === null || c.rel_ci[1] === null) continue;
          rows.push({
            label: `${d.dimension} = ${s.slice} · ${metric}${variant}`,
            differs: h.significant ? "effect differs between slices" : "no clear difference between slices",
            lift: steady(c.rel_lift),
            lo: steady(c.rel_ci[0]),
            hi: steady(c.rel_ci[1]),
            overall: overall === null ? null : steady(overall),
          });
        }
      }
    }
  }
  const level = Math.round((1 - analysis.alpha) * 100);
  const y = { field: "label", type: "nominal", sort: null, title: null, axis: { labelLimit: 480 } } as const;
  const colours = { "effect differs between slices": OUTCOME_COLOURS.worse, "no clear difference between slices": SERIES[0]! };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: `Relative lift by slice (${level}% CI)`,
      subtitle: [
        analysis.experiment,
        "Line: the slice's interval. Orange tick: the whole experiment's lift. Red: Cochran's Q says the slices differ.",
      ],
      subtitleColor: "#8c959f",
    },
    width: 420,
    height: { step: 26 },
    data: { values: rows },
    layer: [
      { mark: { type: "rule", strokeDash: [4, 4], color: "#8c959f" }, encoding: { x: { datum: 0, type: "quantitative" } } },
      {
        mark: { type: "rule", strokeWidth: 2 },
        encoding: {
          y,
          x: { field: "lo", type: "quantitative", title: "relative lift (%)", axis: { format: "+.0%" } },
          x2: { field: "hi" },
          color: { field: "differs", type: "nominal", title: null, scale: { domain: Object.keys(colours), range: Object.values(colours) } },
        },
      },
      {
        transform: [{ filter: "datum.overall !== null" }],
        mark: { type: "tick", orient: "vertical", thickness: 2, color: SERIES[1] },
        encoding: { y, x: { field: "overall", type: "quantitative" } },
      },
      {
        mark: { type: "point", filled: true, size: 60, opacity: 1 },
        encoding: { y, x: { field: "lift", type: "quantitative" }, color: { field: "differs", type: "nominal", legend: null } },
      },
    ],
  };
}
