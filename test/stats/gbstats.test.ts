import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { compareMeans, welchDf } from "../../src/stats/welch.js";
import { summarizeMean, summarizeRatio } from "../../src/stats/moments.js";
import { summarizeQuantile } from "../../src/stats/quantile.js";
import { compareCuped, cupedVarianceReduction, pooledCovariateMean, pooledTheta } from "../../src/stats/cuped.js";
import { adjustRatioArm, compareRatioCuped, fitRatioCuped } from "../../src/stats/ratio-cuped.js";
import { confidenceSequence } from "../../src/stats/sequential.js";
import { normalEffectPosterior, normalRisk } from "../../src/stats/bayesian.js";
import { srmCheck } from "../../src/stats/srm.js";
import { studentQuantile, twoSidedP } from "../../src/stats/distributions.js";
import type { ArmSummary, CupedStats, RatioCupedStats } from "../../src/stats/types.js";
import { readVectors } from "../helpers/vectors.js";

/*
 * GrowthBook gbstats vectors (test/fixtures/vectors/gbstats). Convention map:
 * - GrowthBook's "absolute" test is our Welch comparison: expected → diff, ci → diff_ci, pValue → p_value,
 *   uplift.stddev → the SE of diff.
 * - GrowthBook's "relative" test reports (mean_t − mean_c)/mean_c, which is our rel_lift, and its
 *   uplift.stddev is our delta-method SE of rel_lift (relSe). GrowthBook builds the relative CI and p-value
 *   with Student t on Welch's df; we report a normal rel_ci and take the p-value from the absolute test,
 *   so for those vectors the test rebuilds GrowthBook's t-based numbers from our relLift, relSe and df.
 * - "proportion" statistics use the population variance p(1 − p); our conversions use the n − 1 sample
 *   variance, so these vectors are fed to compareMeans as explicit arm summaries.
 * - CUPED ("regression_adjusted"): θ pooled over both arms, relative effect over the unadjusted
 *   control mean, as in compareCuped.
 * - Ratio CUPED ("regression_adjusted_ratio"): compareRatioCuped, θ = Σ_arms cov(Ylin, Xlin) / Σ_arms var(Xlin)
 *   as GrowthBook's compute_theta_regression_adjusted_ratio; its relative CI and p-value are normal.
 * - Sequential: confidenceSequence on (relLift, relSe, n_t + n_c).
 * - Bayesian: GrowthBook's Gaussian model on the relative lift is normalEffectPosterior.
 * Not mapped: one-sided tests and the CUPED proportion case (population variances).
 */
const vectors = readVectors("gbstats/gbstats-vectors.json");
const byId = new Map<string, any>(vectors.cases.map((c: any) => [c.id, c]));

function near(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected}`);
}

function arm(s: any): ArmSummary {
  if (s.type === "proportion") {
    const p = s.sum / s.n;
    return { n: s.n, mean: p, variance: p * (1 - p) };
  }
  if (s.type === "ratio") {
    return summarizeRatio({
      kind: "ratio",
      n: s.n,
      sumNum: s.m.sum,
      sumDen: s.d.sum,
      sumNum2: s.m.sum_squares,
      sumDen2: s.d.sum_squares,
      sumNumDen: s.m_d_sum_of_products,
    });
  }
  return summarizeMean({ kind: "mean", n: s.n, sum: s.sum, sumSq: s.sum_squares });
}

function cuped(s: any): CupedStats {
  return {
    kind: "cuped",
    n: s.n,
    sumY: s.post.sum,
    sumY2: s.post.sum_squares,
    sumX: s.pre.sum,
    sumX2: s.pre.sum_squares,
    sumXY: s.post_pre_sum_of_products,
  };
}

function ratioCuped(s: any): RatioCupedStats {
  return {
    kind: "ratio_cuped",
    n: s.n,
    sumNum: s.m_post.sum,
    sumDen: s.d_post.sum,
    sumNum2: s.m_post.sum_squares,
    sumDen2: s.d_post.sum_squares,
    sumNumDen: s.m_post_d_post_sum_of_products,
    sumPreNum: s.m_pre.sum,
    sumPreDen: s.d_pre.sum,
    sumPreNum2: s.m_pre.sum_squares,
    sumPreDen2: s.d_pre.sum_squares,
    sumPreNumPreDen: s.m_pre_d_pre_sum_of_products,
    sumNumPreNum: s.m_post_m_pre_sum_of_products,
    sumNumPreDen: s.m_post_d_pre_sum_of_products,
    sumDenPreNum: s.m_pre_d_post_sum_of_products,
    sumDenPreDen: s.d_post_d_pre_sum_of_products,
  };
}

function relative(c: any) {
  if (c.control.type === "regression_adjusted_ratio") {
    const t = ratioCuped(c.treatment),
      a = ratioCuped(c.control);
    return compareRatioCuped(t, a, fitRatioCuped([t, a]), 0.05).adjusted;
  }
  if (c.control.type === "regression_adjusted") {
    const t = cuped(c.treatment),
      a = cuped(c.control);
    const theta = pooledTheta([t, a]);
    return compareCuped(t, a, theta, pooledCovariateMean([t, a]), 0.05, cupedVarianceReduction([t, a], theta)).adjusted;
  }
  return compareMeans(arm(c.treatment), arm(c.control), 0.05);
}

describe("gbstats frequentist vectors", () => {
  test("absolute Welch test → diff, diff_ci, p_value, SE", () => {
    const c = byId.get("freq.two_sided.absolute");
    const r = compareMeans(arm(c.treatment), arm(c.control), 0.05);
    const e = c.computed_full_precision;
    near(r.diff, e.expected, 1e-12, "diff");
    near(r.diffCi[0], e.ci[0], 1e-9, "ci lower");
    near(r.diffCi[1], e.ci[1], 1e-9, "ci upper");
    near(r.pValue, e.pValue, 1e-9, "p");
    near(r.se, e.uplift.stddev, 1e-12, "se");
  });

  for (const id of [
    "freq.two_sided.relative",
    "freq.two_sided.binomial.relative",
    "pipeline.count.frequentist",
    "pipeline.ratio.frequentist",
    "pipeline.cuped_count.frequentist",
    "freq.two_sided.ratio_cuped.relative",
    "pipeline.ratio_cuped.frequentist",
  ]) {
    test(`relative: ${id} → rel_lift and its delta-method SE`, () => {
      const c = byId.get(id);
      const r = relative(c);
      const e = c.computed_full_precision;
      near(r.relLift, e.expected, 1e-9, "rel_lift");
      near(r.relSe, e.uplift.stddev, 1e-9, "rel SE");
      if (c.control.type === "sample_mean" || c.control.type === "proportion") {
        // GrowthBook's t-based relative CI and p-value, rebuilt from our numbers and Welch df.
        const df = welchDf(arm(c.treatment), arm(c.control));
        const q = studentQuantile(0.975, df);
        near(r.relLift - q * r.relSe, e.ci[0], 1e-8, "t-based ci lower");
        near(r.relLift + q * r.relSe, e.ci[1], 1e-8, "t-based ci upper");
        near(twoSidedP(r.relLift / r.relSe, df), e.pValue, 1e-8, "t-based p");
      }
      if (c.control.type === "regression_adjusted_ratio") {
        // GrowthBook's t-based relative CI and p-value use Welch df over the adjusted arms' variances;
        // ours are normal, so rebuild theirs from our relLift, relSe and the adjusted arms.
        const t = ratioCuped(c.treatment),
          a = ratioCuped(c.control);
        const fit = fitRatioCuped([t, a]);
        const df = welchDf(adjustRatioArm(t, fit.theta, fit.centre), adjustRatioArm(a, fit.theta, fit.centre));
        const q = studentQuantile(0.975, df);
        near(r.relLift - q * r.relSe, e.ci[0], 1e-8, "t-based ci lower");
        near(r.relLift + q * r.relSe, e.ci[1], 1e-8, "t-based ci upper");
        near(twoSidedP(r.relLift / r.relSe, df), e.pValue, 1e-8, "t-based p");
      }
    });
  }

  test("negative variance → NEGATIVE_VARIANCE, no numbers (GrowthBook: ZERO_NEGATIVE_VARIANCE)", () => {
    const c = byId.get("freq.two_sided.negative_variance_default_output");
    const a = arm(c.control);
    assert.ok(a.variance < 0);
    const r = compareMeans(arm(c.treatment), a, 0.05);
    assert.equal(r.code, "NEGATIVE_VARIANCE");
    assert.ok(Number.isNaN(r.pValue));
  });
});

describe("gbstats sequential vectors (Waudby-Smith)", () => {
  for (const id of [
    "seq.two_sided.tuning1000",
    "seq.two_sided.proportion.default_tuning",
    "seq.two_sided.cuped",
    "seq.two_sided.ratio_cuped",
    "pipeline.count.sequential_tuning600",
  ]) {
    test(id, () => {
      const c = byId.get(id);
      const r = relative(c);
      const tuning = c.config.sequential_tuning_parameter ?? 5000;
      const cs = confidenceSequence(r.relLift, r.relSe, c.treatment.n + c.control.n, 0.05, tuning);
      const e = c.computed_full_precision;
      near(r.relLift, e.expected, 1e-9, "estimate");
      near(cs.ci[0], e.ci[0], 1e-9, "cs lower");
      near(cs.ci[1], e.ci[1], 1e-9, "cs upper");
      near(cs.pValue, e.pValue, 1e-9, "p");
    });
  }
});

describe("gbstats Bayesian vectors (normal model on the relative lift)", () => {
  for (const id of [
    "bayes.gaussian.relative",
    "bayes.gaussian.relative.informative_prior",
    "bayes.binomial.relative",
    "pipeline.count.bayesian",
    "pipeline.ratio.bayesian",
  ]) {
    test(id, () => {
      const c = byId.get(id);
      const r = relative(c);
      const p = c.config.prior_effect?.proper ? { mean: c.config.prior_effect.mean, variance: c.config.prior_effect.variance } : undefined;
      const b = normalEffectPosterior(r.relLift, r.relSe, 0.05, p);
      const e = c.computed_full_precision;
      near(b.mean, e.expected, 1e-9, "posterior mean");
      near(b.ci[0], e.ci[0], 1e-9, "ci lower");
      near(b.ci[1], e.ci[1], 1e-9, "ci upper");
      near(b.chanceToWin, e.chanceToWin, 1e-9, "chance to win");
      near(b.expectedLossControl, e.risk[0], 1e-9, "risk of control");
      near(b.expectedLoss, e.risk[1], 1e-9, "risk of treatment");
    });
  }

  for (const id of [
    "bayes.quantile.absolute.improper_flat_prior",
    "bayes.quantile.absolute.informative_prior_var1",
    "bayes.quantile.relative.informative_prior_var1",
  ]) {
    // Quantile SEs come from the order-statistic interval in both engines, but GrowthBook's interval
    // arithmetic differs from ours by about 5e-5 relative (our z is the fixed 1.959964 the SQL layer
    // uses), so interval bounds are held to 1e-4 relative and the point estimates to 1e-6.
    // GrowthBook states priors on the relative scale; for an absolute effect they scale by mean_c.
    test(id, () => {
      const c = byId.get(id);
      const q = (s: any) =>
        summarizeQuantile({
          kind: "quantile",
          n: s.n,
          quantile: s.nu,
          value: s.quantile_hat,
          lower: s.quantile_lower,
          upper: s.quantile_upper,
        });
      const control = q(c.control);
      const r = compareMeans(q(c.treatment), control, 0.05, Infinity);
      const rel = c.config.difference_type === "relative";
      const scale = rel ? 1 : control.mean;
      const pe = c.config.prior_effect;
      const p = pe.proper ? { mean: pe.mean * scale, variance: pe.variance * scale * scale } : undefined;
      const b = normalEffectPosterior(rel ? r.relLift : r.diff, rel ? r.relSe : r.se, 0.05, p);
      const e = c.computed_full_precision;
      near(b.mean, e.expected, 1e-6 * Math.abs(e.expected), "posterior mean");
      near(b.ci[0], e.ci[0], 1e-4 * Math.abs(e.ci[0]), "ci lower");
      near(b.ci[1], e.ci[1], 1e-4 * Math.abs(e.ci[1]), "ci upper");
    });
  }

  test("risk utility cases", () => {
    for (const c of vectors.utility_cases.bayesian_risk.cases) {
      const [rc, rt] = normalRisk(c.mu, c.sigma);
      near(rc, c.expected[0], 1e-10, `risk control mu=${c.mu}`);
      near(rt, c.expected[1], 1e-10, `risk treatment mu=${c.mu}`);
    }
  });
});

describe("gbstats relative-difference utility", () => {
  test("rel_lift = mean_t / mean_c − 1 agrees with frequentist_diff for positive control means", () => {
    for (const c of vectors.utility_cases.frequentist_diff.cases) {
      const a = { n: 10, mean: c.mean_a, variance: 1 };
      const b = { n: 10, mean: c.mean_b, variance: 1 };
      const r = compareMeans(b, a, 0.05);
      if (!c.relative) near(r.diff, c.expected, 1e-12, "diff");
      else if (c.mean_a > 0 && c.mean_a_unadjusted === undefined) near(r.relLift, c.expected, 1e-12, "rel");
      // GrowthBook divides by |mean_c|; docs/analysis.md defines mean_t/mean_c − 1, so a negative control mean flips the sign.
      else if (c.mean_a_unadjusted === undefined) near(r.relLift, -c.expected, 1e-12, "rel with negative control");
    }
  });
});

describe("gbstats SRM regression vectors", () => {
  for (const c of vectors.generated_not_upstream.srm_check.cases) {
    test(`units ${c.users.join("/")} weights ${c.weights.map((w: number) => w.toFixed(2)).join("/")}`, () => {
      const r = srmCheck(c.users, c.weights, 0.001);
      if (c.weights.some((w: number) => w <= 0)) {
        // gbstats keeps df = arms − 1 even for zero-weight arms; we count only arms with weight,
        // so χ² is the same and df is one less.
        const expectedChi2 = (4900 - 5000) ** 2 / 5000 + (5100 - 5000) ** 2 / 5000;
        near(r.chi2, expectedChi2, 1e-9, "chi2");
        assert.equal(r.df, 1);
        near(Math.exp(-r.chi2 / 2), c.p_value, 1e-12, "gbstats p = chi2.sf(4, 2)");
      } else {
        near(r.pValue, c.p_value, 1e-9, "p");
      }
    });
  }
});
