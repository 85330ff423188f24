import type { DailyPoint } from "../model.js";
import { renderSvg } from "./render.js";

/** Cumulative relative lift of the first primary metric over time, with its CI band, per treatment. */
export async function cumulativeLiftChart(daily: DailyPoint[], metric: string, alpha: number): Promise<string> {
  const rows = daily.flatMap((d) =>
    Object.entries(d.lift)
      .filter(([, l]) => Number.isFinite(l.rel_lift) && Number.isFinite(l.rel_ci[0]) && Number.isFinite(l.rel_ci[1]))
      .map(([variant, l]) => ({ date: d.asOf.slice(0, 10), variant, lift: l.rel_lift, lo: l.rel_ci[0], hi: l.rel_ci[1] })),
  );
  const level = Math.round((1 - alpha) * 100);
  return renderSvg({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: `Cumulative relative lift of ${metric} (${level}% CI)` },
    width: 520,
    height: 240,
    data: { values: rows },
    encoding: {
      x: { field: "date", type: "temporal", title: "analysis date (UTC)", axis: { format: "%b %d" } },
      color: { field: "variant", type: "nominal", title: "variant" },
    },
    layer: [
      { mark: { type: "area", opacity: 0.2 }, encoding: { y: { field: "lo", type: "quantitative", title: "relative lift (%)", axis: { format: "+.1%" } }, y2: { field: "hi" } } },
      { mark: { type: "line", point: true }, encoding: { y: { field: "lift", type: "quantitative" } } },
      { mark: { type: "rule", strokeDash: [4, 4], color: "#8c959f" }, encoding: { y: { datum: 0, type: "quantitative" }, color: { value: "#8c959f" } } },
    ],
  });
}

/** Units enrolled per variant over time (cumulative), which makes sample-ratio problems visible. */
export async function unitsChart(daily: DailyPoint[]): Promise<string> {
  const rows = daily.flatMap((d) => Object.entries(d.units).map(([variant, units]) => ({ date: d.asOf.slice(0, 10), variant, units })));
  return renderSvg({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: "Units per variant over time (cumulative)" },
    width: 520,
    height: 200,
    data: { values: rows },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "date", type: "temporal", title: "analysis date (UTC)", axis: { format: "%b %d" } },
      y: { field: "units", type: "quantitative", title: "units (count)", axis: { format: ",d" } },
      color: { field: "variant", type: "nominal", title: "variant" },
    },
  });
}
