import { adjustPValues } from "./correction.js";
import { normalQuantile, normalSf } from "./distributions.js";
import { confidenceSequence } from "./sequential.js";
import { num, pair, type MetricJson, type Num, type Pair } from "./analysis-types.js";
import type { Correction } from "./types.js";

/**
 * Factorial analysis of a multivariate experiment (docs/analysis.md#factorial-experiments): from the
 * per-cell means and unit variances, the main effect of each factor level against the factor's first
 * level, averaged over every combination of the other factors with equal weight, and each two-way
 * interaction (the difference in differences, likewise averaged). Each term is a linear contrast of
 * the cells' estimates, c·ȳ, with variance Σ c² v/n, where v/n is each cell's squared standard error
 * as the metric's own analysis computes it (for a per-unit mean, s²/n: the heteroskedasticity-robust
 * HC2 variance of the same contrast in the saturated cell-means regression; ratios, quantiles and
 * clustered metrics bring their delta-method or clustered variances), a normal test and interval,
 * and the experiment's correction over the terms of each metric. The inference follows the
 * experiment's method: always-valid confidence sequences over all the units for `sequential`, the
 * look's boundary for `group_sequential`, fixed-horizon intervals otherwise (a Bayesian experiment's
 * terms are frequentist, and say so). Three-way and higher interactions are not estimated.
 */

/** Factors in declaration order; each factor's first level is its baseline. */
export type Factors = readonly (readonly [name: string, levels: readonly string[]])[];

export interface FactorialTermJson {
  /** "color" for a main effect, "color × size" for an interaction. */
  term: string;
  kind: "main" | "interaction";
  /** "blue vs green", or "(blue vs green) × (large vs small)". */
  contrast: string;
  estimate: Num;
  se: Num;
  ci: Pair;
  p_value: Num;
  p_value_adjusted: Num;
  significant: boolean;
}

export interface FactorialMetricJson {
  metric: string;
  terms: FactorialTermJson[];
  /** Why the metric has no terms (a cell without an estimate and its variance). */
  skipped?: string;
}

export interface FactorialJson {
  factors: Record<string, string[]>;
  /** How the intervals and p-values were made (see analyzeFactorial). */
  inference: "fixed" | "sequential" | "group_sequential";
  metrics: FactorialMetricJson[];
}

/** Every cell of the full factorial as level indices, in the order the workspace names variants. */
function cells(factors: Factors): number[][] {
  let out: number[][] = [[]];
  for (const [, levels] of factors) out = out.flatMap((c) => levels.map((_, i) => [...c, i]));
  return out;
}

/** The variant key of a cell: its levels joined by "_" (workspace/build/experiment.ts factorial). */
function cellKey(factors: Factors, cell: readonly number[]): string {
  return cell.map((l, f) => factors[f]![1][l]!).join("_");
}

interface Contrast {
  term: string;
  kind: "main" | "interaction";
  contrast: string;
  weights: Map<string, number>;
}

/** The contrast weights of every main effect and two-way interaction. */
export function factorialContrasts(factors: Factors): Contrast[] {
  const all = cells(factors);
  const out: Contrast[] = [];
  const add = (weights: Map<string, number>, cell: number[], w: number) => {
    const key = cellKey(factors, cell);
    weights.set(key, (weights.get(key) ?? 0) + w);
  };
  factors.forEach(([name, levels], f) => {
    // Each combination of the other factors is one stratum; the effect is their equal-weight average.
    const strata = all.length / levels.length;
    for (let l = 1; l < levels.length; l++) {
      const weights = new Map<string, number>();
      for (const c of all) {
        if (c[f] === l) add(weights, c, 1 / strata);
        else if (c[f] === 0) add(weights, c, -1 / strata);
      }
      out.push({ term: name, kind: "main", contrast: `${levels[l]} vs ${levels[0]}`, weights });
    }
  });
  for (let f = 0; f < factors.length; f++) {
    for (let g = f + 1; g < factors.length; g++) {
      const [fn, fl] = factors[f]!;
      const [gn, gl] = factors[g]!;
      const strata = all.length / (fl.length * gl.length);
      for (let a = 1; a < fl.length; a++) {
        for (let b = 1; b < gl.length; b++) {
          const weights = new Map<string, number>();
          for (const c of all) {
            const sf = c[f] === a ? 1 : c[f] === 0 ? -1 : 0;
            const sg = c[g] === b ? 1 : c[g] === 0 ? -1 : 0;
            if (sf !== 0 && sg !== 0) add(weights, c, (sf * sg) / strata);
          }
          out.push({
            term: `${fn} × ${gn}`,
            kind: "interaction",
            contrast: `(${fl[a]} vs ${fl[0]}) × (${gl[b]} vs ${gl[0]})`,
            weights,
          });
        }
      }
    }
  }
  return out;
}

/** The experiment's inference: its method, and for group-sequential the boundary on |z| and level at this look. */
export interface FactorialInference {
  alpha: number;
  correction: Correction;
  method?: "fixed" | "sequential" | "group_sequential" | "bayesian";
  tuningN?: number;
  boundary?: number;
  nominalAlpha?: number;
}

/** The factorial terms of each metric (guardrails' p-values are left uncorrected, as in the main analysis). */
export function analyzeFactorial(factors: Factors, metrics: readonly MetricJson[], o: FactorialInference): FactorialJson {
  const { alpha, correction } = o;
  const contrasts = factorialContrasts(factors);
  const inference = o.method === "sequential" || (o.method === "group_sequential" && o.boundary !== undefined) ? o.method : "fixed";
  const z = inference === "group_sequential" ? o.boundary! : normalQuantile(1 - alpha / 2);
  const level = inference === "group_sequential" ? (o.nominalAlpha ?? alpha) : alpha;
  const out: FactorialMetricJson[] = metrics.map((m) => {
    const thin = cells(factors)
      .map((c) => cellKey(factors, c))
      .filter((k) => !((m.variants[k]?.n ?? 0) >= 2 && Number.isFinite(m.variants[k]?.mean) && Number.isFinite(m.variants[k]?.variance)));
    if (thin.length)
      return {
        metric: m.metric,
        terms: [],
        skipped: `cell${thin.length > 1 ? "s" : ""} ${thin.map((k) => `"${k}"`).join(", ")} ha${thin.length > 1 ? "ve" : "s"} no estimate with a variance yet (under 2 units, or too few events)`,
      };
    const terms = contrasts.map((c) => {
      let estimate = 0;
      let variance = 0;
      for (const [key, w] of c.weights) {
        const v = m.variants[key]!;
        estimate += w * v.mean!;
        variance += (w * w * v.variance!) / v.n;
      }
      const se = Math.sqrt(variance);
      if (inference === "sequential") {
        const n = [...c.weights.keys()].reduce((a, k) => a + m.variants[k]!.n, 0);
        const cs = confidenceSequence(estimate, se, n, alpha, o.tuningN ?? 5000);
        return { c, estimate, se, p: cs.pValue, ci: cs.ci };
      }
      const p = se > 0 ? 2 * normalSf(Math.abs(estimate / se)) : NaN;
      return { c, estimate, se, p, ci: [estimate - z * se, estimate + z * se] as [number, number] };
    });
    const adjusted =
      m.tier === "guardrail"
        ? terms.map((t) => t.p)
        : adjustPValues(
            terms.map((t) => t.p),
            correction,
          );
    return {
      metric: m.metric,
      terms: terms.map((t, i) => ({
        term: t.c.term,
        kind: t.c.kind,
        contrast: t.c.contrast,
        estimate: num(t.estimate),
        se: num(t.se),
        ci: pair(t.ci),
        p_value: num(t.p),
        p_value_adjusted: num(adjusted[i]!),
        significant: adjusted[i]! < level,
      })),
    };
  });
  return { factors: Object.fromEntries(factors.map(([n, l]) => [n, [...l]])), inference, metrics: out };
}
