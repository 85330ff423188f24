import { betaBinomialComparison, normalEffectPosterior, type BayesianResult, type NormalPrior } from "./bayesian.js";
import { compareCupac, fitCupac, type CupacFit } from "./cupac.js";
import { compareCuped, cupedVarianceReduction, pooledCovariateMean, pooledTheta } from "./cuped.js";
import { summarizeCupedOutcome, summarizeMean, summarizeRatio, type ArmResult } from "./moments.js";
import { summarizeQuantile } from "./quantile.js";
import { compareClustered, summarizeClustered } from "./clustered.js";
import { compareRatioCuped, fitRatioCuped, ratioCovariateUsable, ratioOutcome, type RatioCupedFit } from "./ratio-cuped.js";
import { confidenceSequence } from "./sequential.js";
import { twoProportionZTest } from "./proportions.js";
import { compareMeans, failedComparison } from "./welch.js";
import type { CupedJson, MetricDesign } from "./analysis-types.js";
import { num, pair } from "./analysis-types.js";
import type { Comparison, CupacStats, CupedStats, Method, RatioCupedStats, SufficientStats } from "./types.js";

/** One treatment-vs-control comparison of one metric, before multiple-testing correction. */
export interface MetricComparison {
  readonly variant: string;
  readonly comparison: Comparison;
  readonly cuped?: CupedJson;
  readonly bayes?: BayesianResult;
}

export interface MetricAnalysis {
  readonly arms: Record<string, ArmResult>;
  readonly comparisons: MetricComparison[];
}

export interface MetricContext {
  readonly method: Method;
  readonly alpha: number;
  readonly control: string;
  readonly variants: readonly string[];
  readonly tuningN: number;
  readonly prior?: NormalPrior;
  /** Group-sequential boundary on |z| at this look (method group_sequential). */
  readonly boundary?: number;
}

function summarize(s: SufficientStats | undefined): ArmResult {
  if (!s) return { code: "EMPTY_ARM", n: 0, mean: NaN, variance: NaN };
  switch (s.kind) {
    case "mean":
      return summarizeMean(s);
    case "ratio":
      return summarizeRatio(s);
    case "cuped":
      return summarizeCupedOutcome(s);
    case "cupac":
      return summarizeMean({ kind: "mean", n: s.n, sum: s.sumY, sumSq: s.sumY2 });
    case "ratio_cuped":
      return summarizeRatio(ratioOutcome(s));
    case "quantile":
      return summarizeQuantile(s);
    case "clustered":
      return summarizeClustered(s);
  }
}

/** Ratio and quantile metrics use normal (z) inference; the others Welch's t. */
function degreesOfFreedom(s: SufficientStats | undefined): "welch" | number {
  return s && (s.kind === "ratio" || s.kind === "ratio_cuped" || s.kind === "quantile") ? Infinity : "welch";
}

function asSequential(c: Comparison, nTotal: number, ctx: MetricContext): Comparison {
  if (c.code !== "OK" && c.code !== "ZERO_CONTROL_MEAN") return c;
  const abs = confidenceSequence(c.diff, c.se, nTotal, ctx.alpha, ctx.tuningN);
  const rel = confidenceSequence(c.relLift, c.relSe, nTotal, ctx.alpha, ctx.tuningN);
  return { ...c, diffCi: abs.ci, relCi: rel.ci, pValue: abs.pValue };
}

export function analyzeMetric(
  design: MetricDesign,
  byVariant: Readonly<Record<string, SufficientStats>>,
  ctx: MetricContext,
): MetricAnalysis {
  const arms: Record<string, ArmResult> = {};
  for (const v of ctx.variants) arms[v] = summarize(byVariant[v]);
  const cupedWanted = design.cuped !== false && design.kind !== "quantile";
  const all = ctx.variants.map((v) => byVariant[v]).filter((s): s is SufficientStats => s !== undefined);
  const cupedArms = all.length === ctx.variants.length && all.every((s) => s.kind === "cuped") ? (all as CupedStats[]) : undefined;
  const useCuped = cupedWanted && cupedArms !== undefined;
  const theta = useCuped ? pooledTheta(cupedArms) : NaN;
  const centre = useCuped ? pooledCovariateMean(cupedArms) : NaN;
  const reduction = useCuped ? cupedVarianceReduction(cupedArms, theta) : NaN;
  const ratioArms =
    all.length === ctx.variants.length && all.every((s) => s.kind === "ratio_cuped") ? (all as RatioCupedStats[]) : undefined;
  // Without a pre-period in some arm there is no covariate: the ratio is reported unadjusted.
  const fitted = cupedWanted && ratioArms && ratioCovariateUsable(ratioArms) ? fitRatioCuped(ratioArms) : undefined;
  const ratioFit: RatioCupedFit | undefined = fitted?.usable ? fitted : undefined;
  const cupacArms = all.length === ctx.variants.length && all.every((s) => s.kind === "cupac") ? (all as CupacStats[]) : undefined;
  const cupacFit: CupacFit | undefined = cupedWanted && cupacArms ? fitCupac(cupacArms) : undefined;

  const comparisons: MetricComparison[] = [];
  const controlStats = byVariant[ctx.control];
  for (const variant of ctx.variants) {
    if (variant === ctx.control) continue;
    const treatmentStats = byVariant[variant];
    let comparison: Comparison;
    let cuped: CupedJson | undefined;
    if (!treatmentStats || !controlStats) {
      comparison = failedComparison("EMPTY_ARM");
      if (cupedWanted) cuped = { applied: false };
    } else if (
      (useCuped && treatmentStats.kind === "cuped" && controlStats.kind === "cuped") ||
      (ratioFit && treatmentStats.kind === "ratio_cuped" && controlStats.kind === "ratio_cuped")
    ) {
      const ratio = treatmentStats.kind === "ratio_cuped" && controlStats.kind === "ratio_cuped";
      const r = ratio
        ? compareRatioCuped(treatmentStats, controlStats, ratioFit!, ctx.alpha)
        : compareCuped(treatmentStats as CupedStats, controlStats as CupedStats, theta, centre, ctx.alpha, reduction);
      comparison = r.adjusted;
      cuped = {
        applied: true,
        theta: num(ratio ? r.theta : theta),
        variance_reduction: num(ratio ? r.varianceReduction : reduction),
        unadjusted: { diff: num(r.unadjusted.diff), diff_ci: pair(r.unadjusted.diffCi), p_value: num(r.unadjusted.pValue) },
      };
    } else if (cupacFit && treatmentStats.kind === "cupac" && controlStats.kind === "cupac") {
      const r = compareCupac(treatmentStats, controlStats, cupacFit, ctx.alpha);
      comparison = r.adjusted;
      cuped = {
        applied: true,
        variance_reduction: num(cupacFit.varianceReduction),
        covariates: cupacFit.covariates.map((c, j) => ({ covariate: c, theta: num(cupacFit.theta[j]!), used: cupacFit.used[j]! })),
        single_covariate_reduction: num(cupacFit.firstCovariateReduction),
        unadjusted: { diff: num(r.unadjusted.diff), diff_ci: pair(r.unadjusted.diffCi), p_value: num(r.unadjusted.pValue) },
      };
    } else if (treatmentStats.kind === "clustered" && controlStats.kind === "clustered") {
      comparison = compareClustered(treatmentStats, controlStats, ctx.alpha);
      if (cupedWanted) cuped = { applied: false };
    } else {
      // One arm without variance still allows a comparison (the other carries the SE); other arm problems
      // do not, and their code says why (an arm without a variance would otherwise read as zero variance).
      const problem = [arms[variant]!, arms[ctx.control]!].find((a) => a.code !== "OK" && a.code !== "ZERO_VARIANCE");
      comparison = problem
        ? failedComparison(problem.code)
        : compareMeans(arms[variant]!, arms[ctx.control]!, ctx.alpha, degreesOfFreedom(treatmentStats));
      if (
        design.test === "z" &&
        design.kind === "conversion" &&
        treatmentStats.kind === "mean" &&
        controlStats.kind === "mean" &&
        comparison.code === "OK"
      ) {
        const z = twoProportionZTest(treatmentStats.sum, treatmentStats.n, controlStats.sum, controlStats.n, ctx.alpha);
        comparison = { ...comparison, pValue: z.pValue, diffCi: z.diffCi, df: Infinity };
      }
      if (cupedWanted) cuped = { applied: false };
    }
    let bayes: { kind: "absolute" | "relative"; result: BayesianResult } | undefined;
    if (ctx.method === "sequential") {
      comparison = asSequential(comparison, arms[variant]!.n + arms[ctx.control]!.n, ctx);
    } else if (ctx.method === "group_sequential" && ctx.boundary !== undefined && comparison.code === "OK") {
      // Repeated confidence intervals: the boundary replaces the fixed-horizon quantile.
      const c = ctx.boundary;
      comparison = {
        ...comparison,
        diffCi: [comparison.diff - c * comparison.se, comparison.diff + c * comparison.se],
        relCi: [comparison.relLift - c * comparison.relSe, comparison.relLift + c * comparison.relSe],
      };
    } else if (ctx.method === "bayesian" && comparison.code === "OK") {
      const view = bayesianView(design, treatmentStats, controlStats, comparison, cuped?.applied === true, ctx);
      bayes = view;
      // The posterior is on the raw effect; rel_lift and rel_ci report it, the absolute stays frequentist.
      if (view.kind === "relative") {
        comparison = { ...comparison, relLift: view.result.mean, relCi: view.result.ci, pValue: NaN };
      } else {
        comparison = { ...comparison, diffCi: view.result.ci, pValue: NaN };
      }
    }
    comparisons.push({ variant, comparison, cuped, bayes: bayes?.result });
  }
  return { arms, comparisons };
}

/**
 * Bayesian view of one comparison: Beta(1, 1) priors for unadjusted conversions, otherwise the
 * normal model on the relative lift (CUPED-adjusted when CUPED applies). Chance to win and the
 * losses are turned to the metric's good direction.
 */
function bayesianView(
  design: MetricDesign,
  t: SufficientStats | undefined,
  c: SufficientStats | undefined,
  comparison: Comparison,
  cupedApplied: boolean,
  ctx: MetricContext,
): { kind: "absolute" | "relative"; result: BayesianResult } {
  const good = (design.direction ?? "increase") === "increase";
  let kind: "absolute" | "relative";
  let r: BayesianResult;
  if (design.kind === "conversion" && !cupedApplied && t?.kind === "mean" && c?.kind === "mean") {
    kind = "absolute";
    r = betaBinomialComparison(t.sum, t.n, c.sum, c.n, ctx.alpha);
  } else {
    kind = "relative";
    r = normalEffectPosterior(comparison.relLift, comparison.relSe, ctx.alpha, ctx.prior);
  }
  if (good) return { kind, result: r };
  return {
    kind,
    result: {
      ...r,
      chanceToWin: r.chanceToLose,
      chanceToLose: r.chanceToWin,
      expectedLoss: r.expectedLossControl,
      expectedLossControl: r.expectedLoss,
    },
  };
}
