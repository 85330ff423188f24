import type { DailyPoint } from "../model.js";
import { liftWindow, MIN_UNITS_PER_ARM } from "./lift-window.js";
import { renderSvg } from "./render.js";

export interface CumulativeLiftOptions {
  daily: DailyPoint[];
  metric: string;
  alpha: number;
  control: string;
}

/** What the chart leaves out or cuts, said in its subtitle so a reader is never misled by omission. */
function subtitle(w: ReturnType<typeof liftWindow>, level: number): string[] {
  if (w.points.length === 0) return [`No analysis over time has a relative lift with at least ${MIN_UNITS_PER_ARM} units per arm yet.`];
  const lines = [`Shaded: ${level}% CI.${w.cuts.length ? " ▲ ▼ mark intervals cut at the chart's edge (they continue beyond it)." : ""}`];
  const left: string[] = [];
  if (w.tooFewUnits)
    left.push(`${w.tooFewUnits} early ${w.tooFewUnits === 1 ? "analysis" : "analyses"} with fewer than ${MIN_UNITS_PER_ARM} units per arm`);
  if (w.noLift) left.push(`${w.noLift} ${w.noLift === 1 ? "analysis" : "analyses"} without a relative lift (e.g. a zero control mean)`);
  if (left.length) lines.push(`Not drawn: ${left.join("; ")}.`);
  return lines;
}

/** Cumulative relative lift of the first primary metric over time, with its CI band, per treatment. */
export async function cumulativeLiftChart(o: CumulativeLiftOptions): Promise<string> {
  const w = liftWindow(o.daily, o.control);
  const level = Math.round((1 - o.alpha) * 100);
  // A little room at both ends, so the markers on the first and last analyses are not cut in half.
  const x = { field: "date", type: "temporal", title: "analysis date (UTC)", axis: { format: "%b %d" }, scale: { padding: 10 } } as const;
  // The legend would otherwise take the faint band as its swatch, nearly invisible on a dark page.
  const color = { field: "variant", type: "nominal", title: "variant", legend: { symbolOpacity: 1 } } as const;
  // Overlapping bands of several treatments turn murky; lighter bands keep each one legible.
  const bandOpacity = new Set(w.points.map((p) => p.variant)).size > 1 ? 0.12 : 0.2;
  const y = { type: "quantitative", scale: { domain: w.domain, nice: false, zero: false } } as const;
  return renderSvg({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: `Cumulative relative lift of ${o.metric} (${level}% CI)`, subtitle: subtitle(w, level), subtitleColor: "#8c959f" },
    width: 520,
    height: 240,
    layer: [
      {
        data: { values: w.points },
        encoding: { x, color },
        layer: [
          {
            mark: { type: "area", opacity: bandOpacity, clip: true },
            encoding: { y: { ...y, field: "lo", title: "relative lift (%)", axis: { format: "+.1%" } }, y2: { field: "hi" } },
          },
          { mark: { type: "line", clip: true }, encoding: { y: { ...y, field: "lift" } } },
          { mark: { type: "point", filled: true, clip: true }, encoding: { y: { ...y, field: "lift" } } },
        ],
      },
      {
        data: { values: w.cuts },
        mark: { type: "point", filled: true, size: 80, opacity: 1 },
        encoding: {
          x,
          color,
          y: { ...y, field: "y" },
          shape: {
            field: "edge",
            type: "nominal",
            scale: { domain: ["above", "below"], range: ["triangle-up", "triangle-down"] },
            legend: null,
          },
        },
      },
      { data: { values: [{}] }, mark: { type: "rule", strokeDash: [4, 4], color: "#8c959f" }, encoding: { y: { ...y, datum: 0 } } },
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
