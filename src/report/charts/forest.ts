import type { ReportAnalysis } from "../model.js";
import { verdictOf } from "../verdict.js";
import { renderSvg, steady } from "./render.js";

/**
 * Fixed colour per tier, whatever tiers a report has, so that a tier keeps its colour from one report to
 * the next; none of them is green or red, which mark the outcome.
 */
export const TIER_COLOURS = { primary: "#2f81f7", secondary: "#8250df", guardrail: "#bf8700" } as const;

/** The outcome of a comparison in the metric's good direction, drawn as the point's colour. */
export const OUTCOME_COLOURS = { better: "#2da44e", worse: "#cf222e", "no clear difference": "#8c959f" } as const;
export type Outcome = keyof typeof OUTCOME_COLOURS;

const scale = <T extends Record<string, string>>(colours: T) => ({ domain: Object.keys(colours), range: Object.values(colours) });

/**
 * Forest plot: the relative lift of every metric and treatment with its confidence interval. The
 * interval's colour is its tier; the point's colour is the outcome judged in the metric's direction (a
 * latency that rose significantly, or a breached guardrail, is "worse" in red, never a calm dot), and
 * a guardrail with a margin has it drawn as a red tick on its harmful side.
 */
export async function forestPlot(analysis: ReportAnalysis): Promise<string> {
  return renderSvg(forestSpec(analysis));
}

/** The forest plot's Vega-Lite spec: its rows carry each comparison's tier, outcome and guardrail margin. */
export function forestSpec(analysis: ReportAnalysis): Record<string, unknown> {
  const all = analysis.metrics.flatMap((m) => m.comparisons.map((c) => ({ m, c, label: `${m.metric} · ${c.variant}` })));
  const rows = all.flatMap(({ m, c, label }) => {
    const [lo, hi] = c.rel_ci;
    if (c.rel_lift === null || lo === null || hi === null) return [];
    const guardrail = m.tier === "guardrail" ? analysis.guardrails.find((g) => g.metric === m.metric) : undefined;
    const status = guardrail?.variants.find((v) => v.variant === c.variant)?.status;
    const verdict = verdictOf(m, c, undefined, status);
    const outcome: Outcome =
      verdict === "win" ? "better" : verdict === "loss" || verdict === "guardrail breached" ? "worse" : "no clear difference";
    const margin =
      guardrail && guardrail.max_regression !== null
        ? steady(guardrail.direction === "increase" ? -guardrail.max_regression : guardrail.max_regression)
        : null;
    return [{ label, tier: m.tier, outcome, lift: steady(c.rel_lift), lo: steady(lo), hi: steady(hi), margin }];
  });
  const margins = rows.filter((r) => r.margin !== null);
  // A comparison without a relative lift cannot be drawn; the subtitle names it so its absence is not silent.
  const left = all.filter(({ label }) => !rows.some((r) => r.label === label)).map(({ label }) => label);
  const level = Math.round((1 - analysis.alpha) * 100);
  const subtitle = [
    analysis.experiment,
    "Line: the interval, coloured by tier. Dot: the outcome in the metric's good direction.",
    ...(margins.length ? ["Red tick: a guardrail's non-inferiority margin on its harmful side."] : []),
    ...(left.length ? [`not drawn (no relative lift, see the tables): ${left.join(", ")}`] : []),
  ];
  const y = { field: "label", type: "nominal", sort: null, title: null, axis: { labelLimit: 320 } } as const;
  return {
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
          y,
          x: { field: "lo", type: "quantitative", title: "relative lift (%)", axis: { format: "+.1%" } },
          x2: { field: "hi" },
          color: { field: "tier", type: "nominal", title: "tier (line)", scale: scale(TIER_COLOURS) },
        },
      },
      {
        data: { values: margins },
        mark: { type: "tick", orient: "vertical", thickness: 2, color: OUTCOME_COLOURS.worse },
        encoding: { y, x: { field: "margin", type: "quantitative" } },
      },
      {
        mark: { type: "point", filled: true, size: 70, opacity: 1 },
        encoding: {
          y,
          x: { field: "lift", type: "quantitative" },
          fill: { field: "outcome", type: "nominal", title: "outcome (dot)", scale: scale(OUTCOME_COLOURS) },
          stroke: { value: "#8c959f" },
        },
      },
    ],
  };
}
