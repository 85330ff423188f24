import { chiSquareQuantile, chiSquareSf, normalCdf, normalPdf, normalQuantile, noncentralTCdf, studentQuantile } from "./distributions.js";
import { logGamma } from "./log-gamma.js";
import type { Correction } from "./types.js";

/**
 * Power, minimum detectable effect and sample size for fixed-horizon tests.
 *
 * Multiple arms: each treatment is compared with control (or every pair, `all_vs_all`), and every
 * comparison must reach the power on its own. The multiple-testing family is the comparisons
 * times the `metrics` tested (primary and secondary, as in the analysis). With correction "none"
 * each comparison is sized at α (Spotify Confidence's convention, used for its vectors); with
 * "bonferroni", "holm" or "bh" (the analysis default) at α / family. That is exact for Bonferroni
 * and a conservative bound for Holm and Benjamini–Hochberg: a hypothesis Bonferroni rejects, Holm
 * and BH reject too, so each comparison reaches at least the stated power under them; how much
 * less BH needs depends on how many of the other hypotheses are true effects, which a design
 * cannot know.
 */

export type Alternative = "two-sided" | "larger" | "smaller";

export function zPower(shift: number, alpha: number, alternative: Alternative): number {
  if (alternative === "two-sided") {
    const crit = normalQuantile(1 - alpha / 2);
    return normalCdf(shift - crit) + normalCdf(-shift - crit);
  }
  const crit = normalQuantile(1 - alpha);
  return alternative === "larger" ? normalCdf(shift - crit) : normalCdf(-shift - crit);
}

/**
 * Power of a z-test with standardized effect d (Cohen's d, or Cohen's h for proportions).
 * ratio = n2/n1; ratio 0 means a one-sample test.
 */
export function normalPower(d: number, n1: number, ratio: number, alpha: number, alternative: Alternative = "two-sided"): number {
  const nEff = ratio === 0 ? n1 : (n1 * n1 * ratio) / (n1 + n1 * ratio);
  return zPower(d * Math.sqrt(nEff), alpha, alternative);
}

/** Power of a t-test: one-sample (ratio 0) or pooled two-sample, via the noncentral t. */
export function tTestPower(d: number, n1: number, ratio: number, alpha: number, alternative: Alternative = "two-sided"): number {
  const oneSample = ratio === 0;
  const n2 = n1 * ratio;
  const df = oneSample ? n1 - 1 : n1 + n2 - 2;
  const nc = oneSample ? d * Math.sqrt(n1) : d * Math.sqrt((n1 * n2) / (n1 + n2));
  if (alternative === "two-sided") {
    const crit = studentQuantile(1 - alpha / 2, df);
    return 1 - noncentralTCdf(crit, df, nc) + noncentralTCdf(-crit, df, nc);
  }
  const crit = studentQuantile(1 - alpha, df);
  return alternative === "larger" ? 1 - noncentralTCdf(crit, df, nc) : noncentralTCdf(-crit, df, nc);
}

/** Upper tail of the noncentral χ² as a Poisson mixture of central χ² upper tails (never 1 − cdf). */
function noncentralChiSquareSf(x: number, df: number, nc: number): number {
  const lambda = nc / 2;
  let total = 0;
  for (let j = 0; j < 2000; j++) {
    const weight = Math.exp(-lambda + j * Math.log(lambda || 1) - logGamma(j + 1));
    const term = (lambda === 0 ? (j === 0 ? 1 : 0) : weight) * chiSquareSf(x, df + 2 * j);
    total += term;
    if (j > lambda && term < 1e-17) break;
  }
  return total;
}

/** Power of Pearson's χ² goodness-of-fit test with effect size w over N observations and k bins. */
export function chiSquarePower(w: number, nobs: number, bins: number, alpha: number): number {
  const df = bins - 1;
  const crit = chiSquareQuantile(1 - alpha, df);
  return noncentralChiSquareSf(crit, df, nobs * w * w);
}

/** Cohen's h for two proportions. */
export function cohensH(p1: number, p2: number): number {
  return 2 * Math.asin(Math.sqrt(p1)) - 2 * Math.asin(Math.sqrt(p2));
}

export type ComparisonScheme = "control_vs_all" | "all_vs_all";

/** Which comparisons a design makes and how the analysis corrects them. */
export interface ComparisonFamily {
  readonly comparisons?: ComparisonScheme;
  /** The analysis' correction; default "bh", the analysis default (sized as Bonferroni, see above). */
  readonly correction?: Correction;
  /** Metrics in the correction family (primary and secondary); default 1. */
  readonly metrics?: number;
}

/** A design to size: level, power and traffic shares. */
export interface SizingDesign extends ComparisonFamily {
  readonly alpha: number;
  readonly power: number;
  /** Traffic shares per arm, control first; they are normalised. */
  readonly shares: readonly number[];
}

export interface SampleSizeInput extends SizingDesign {
  /** Absolute effect to detect, in the metric's units (proportion points for conversions). */
  readonly mde: number;
  /** Per-unit variance of the metric; p(1 − p) for a conversion with baseline p. */
  readonly variance: number;
}

export interface SampleSize {
  /** Units over all arms. */
  readonly total: number;
  readonly perArm: readonly number[];
  /** α used for each comparison. */
  readonly alphaPerComparison: number;
  /** The correction the sizing assumed, how it was applied, and the family it covered. */
  readonly correction: SizingCorrection;
}

export interface SizingCorrection {
  /** The analysis correction the design is sized for. */
  readonly method: Correction;
  /** "bonferroni" for bonferroni, holm and bh (exact for the first, a conservative bound for the others); "none" for none. */
  readonly sizedAs: "bonferroni" | "none";
  /** Comparisons per metric (k − 1 against control, or k(k − 1)/2 for all pairs). */
  readonly comparisons: number;
  readonly metrics: number;
  /** comparisons × metrics: the number of tests α is shared among. */
  readonly family: number;
}

/** The α each comparison is sized at, for k arms × m metrics under the analysis' correction. */
export function sizingCorrection(
  alpha: number,
  comparisons: number,
  method: Correction = "bh",
  metrics = 1,
): SizingCorrection & { alphaPerComparison: number } {
  const family = comparisons * metrics;
  const sizedAs = method === "none" ? "none" : "bonferroni";
  return { method, sizedAs, comparisons, metrics, family, alphaPerComparison: sizedAs === "none" ? alpha : alpha / family };
}

export function pairs(k: number, scheme: ComparisonScheme): [number, number][] {
  const out: [number, number][] = [];
  if (scheme === "control_vs_all") for (let j = 1; j < k; j++) out.push([0, j]);
  else for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) out.push([i, j]);
  return out;
}

/**
 * Total sample size so that every comparison reaches `power` for a two-sided z-test at the
 * per-comparison α: N = (z_{1−α/2} + z_{power})² · var · (1/p_i + 1/p_j) / mde², maximised over pairs.
 */
export function sampleSize(input: SampleSizeInput): SampleSize {
  const scheme = input.comparisons ?? "control_vs_all";
  const totalShare = input.shares.reduce((a, b) => a + b, 0);
  const shares = input.shares.map((s) => s / totalShare);
  const comparisons = pairs(shares.length, scheme);
  const { alphaPerComparison: alphaPer, ...correction } = sizingCorrection(
    input.alpha,
    comparisons.length,
    input.correction,
    input.metrics,
  );
  const z = normalQuantile(1 - alphaPer / 2) + normalQuantile(input.power);
  let worst = 0;
  for (const [i, j] of comparisons) worst = Math.max(worst, 1 / shares[i]! + 1 / shares[j]!);
  const total = Math.ceil((z * z * input.variance * worst) / (input.mde * input.mde));
  return { total, perArm: shares.map((s) => Math.ceil(total * s)), alphaPerComparison: alphaPer, correction };
}

export interface MdeInput extends ComparisonFamily {
  readonly variance: number;
  readonly alpha: number;
  readonly power: number;
  /** Units per arm, control first. */
  readonly units: readonly number[];
}

/**
 * Smallest absolute effect every comparison detects with the given power (two-sided z). Solved
 * exactly, counting the far tail of the two-sided test as statsmodels does, by Newton steps from
 * the usual (z_{1−α/2} + z_power) approximation.
 */
export function minimumDetectableEffect(input: MdeInput): number {
  const scheme = input.comparisons ?? "control_vs_all";
  const comparisons = pairs(input.units.length, scheme);
  const alphaPer = sizingCorrection(input.alpha, comparisons.length, input.correction, input.metrics).alphaPerComparison;
  const crit = normalQuantile(1 - alphaPer / 2);
  let worst = 0;
  for (const [i, j] of comparisons) worst = Math.max(worst, 1 / input.units[i]! + 1 / input.units[j]!);
  let shift = crit + normalQuantile(input.power);
  for (let k = 0; k < 20; k++) {
    const f = zPower(shift, alphaPer, "two-sided") - input.power;
    const d = normalPdf(shift - crit) - normalPdf(-shift - crit);
    const step = f / d;
    shift -= step;
    if (Math.abs(step) < 1e-15 * shift) break;
  }
  return shift * Math.sqrt(input.variance * worst);
}

/** Power of a two-sided z-test for an absolute effect with per-unit variance and arm sizes. */
export function powerForEffect(effect: number, variance: number, nT: number, nC: number, alpha: number): number {
  return zPower(effect / Math.sqrt(variance * (1 / nT + 1 / nC)), alpha, "two-sided");
}
