import { adjustPValues } from "./correction.js";
import { decide } from "./decision.js";
import { evaluateGuardrail } from "./guardrail.js";
import { analyzeMetric, type MetricAnalysis } from "./metric-analysis.js";
import { srmCheck } from "./srm.js";
import { analyzeFactorial } from "./factorial.js";
import { analyzeDimension } from "./dimensions.js";
import { analyzeFairness } from "./fairness.js";
import { epochSrmJson } from "./bandit-epochs.js";
import { normalSf } from "./distributions.js";
import { groupSequentialBounds } from "./group-sequential.js";
import {
  num,
  pair,
  type AnalysisInput,
  type AnalysisResult,
  type ComparisonJson,
  type MetricDesign,
  type MetricJson,
} from "./analysis-types.js";

const TIER_ORDER = { primary: 0, secondary: 1, guardrail: 2 } as const;

/**
 * The whole fixed-horizon (or sequential, or Bayesian) analysis of one experiment from its
 * per-variant sufficient statistics: SRM, per-metric comparisons, multiple-testing correction
 * over (treatment × primary and secondary metrics) in metric-then-variant order, guardrails and
 * the decision. Pure; never throws on data problems.
 */
export function analyzeStats(input: AnalysisInput): AnalysisResult {
  const notes: string[] = [];
  const variantKeys = input.variants.map((v) => v.key);
  const control = variantKeys.includes(input.control) ? input.control : (variantKeys[0] ?? input.control);
  if (control !== input.control) notes.push(`Control "${input.control}" is not a variant; "${control}" was used as control.`);
  let method = input.method;
  let gs: AnalysisResult["group_sequential"];
  if (method === "group_sequential") {
    const plan = input.groupSequential;
    const fraction = plan?.informationFraction ?? (plan ? plan.look / plan.looks : NaN);
    if (!plan || !(plan.looks >= 1) || !(plan.look >= 1) || plan.look > plan.looks || !(fraction > 0 && fraction <= 1)) {
      notes.push("Group-sequential analysis needs the planned number of looks and the current look; fixed-horizon inference is reported.");
      method = "fixed";
    } else {
      const spending = plan.spending ?? "obrien_fleming";
      const times = Array.from({ length: plan.look }, (_, j) => (fraction * (j + 1)) / plan.look);
      const boundary = groupSequentialBounds(times, input.alpha, spending)[plan.look - 1]!;
      gs = {
        look: plan.look,
        looks: plan.looks,
        spending,
        information_fraction: fraction,
        boundary,
        nominal_alpha: 2 * normalSf(boundary),
      };
    }
  }

  const units: Record<string, number> = {};
  for (const v of variantKeys) units[v] = input.units[v] ?? 0;
  const srmRaw = srmCheck(
    variantKeys.map((v) => units[v]!),
    input.variants.map((v) => v.weight),
    input.srmThreshold,
  );
  const srm = input.srmEpochs?.length
    ? epochSrmJson(variantKeys, input.srmEpochs, input.srmThreshold)
    : { chi2: num(srmRaw.chi2), p_value: num(srmRaw.pValue), threshold: input.srmThreshold, ok: srmRaw.ok };

  // Stable sort keeps declaration order within a tier.
  const ordered: MetricDesign[] = [...input.metrics].sort((a, b) => TIER_ORDER[a.tier] - TIER_ORDER[b.tier]);
  const ctx = {
    method,
    alpha: input.alpha,
    control,
    variants: variantKeys,
    tuningN: input.tuningN ?? 5000,
    prior: input.prior,
    boundary: gs?.boundary,
  };
  // A comparison is significant when its adjusted p-value is below the level of this look.
  const level = gs ? gs.nominal_alpha : input.alpha;
  const analyses: MetricAnalysis[] = ordered.map((m) => analyzeMetric(m, input.stats[m.metric] ?? {}, ctx));

  // The correction family, in metric order then variant order.
  const family: { metric: number; comparison: number }[] = [];
  ordered.forEach((m, i) => {
    if (m.tier === "guardrail") return;
    analyses[i]!.comparisons.forEach((_, j) => family.push({ metric: i, comparison: j }));
  });
  const adjusted = adjustPValues(
    family.map((f) => analyses[f.metric]!.comparisons[f.comparison]!.comparison.pValue),
    input.correction,
  );
  const adjustedOf = new Map<string, number>();
  family.forEach((f, k) => adjustedOf.set(`${f.metric}/${f.comparison}`, adjusted[k]!));

  const metrics: MetricJson[] = ordered.map((m, i) => {
    const a = analyses[i]!;
    const variants: MetricJson["variants"] = {};
    for (const v of variantKeys) variants[v] = { n: a.arms[v]!.n, mean: num(a.arms[v]!.mean), variance: num(a.arms[v]!.variance) };
    const comparisons: ComparisonJson[] = a.comparisons.map((mc, j) => {
      const c = mc.comparison;
      const pAdj = m.tier === "guardrail" ? c.pValue : (adjustedOf.get(`${i}/${j}`) ?? NaN);
      const out: ComparisonJson = {
        variant: mc.variant,
        code: c.code,
        diff: num(c.diff),
        diff_ci: pair(c.diffCi),
        rel_lift: num(c.relLift),
        rel_ci: pair(c.relCi),
        p_value: num(c.pValue),
        p_value_adjusted: num(pAdj),
        significant: false,
      };
      if (method === "bayesian") {
        const ctw = mc.bayes?.chanceToWin ?? NaN;
        out.chance_to_win = num(ctw);
        out.expected_loss = num(mc.bayes?.expectedLoss ?? NaN);
        out.significant = ctw > 1 - input.alpha / 2 || ctw < input.alpha / 2;
      } else {
        out.significant = (c.code === "OK" || c.code === "ZERO_CONTROL_MEAN") && pAdj < level;
      }
      if (mc.cuped) out.cuped = mc.cuped;
      return out;
    });
    return { metric: m.metric, tier: m.tier, kind: m.kind, direction: m.direction ?? "increase", variants, comparisons };
  });

  const guardrails = ordered.flatMap((m, i) =>
    m.tier === "guardrail" ? [evaluateGuardrail(m, analyses[i]!.comparisons, input.alpha)] : [],
  );
  const fairness = input.fairness ? analyzeFairness(input.fairness, ordered, ctx) : undefined;
  const decision = decide({
    ...(fairness ? { fairness } : {}),
    method,
    srm,
    metrics,
    guardrails,
    units,
    weights: new Map(input.variants.map((v) => [v.key, v.weight])),
    control,
    design: input.decision,
  });
  const result: AnalysisResult = {
    experiment: input.experiment,
    phase: input.phase,
    method,
    alpha: input.alpha,
    correction: input.correction,
    units,
    multiple_exposures: input.multipleExposures,
    srm,
    metrics,
    guardrails,
    decision,
  };
  if (gs) result.group_sequential = gs;
  if (input.factors?.length)
    result.factorial = analyzeFactorial(input.factors, metrics, {
      alpha: input.alpha,
      correction: input.correction,
      method,
      tuningN: ctx.tuningN,
      boundary: gs?.boundary,
      nominalAlpha: gs?.nominal_alpha,
    });
  if (fairness) result.fairness = fairness;
  if (input.dimensions?.length) {
    const o = { weights: input.variants.map((v) => v.weight), srmThreshold: input.srmThreshold, correction: input.correction, level };
    result.dimensions = input.dimensions.map((d) => analyzeDimension(d, ordered, ctx, o));
  }
  if (notes.length) result.notes = notes;
  return result;
}
