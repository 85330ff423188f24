import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  chiSquarePower,
  cohensH,
  minimumDetectableEffect,
  normalPower,
  powerForEffect,
  sampleSize,
  tTestPower,
} from "../../src/stats/power.js";
import { readVectors } from "../helpers/vectors.js";

const statsmodels = readVectors("statsmodels-power/power-vectors.json");
const spotify = readVectors("spotify-confidence/samplesize-vectors.json");

describe("statsmodels / R pwr power vectors (to 1e-6, as upstream asserts)", () => {
  for (const [i, c] of statsmodels.cases.entries()) {
    test(`${i}: ${c.kind} ${c.alternative ?? ""} d=${c.effect_size}`, () => {
      let got: number;
      if (c.kind === "one_sample_t") got = tTestPower(c.effect_size, c.nobs1, 0, c.alpha, c.alternative);
      else if (c.kind === "two_sample_t") got = tTestPower(c.effect_size, c.nobs1, c.ratio, c.alpha, c.alternative);
      else if (c.kind === "two_sample_normal") got = normalPower(c.effect_size, c.nobs1, c.ratio, c.alpha, c.alternative);
      else got = chiSquarePower(c.effect_size, c.nobs, c.n_bins, c.alpha);
      assert.ok(Math.abs(got - c.expected_power) < 1e-6, `${got} vs ${c.expected_power}`);
    });
  }
});

/*
 * Spotify Confidence sample sizes (G*Power references, upstream relative tolerance). Spotify's
 * convention, which these cases use: no multiple-comparison correction (correction "none"), binomial
 * variance p0(1 − p0) of the baseline, allocations [1/2, 1/4, 1/4] for control_vs_all and equal
 * shares for all_vs_all. Our sampleSize powers every comparison, which for these symmetric designs
 * equals Spotify's average over comparisons.
 */
describe("Spotify Confidence sample-size vectors", () => {
  for (const c of spotify.cases) {
    test(c.id, () => {
      const variance = c.metric === "binomial" ? c.baseline_proportion * (1 - c.baseline_proportion) : c.baseline_variance;
      const mde = c.absolute_mde ?? c.average_absolute_mde;
      const scheme = c.comparisons ?? "control_vs_all";
      const shares = c.treatments === 2 ? [1, 1] : scheme === "control_vs_all" ? [2, 1, 1] : [1, 1, 1];
      const s = sampleSize({ mde, variance, alpha: c.alpha, power: c.power, shares, comparisons: scheme, correction: "none" });
      assert.ok(Math.abs(s.total - c.expected_total) <= c.rtol * c.expected_total, `${s.total} vs ${c.expected_total} (rtol ${c.rtol})`);
      assert.ok(
        Math.abs(s.total - spotify.spotify_formula_outputs_for_reference[c.id]) <= 2,
        `formula: ${s.total} vs ${spotify.spotify_formula_outputs_for_reference[c.id]}`,
      );
    });
  }

  test("Bonferroni over k − 1 comparisons needs more units than no correction", () => {
    const base = { mde: 0.003, variance: 0.34 * 0.66, alpha: 0.05, power: 0.85, shares: [2, 1, 1] };
    const plain = sampleSize({ ...base, correction: "none" });
    const bonf = sampleSize({ ...base, correction: "bonferroni" });
    assert.equal(bonf.alphaPerComparison, 0.025);
    assert.ok(bonf.total > plain.total * 1.15 && bonf.total < plain.total * 1.3, `${bonf.total} vs ${plain.total}`);
  });
});

describe("MDE and power are consistent", () => {
  test("power at the MDE equals the target power", () => {
    const mde = minimumDetectableEffect({ variance: 4, alpha: 0.05, power: 0.8, units: [5000, 5000] });
    assert.ok(Math.abs(powerForEffect(mde, 4, 5000, 5000, 0.05) - 0.8) < 1e-12);
  });
  test("Cohen's h of equal proportions is 0 and is antisymmetric", () => {
    assert.equal(cohensH(0.3, 0.3), 0);
    assert.ok(Math.abs(cohensH(0.2, 0.3) + cohensH(0.3, 0.2)) < 1e-15);
  });
});
