import { chiSquareSf, normalQuantile, normalSf } from "./distributions.js";
import { srmCheck, type SrmResult } from "./srm.js";
import { num, type AnalysisResult, type SrmEpochInput } from "./analysis-types.js";
import type { MeanStats } from "./types.js";

/**
 * A bandit rewrites its weights between allocation epochs, so cumulative unit counts follow no single
 * set of weights and pooled arm means mix epochs with different baselines. Both are read per epoch:
 * each unit belongs to the epoch in which it was first exposed, the one whose weights assigned it.
 */

/** One epoch's units per arm and the weights that were live, in the same arm order. */
export interface EpochCounts {
  readonly units: readonly number[];
  readonly weights: readonly number[];
}

export interface EpochSrmResult extends SrmResult {
  readonly epochs: readonly SrmResult[];
}

/**
 * Sample ratio check per epoch, each epoch's counts against its own weights, and an overall verdict:
 * the epochs are independent samples, so their Pearson statistics add, with their degrees of freedom
 * (χ² = Σ χ²_e, df = Σ df_e). An epoch with units in an arm of weight 0 is a mismatch outright.
 */
export function epochSrmCheck(epochs: readonly EpochCounts[], threshold: number): EpochSrmResult {
  const each = epochs.map((e) => srmCheck(e.units, e.weights, threshold));
  const chi2 = each.reduce((a, r) => a + r.chi2, 0);
  const df = each.reduce((a, r) => a + r.df, 0);
  const pValue = each.some((r) => r.pValue === 0 && r.chi2 === Infinity) ? 0 : df > 0 ? chiSquareSf(chi2, df) : 1;
  return { chi2, df, pValue, ok: !(pValue < threshold), epochs: each };
}

/** One epoch's statistics of a metric for the control and one treatment. */
export interface EpochArms {
  readonly control: MeanStats;
  readonly treatment: MeanStats;
  /** Units of every arm in the epoch: its weight in the estimate. */
  readonly units: number;
}

export interface StratifiedEffect {
  /** Σ_e w_e (ȳ_t,e − ȳ_c,e), w_e = epoch units / units of the epochs used. */
  readonly estimate: number;
  readonly se: number;
  readonly ci: readonly [number, number];
  readonly pValue: number;
  /** The epochs that could be used (two units or more in both arms); the others are left out. */
  readonly epochsUsed: number;
  /** Units of the epochs used, the estimate's population. */
  readonly units: number;
}

function moments(s: MeanStats): { mean: number; variance: number } {
  const mean = s.sum / s.n;
  return { mean, variance: Math.max((s.sumSq - s.n * mean * mean) / (s.n - 1), 0) };
}

/**
 * The treatment effect stratified by epoch: within an epoch the weights were fixed, so its difference
 * of means is unbiased for that epoch's population; weighting each by its share of units gives the
 * effect over everyone enrolled, whatever the arms' shares were in each epoch. Pooling the arms
 * instead weights each epoch by the arm's own share in it, which is biased when the baseline drifts
 * while the weights move. The variance is Σ w_e² (s²_t/n_t + s²_c/n_c); normal inference.
 * Undefined (no epoch with two units per arm) when nothing can be estimated.
 */
export function stratifiedDifference(epochs: readonly EpochArms[], alpha: number): StratifiedEffect | undefined {
  const used = epochs.filter((e) => e.control.n >= 2 && e.treatment.n >= 2 && e.units > 0);
  const total = used.reduce((a, e) => a + e.units, 0);
  if (!(total > 0)) return undefined;
  let estimate = 0;
  let variance = 0;
  for (const e of used) {
    const w = e.units / total;
    const c = moments(e.control);
    const t = moments(e.treatment);
    estimate += w * (t.mean - c.mean);
    variance += w * w * (t.variance / e.treatment.n + c.variance / e.control.n);
  }
  const se = Math.sqrt(variance);
  const z = normalQuantile(1 - alpha / 2);
  const pValue = se > 0 ? 2 * normalSf(Math.abs(estimate) / se) : estimate === 0 ? 1 : 0;
  return { estimate, se, ci: [estimate - z * se, estimate + z * se], pValue, epochsUsed: used.length, units: total };
}

/** The analysis JSON's `srm` for a bandit read per epoch: the overall verdict and each epoch's, weights in percent. */
export function epochSrmJson(variants: readonly string[], epochs: readonly SrmEpochInput[], threshold: number): AnalysisResult["srm"] {
  const counts = epochs.map((e) => ({ units: variants.map((v) => e.units[v] ?? 0), weights: variants.map((v) => e.weights[v] ?? 0) }));
  const r = epochSrmCheck(counts, threshold);
  return {
    chi2: num(r.chi2),
    p_value: num(r.pValue),
    threshold,
    ok: r.ok,
    df: r.df,
    epochs: epochs.map((e, i) => {
      const total = counts[i]!.weights.reduce((a, w) => a + (w > 0 ? w : 0), 0);
      const each = r.epochs[i]!;
      return {
        from: e.from,
        version: e.version,
        units: Object.fromEntries(variants.map((v, j) => [v, counts[i]!.units[j]!])),
        weights: Object.fromEntries(variants.map((v, j) => [v, total > 0 ? (Math.max(counts[i]!.weights[j]!, 0) / total) * 100 : 0])),
        chi2: num(each.chi2),
        df: each.df,
        p_value: num(each.pValue),
        ok: each.ok,
      };
    }),
  };
}
