import type { ReportAnalysis } from "../model.js";
import { renderSvg, SERIES, steady } from "./render.js";

/**
 * The slices chart: per dimension, the relative lift of each slice with its interval, for the first
 * primary metric and every metric whose effect differs between slices (Cochran's Q significant),
 * beside the whole experiment's lift as a dashed line. A slice whose interval sits away from the
 * others' is the difference the heterogeneity test reports.
 */
export async function slicesChart(analysis: ReportAnalysis): Promise<string> {
  return renderSvg(slicesSpec(analysis));
}

export function slicesSpec(analysis: ReportAnalysis): Record<string, unknown> {
  const primary = analysis.metrics.find((m) => m.tier === "primary")?.metric;
  const rows: Record<string, unknown>[] = [];
  const overall: Record<string, unknown>[] = [];
  for (const d of analysis.dimensions ?? []) {
    const shown = new Set([primary, ...d.heterogeneity.filter((h) => h.significant).map((h) => h.metric)]);
    for (const metric of [...shown].filter((m): m is string => m !== undefined)) {
      const whole = analysis.metrics.find((m) => m.metric === metric);
      for (const h of d.heterogeneity.filter((x) => x.metric === metric)) {
        const group = `${d.dimension} · ${metric} · ${h.variant}${h.significant ? " (differs)" : ""}`;
        const lift = whole?.comparisons.find((c) => c.variant === h.variant)?.rel_lift;
        if (lift !== null && lift !== undefined) overall.push({ group, lift: steady(lift) });
        for (const s of d.slices) {
          const c = s.metrics.find((m) => m.metric === metric)?.comparisons.find((x) => x.variant === h.variant);
          if (!c || c.rel_lift === null || c.rel_ci[0] === null || c.rel_ci[1] === null) continue;
          rows.push({ group, slice: s.slice, lift: steady(c.rel_lift), lo: steady(c.rel_ci[0]), hi: steady(c.rel_ci[1]) });
        }
      }
    }
  }
  const level = Math.round((1 - analysis.alpha) * 100);
  const y = { field: "slice", type: "nominal", sort: null, title: null, axis: { labelLimit: 200 } } as const;
  const x = { field: "lift", type: "quantitative", title: "relative lift (%)", axis: { format: "+.0%" } } as const;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: `Relative lift by slice (${level}% CI)`,
      subtitle: [analysis.experiment, "Dashed line: the whole experiment's lift. Dot: the slice's lift, line: its interval."],
      subtitleColor: "#8c959f",
    },
    data: { values: rows },
    facet: { row: { field: "group", type: "nominal", title: null, header: { labelAngle: 0, labelAlign: "left", labelLimit: 360 } } },
    resolve: { scale: { y: "independent" } },
    spec: {
      width: 420,
      height: { step: 26 },
      layer: [
        { mark: { type: "rule", color: "#8c959f" }, encoding: { x: { datum: 0, type: "quantitative" } } },
        {
          transform: [{ lookup: "group", from: { data: { values: overall }, key: "group", fields: ["lift"] }, as: "overall" }],
          mark: { type: "rule", strokeDash: [4, 4], color: SERIES[1] },
          encoding: { x: { field: "overall", type: "quantitative" } },
        },
        {
          mark: { type: "rule", strokeWidth: 2, color: SERIES[0] },
          encoding: { y, x: { field: "lo", type: "quantitative" }, x2: { field: "hi" } },
        },
        { mark: { type: "point", filled: true, size: 60, opacity: 1, color: SERIES[0] }, encoding: { y, x } },
      ],
    },
  };
}
