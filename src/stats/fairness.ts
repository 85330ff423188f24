import { num, pair, type MetricDesign, type Num, type Pair } from "./analysis-types.js";
import { normalQuantile } from "./distributions.js";
import { evaluateGuardrail } from "./guardrail.js";
import { analyzeMetric, type MetricContext } from "./metric-analysis.js";
import { groupSlices, mergeSlices, type SliceGroup, type SliceInput } from "./slice-groups.js";
import type { SufficientStats } from "./types.js";

/** A fairness guardrail's design and the statistics of each value of its sensitive attribute. */
export interface FairnessInput {
  readonly attribute: string;
  readonly metrics: readonly string[];
  /** The tolerated difference between a group's relative lift and the other groups' (0.02 for 2%). */
  readonly maxDisparity: number;
  /** Groups under this many units over all variants are never shown on their own. */
  readonly minUnits: number;
  /** Binary outcome metric → its true label's metric: demographic parity and equalized odds are reported. */
  readonly labels: readonly (readonly [string, string])[];
  readonly slices: readonly SliceInput[];
}

export type FairnessStatus = "passed" | "inconclusive" | "breached" | "failed";

export interface FairnessGroupJson {
  group: string;
  rel_lift: Num;
  rel_ci: Pair;
  /** The relative lift of every other group together. */
  others_rel_lift: Num;
  /** rel_lift − others_rel_lift, with its (1 − 2α) interval: each side one-sided at α, like a guardrail. */
  disparity: Num;
  disparity_ci: Pair;
  status: FairnessStatus;
  /** The metric's guardrail verdict on this group alone, when the metric is a guardrail with a margin. */
  harm?: FairnessStatus;
}

export interface FairnessMetricJson {
  metric: string;
  variants: { variant: string; status: FairnessStatus; groups: FairnessGroupJson[] }[];
}

/** Per variant: the largest gap between groups in the positive rate, and in the true or false positive rate. */
export interface FairnessLabelJson {
  outcome: string;
  label: string;
  variants: Record<
    string,
    {
      demographic_parity_difference: Num;
      equalized_odds_difference: Num;
      groups: Record<string, { positive_rate: Num; true_positive_rate: Num; false_positive_rate: Num }>;
    }
  >;
}

export interface FairnessJson {
  attribute: string;
  max_disparity: number;
  min_units: number;
  groups: { group: string; merged?: string[]; units: number }[];
  metrics: FairnessMetricJson[];
  labels: FairnessLabelJson[];
  passed: boolean;
  breached: boolean;
}

function units(g: SliceGroup): number {
  return Object.values(g.units).reduce((a, b) => a + b, 0);
}

/** A disparity against the margin: breached when its interval lies wholly beyond it, passed when wholly within. */
function disparityStatus(ci: readonly [number, number], margin: number): FairnessStatus {
  if (!Number.isFinite(ci[0]) || !Number.isFinite(ci[1])) return "failed";
  if (ci[0] > margin || ci[1] < -margin) return "breached";
  return ci[0] >= -margin && ci[1] <= margin ? "passed" : "inconclusive";
}

function worst(statuses: readonly FairnessStatus[]): FairnessStatus {
  for (const s of ["breached", "failed", "inconclusive"] as const) if (statuses.includes(s)) return s;
  return "passed";
}

/** n and Σy of a per-unit metric's statistics (a conversion: units and positives). */
function counts(s: SufficientStats | undefined): { n: number; sum: number } {
  if (s?.kind === "mean") return { n: s.n, sum: s.sum };
  if (s?.kind === "cuped") return { n: s.n, sum: s.sumY };
  return { n: NaN, sum: NaN };
}

function labelJson(outcome: string, label: string, groups: readonly SliceGroup[], variants: readonly string[]): FairnessLabelJson {
  const range = (xs: number[]) => (xs.some((x) => !Number.isFinite(x)) ? NaN : Math.max(...xs) - Math.min(...xs));
  const out: FairnessLabelJson = { outcome, label, variants: {} };
  for (const v of variants) {
    const rates = groups.map((g) => {
      const o = counts(g.stats[outcome]?.[v]);
      const y = counts(g.stats[label]?.[v]);
      const both = g.products?.[outcome]?.[v] ?? NaN;
      return { group: g.slice, positive: o.sum / o.n, tpr: both / y.sum, fpr: (o.sum - both) / (o.n - y.sum) };
    });
    out.variants[v] = {
      demographic_parity_difference: num(range(rates.map((r) => r.positive))),
      equalized_odds_difference: num(Math.max(range(rates.map((r) => r.tpr)), range(rates.map((r) => r.fpr)))),
      groups: Object.fromEntries(
        rates.map((r) => [r.group, { positive_rate: num(r.positive), true_positive_rate: num(r.tpr), false_positive_rate: num(r.fpr) }]),
      ),
    };
  }
  return out;
}

/**
 * docs/analysis.md#fairness: per group of the sensitive attribute (none under the minimum on its own),
 * each treatment's relative lift against that of the other groups together; the guardrail fails when a
 * group's disparity lies beyond `max_disparity`, or when a guardrail metric regresses for one group
 * beyond its own margin. Only the groups' sums are used: no unit's attribute.
 */
export function analyzeFairness(input: FairnessInput, designs: readonly MetricDesign[], ctx: MetricContext): FairnessJson {
  const groups = groupSlices(input.slices, input.minUnits);
  const z = normalQuantile(1 - ctx.alpha);
  const treatments = ctx.variants.filter((v) => v !== ctx.control);
  const metrics: FairnessMetricJson[] = designs
    .filter((d) => input.metrics.includes(d.metric) && groups.some((g) => g.stats[d.metric] !== undefined))
    .map((design) => {
      const own = groups.map((g) => analyzeMetric(design, g.stats[design.metric] ?? {}, ctx));
      const others = groups.map((g) => {
        const rest = mergeSlices(
          "rest",
          groups.filter((x) => x !== g),
        );
        return analyzeMetric(design, rest.stats[design.metric] ?? {}, ctx);
      });
      const variants = treatments.map((variant) => {
        const rows: FairnessGroupJson[] = groups.map((g, i) => {
          const mine = own[i]!.comparisons.find((c) => c.variant === variant)!;
          const rest = others[i]!.comparisons.find((c) => c.variant === variant)!.comparison;
          const c = mine.comparison;
          const d = c.relLift - rest.relLift;
          const h = z * Math.hypot(c.relSe, rest.relSe);
          const ci: [number, number] = [d - h, d + h];
          const status = groups.length < 2 || c.code !== "OK" || rest.code !== "OK" ? "failed" : disparityStatus(ci, input.maxDisparity);
          const row: FairnessGroupJson = {
            group: g.slice,
            rel_lift: num(c.relLift),
            rel_ci: pair(c.relCi),
            others_rel_lift: num(rest.relLift),
            disparity: num(d),
            disparity_ci: pair(ci),
            status,
          };
          if (design.maxRegression !== undefined) row.harm = evaluateGuardrail(design, [mine], ctx.alpha).variants[0]!.status;
          return row;
        });
        const status = worst(rows.flatMap((r) => [r.status, ...(r.harm ? [r.harm] : [])]));
        return { variant, status, groups: rows };
      });
      return { metric: design.metric, variants };
    });
  const statuses = metrics.flatMap((m) => m.variants.map((v) => v.status));
  return {
    attribute: input.attribute,
    max_disparity: input.maxDisparity,
    min_units: input.minUnits,
    groups: groups.map((g) => ({ group: g.slice, ...(g.merged ? { merged: g.merged } : {}), units: units(g) })),
    metrics,
    labels: input.labels.map(([outcome, label]) => labelJson(outcome, label, groups, ctx.variants)),
    passed: statuses.length > 0 && statuses.every((s) => s === "passed"),
    breached: statuses.includes("breached"),
  };
}

const pct = (x: Num) => (x === null ? "n/a" : `${x >= 0 ? "+" : ""}${(x * 100).toFixed(2)}%`);

/** The decision's sentences for a breached fairness guardrail: each group harmed or treated unlike the others. */
export function fairnessBreaches(f: FairnessJson | undefined): string[] {
  if (!f) return [];
  const margin = `${(f.max_disparity * 100).toFixed(2)}%`;
  return f.metrics.flatMap((m) =>
    m.variants.flatMap((v) =>
      v.groups.flatMap((g) => [
        ...(g.status === "breached"
          ? [
              `Fairness guardrail on "${f.attribute}": the effect of "${v.variant}" on "${m.metric}" for group "${g.group}" (${pct(g.rel_lift)}) differs from the other groups' (${pct(g.others_rel_lift)}) beyond the ${margin} margin.`,
            ]
          : []),
        ...(g.harm === "breached"
          ? [
              `Fairness guardrail on "${f.attribute}": "${m.metric}" regressed beyond its guardrail margin for group "${g.group}" under "${v.variant}" (${pct(g.rel_lift)}).`,
            ]
          : []),
      ]),
    ),
  );
}

/** For one treatment: the fairness checks not yet passed (what `decision.guardrails: must_pass` waits for). */
export function fairnessOpen(f: FairnessJson | undefined, variant: string): string[] {
  if (!f) return [];
  return f.metrics.flatMap((m) =>
    m.variants
      .filter((v) => v.variant === variant && v.status !== "passed" && v.status !== "breached")
      .map((v) =>
        v.status === "inconclusive"
          ? `the fairness guardrail on "${f.attribute}" for "${m.metric}" is inconclusive for "${variant}": not yet shown that every group's effect is within ${(f.max_disparity * 100).toFixed(2)}% of the others'`
          : `the fairness guardrail on "${f.attribute}" for "${m.metric}" could not be evaluated for "${variant}"`,
      ),
  );
}
