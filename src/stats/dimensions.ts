import { num, pair, type MetricDesign, type Num, type Pair } from "./analysis-types.js";
import { adjustPValues } from "./correction.js";
import { heterogeneityTest } from "./heterogeneity.js";
import { analyzeMetric, type MetricContext } from "./metric-analysis.js";
import { groupSlices, type SliceInput } from "./slice-groups.js";
import { srmCheck } from "./srm.js";
import type { Correction, StatsCode } from "./types.js";

/** One exposure attribute to break the results down by, with its slices' statistics. */
export interface DimensionInput {
  readonly dimension: string;
  /** Slices with fewer units over all variants are merged (slice-groups.ts). */
  readonly minUnits: number;
  readonly slices: readonly SliceInput[];
}

export interface SliceComparisonJson {
  variant: string;
  code: StatsCode;
  diff: Num;
  diff_ci: Pair;
  /** Standard error of the difference: the weight of this slice in the heterogeneity test. */
  se: Num;
  rel_lift: Num;
  rel_ci: Pair;
  p_value: Num;
  /** Corrected over every slice, metric and treatment of the dimension. */
  p_value_adjusted: Num;
  significant: boolean;
}

export interface SliceJson {
  slice: string;
  /** The attribute values merged into this slice (small ones). */
  merged?: string[];
  units: Record<string, number>;
  srm: { chi2: Num; p_value: Num; ok: boolean };
  metrics: { metric: string; comparisons: SliceComparisonJson[] }[];
}

/** Cochran's Q across the slices of one metric and treatment (heterogeneity.ts). */
export interface HeterogeneityJson {
  metric: string;
  variant: string;
  /** Slices with a usable effect (the others are left out). */
  slices: number;
  q: Num;
  df: number;
  p_value: Num;
  /** Share of the variation between slices beyond chance, 0..1. */
  i2: Num;
  /** The inverse-variance pooled difference. */
  pooled: Num;
  /** p below α: the effect differs between slices. */
  significant: boolean;
}

export interface DimensionJson {
  dimension: string;
  min_units: number;
  slices: SliceJson[];
  heterogeneity: HeterogeneityJson[];
}

export interface DimensionOptions {
  readonly weights: readonly number[];
  readonly srmThreshold: number;
  readonly correction: Correction;
  /** A comparison is significant when its adjusted p-value is below this (α, or the look's nominal level). */
  readonly level: number;
}

/**
 * docs/analysis.md#dimensions: each slice analysed like the whole experiment (the same metric
 * analysis, method and CUPED), its own SRM, the p-values corrected over the dimension's family
 * (every slice × metric × treatment), and per metric and treatment Cochran's Q and I² on the
 * slices' absolute differences.
 */
export function analyzeDimension(
  input: DimensionInput,
  allDesigns: readonly MetricDesign[],
  ctx: MetricContext,
  o: DimensionOptions,
): DimensionJson {
  const groups = groupSlices(input.slices, input.minUnits);
  // Quantile and session-clustered metrics have no per-slice statistics: they are left out, not shown empty.
  const designs = allDesigns.filter((d) => groups.some((g) => g.stats[d.metric] !== undefined));
  const analysed = groups.map((g) => ({
    group: g,
    metrics: designs.map((d) => ({ design: d, analysis: analyzeMetric(d, g.stats[d.metric] ?? {}, ctx) })),
  }));
  const family = analysed.flatMap((s) => s.metrics.flatMap((m) => m.analysis.comparisons.map((c) => c.comparison.pValue)));
  const adjusted = adjustPValues(family, o.correction);
  let k = 0;
  const slices: SliceJson[] = analysed.map(({ group, metrics }) => {
    const units = Object.fromEntries(ctx.variants.map((v) => [v, group.units[v] ?? 0]));
    const srm = srmCheck(
      ctx.variants.map((v) => units[v]!),
      o.weights,
      o.srmThreshold,
    );
    return {
      slice: group.slice,
      ...(group.merged ? { merged: group.merged } : {}),
      units,
      srm: { chi2: num(srm.chi2), p_value: num(srm.pValue), ok: srm.ok },
      metrics: metrics.map(({ design, analysis }) => ({
        metric: design.metric,
        comparisons: analysis.comparisons.map(({ variant, comparison: c }) => {
          const pAdj = adjusted[k++]!;
          return {
            variant,
            code: c.code,
            diff: num(c.diff),
            diff_ci: pair(c.diffCi),
            se: num(c.se),
            rel_lift: num(c.relLift),
            rel_ci: pair(c.relCi),
            p_value: num(c.pValue),
            p_value_adjusted: num(pAdj),
            significant: (c.code === "OK" || c.code === "ZERO_CONTROL_MEAN") && pAdj < o.level,
          };
        }),
      })),
    };
  });
  const heterogeneity: HeterogeneityJson[] = [];
  designs.forEach((d, i) => {
    for (const variant of ctx.variants.filter((v) => v !== ctx.control)) {
      const effects = analysed.flatMap(({ group, metrics }) => {
        const c = metrics[i]!.analysis.comparisons.find((x) => x.variant === variant)?.comparison;
        return c && c.code === "OK" ? [{ segment: group.slice, effect: c.diff, se: c.se }] : [];
      });
      const h = heterogeneityTest(effects);
      heterogeneity.push({
        metric: d.metric,
        variant,
        slices: effects.length,
        q: num(h.q),
        df: h.df,
        p_value: num(h.pValue),
        i2: num(h.i2),
        pooled: num(h.pooled),
        significant: h.df >= 1 && h.pValue < ctx.alpha,
      });
    }
  });
  return { dimension: input.dimension, min_units: input.minUnits, slices, heterogeneity };
}
