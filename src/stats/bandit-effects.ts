import { num, type Num, type Pair } from "./analysis-types.js";
import { stratifiedDifference } from "./bandit-epochs.js";
import type { SufficientStats } from "./types.js";

/** One allocation epoch's statistics: units per variant and, per metric, per variant. */
export interface EpochMetricStats {
  readonly units: Readonly<Record<string, number>>;
  readonly stats: Readonly<Record<string, Readonly<Record<string, SufficientStats>>>>;
}

/** A treatment's effect on a metric, stratified by allocation epoch (docs/analysis.md#bandits). */
export interface BanditEffectJson {
  metric: string;
  variant: string;
  /** Σ_e w_e (mean_t,e − mean_c,e), w_e the epoch's share of units. */
  difference: Num;
  se: Num;
  ci: Pair;
  p_value: Num;
  /** Epochs with two units or more in both arms; the others are left out of the estimate. */
  epochs_used: number;
}

export interface BanditEffectsJson {
  epochs: number;
  effects: BanditEffectJson[];
  /** Metrics left out: only per-unit means (conversion, count, sum, mean) are stratified. */
  skipped: string[];
}

/**
 * Every treatment against control on every per-unit-mean metric, stratified by epoch: the estimate a
 * bandit's reallocation does not bias (the pooled comparison does when the baseline drifts while the
 * weights move). Ratio and quantile metrics are listed in `skipped`.
 */
export function banditEffects(
  epochs: readonly EpochMetricStats[],
  o: { control: string; variants: readonly string[]; metrics: readonly string[]; alpha: number },
): BanditEffectsJson {
  const effects: BanditEffectJson[] = [];
  const skipped: string[] = [];
  for (const metric of o.metrics) {
    const perEpoch = epochs.map((e) => e.stats[metric]);
    if (!perEpoch.every((s) => s && Object.values(s).every((v) => v.kind === "mean"))) {
      skipped.push(metric);
      continue;
    }
    for (const variant of o.variants.filter((v) => v !== o.control)) {
      const strata = epochs.flatMap((e) => {
        const control = e.stats[metric]![o.control];
        const treatment = e.stats[metric]![variant];
        if (control?.kind !== "mean" || treatment?.kind !== "mean") return [];
        return [{ control, treatment, units: Object.values(e.units).reduce((a, b) => a + b, 0) }];
      });
      const r = stratifiedDifference(strata, o.alpha);
      effects.push({
        metric,
        variant,
        difference: r ? num(r.estimate) : null,
        se: r ? num(r.se) : null,
        ci: r ? [num(r.ci[0]), num(r.ci[1])] : [null, null],
        p_value: r ? num(r.pValue) : null,
        epochs_used: r?.epochsUsed ?? 0,
      });
    }
  }
  return { epochs: epochs.length, effects, skipped };
}
