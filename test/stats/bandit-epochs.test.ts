// Effect estimates of a bandit across allocation epochs (src/stats/bandit-epochs.ts): pooling the arms is
// biased when the baseline drifts between epochs while the weights change; stratifying by epoch is not.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { banditEffects } from "../../src/stats/bandit-effects.js";
import { epochSrmCheck, stratifiedDifference } from "../../src/stats/bandit-epochs.js";
import type { MeanStats } from "../../src/stats/types.js";
import { mulberry32 } from "../helpers/prng.js";

const SEED = Number(process.env.EXP_BANDIT_EPOCH_SEED ?? 20261206);

/** Baseline conversion per epoch drifts upward while the bandit moves the treatment's share. */
const EPOCHS = [
  { baseline: 0.1, treatmentShare: 0.5 },
  { baseline: 0.2, treatmentShare: 0.8 },
  { baseline: 0.3, treatmentShare: 0.2 },
];
const EFFECT = 0.02;
const UNITS_PER_EPOCH = 6000;

function conversions(random: () => number, n: number, p: number): MeanStats {
  let sum = 0;
  for (let i = 0; i < n; i++) if (random() < p) sum++;
  return { kind: "mean", n, sum, sumSq: sum };
}

function simulate(random: () => number) {
  return EPOCHS.map(({ baseline, treatmentShare }) => {
    let nt = 0;
    for (let i = 0; i < UNITS_PER_EPOCH; i++) if (random() < treatmentShare) nt++;
    return {
      control: conversions(random, UNITS_PER_EPOCH - nt, baseline),
      treatment: conversions(random, nt, baseline + EFFECT),
      units: UNITS_PER_EPOCH,
    };
  });
}

/** The naive estimate: both arms pooled over every epoch. */
function pooled(strata: ReturnType<typeof simulate>): number {
  const sum = (arm: "control" | "treatment") => strata.reduce((a, s) => a + s[arm].sum, 0);
  const n = (arm: "control" | "treatment") => strata.reduce((a, s) => a + s[arm].n, 0);
  return sum("treatment") / n("treatment") - sum("control") / n("control");
}

describe("stratified effect across allocation epochs", () => {
  test(`simulation (seed ${SEED}): pooled is biased under drift and reweighting, stratified is not`, () => {
    console.log(`# bandit epoch simulation seed ${SEED}`);
    const random = mulberry32(SEED);
    const R = 200;
    let stratifiedSum = 0;
    let pooledSum = 0;
    let covered = 0;
    let se = 0;
    for (let r = 0; r < R; r++) {
      const strata = simulate(random);
      const est = stratifiedDifference(strata, 0.05)!;
      assert.equal(est.epochsUsed, 3);
      stratifiedSum += est.estimate;
      pooledSum += pooled(strata);
      se += est.se / R;
      if (est.ci[0] <= EFFECT && EFFECT <= est.ci[1]) covered++;
    }
    const stratifiedMean = stratifiedSum / R;
    const pooledMean = pooledSum / R;
    // The mean of R estimates has standard error se/√R.
    const seOfMean = se / Math.sqrt(R);
    assert.ok(Math.abs(stratifiedMean - EFFECT) < 4 * seOfMean, `stratified ${stratifiedMean} vs ${EFFECT} (SE of mean ${seOfMean})`);
    // Expected pooled value: treatment units sit in the high-baseline epoch 2, control's in epoch 3.
    const tShare = EPOCHS.map((e) => e.treatmentShare);
    const cShare = tShare.map((t) => 1 - t);
    const expectedPooled =
      EPOCHS.reduce((a, e, i) => a + tShare[i]! * (e.baseline + EFFECT), 0) / tShare.reduce((a, b) => a + b, 0) -
      EPOCHS.reduce((a, e, i) => a + cShare[i]! * e.baseline, 0) / cShare.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(pooledMean - expectedPooled) < 4 * seOfMean, `pooled ${pooledMean} vs ${expectedPooled}`);
    assert.ok(Math.abs(pooledMean - EFFECT) > 20 * seOfMean, `pooled ${pooledMean} should be far from ${EFFECT}`);
    // One analysis' 95% interval covers the true effect about 95% of the time (binomial 3 SD: 186–200 of 200).
    assert.ok(covered >= 180, `coverage ${covered}/${R}`);
  });

  test("by hand: two epochs, weights by epoch size, variance Σ w² (s²_t/n_t + s²_c/n_c)", () => {
    const m = (n: number, values: number[]): MeanStats => ({
      kind: "mean",
      n,
      sum: values.reduce((a, b) => a + b, 0),
      sumSq: values.reduce((a, b) => a + b * b, 0),
    });
    const e1 = { control: m(3, [1, 2, 3]), treatment: m(2, [4, 6]), units: 5 };
    const e2 = { control: m(2, [10, 12]), treatment: m(3, [11, 13, 15]), units: 15 };
    const r = stratifiedDifference([e1, e2], 0.05)!;
    // Epoch 1: 5 − 2 = 3, var 2/2 + 1/3; epoch 2: 13 − 11 = 2, var 4/3 + 2/2; weights 1/4, 3/4.
    assert.ok(Math.abs(r.estimate - (0.25 * 3 + 0.75 * 2)) < 1e-12);
    assert.ok(Math.abs(r.se - Math.sqrt(0.0625 * (1 + 1 / 3) + 0.5625 * (4 / 3 + 1))) < 1e-12);
    assert.equal(
      stratifiedDifference([{ ...e1, control: m(1, [1]) }], 0.05),
      undefined,
      "an epoch without two units per arm cannot be used",
    );
  });

  test("banditEffects compares each treatment to control on per-unit means and skips other kinds", () => {
    const mean = (n: number, sum: number): MeanStats => ({ kind: "mean", n, sum, sumSq: sum });
    const epoch = {
      units: { a: 100, b: 100 },
      stats: {
        conv: { a: mean(100, 10), b: mean(100, 20) },
        ratio: { a: { kind: "ratio", n: 100, sumNum: 1, sumDen: 2, sumNum2: 1, sumDen2: 4, sumNumDen: 2 } as const, b: mean(1, 1) },
      },
    };
    const r = banditEffects([epoch, epoch], { control: "a", variants: ["a", "b"], metrics: ["conv", "ratio"], alpha: 0.05 });
    assert.equal(r.epochs, 2);
    assert.deepEqual(r.skipped, ["ratio"]);
    assert.equal(r.effects.length, 1);
    assert.ok(Math.abs(r.effects[0]!.difference! - 0.1) < 1e-12);
    assert.equal(r.effects[0]!.epochs_used, 2);
  });
});

describe("epochSrmCheck", () => {
  test("units in an arm whose weight was 0 in their epoch are a mismatch outright", () => {
    const r = epochSrmCheck(
      [
        { units: [50, 50], weights: [1, 1] },
        { units: [3, 40], weights: [0, 1] },
      ],
      0.001,
    );
    assert.equal(r.pValue, 0);
    assert.equal(r.ok, false);
  });
  test("an epoch without units adds nothing", () => {
    const r = epochSrmCheck(
      [
        { units: [50, 50], weights: [1, 1] },
        { units: [0, 0], weights: [1, 3] },
      ],
      0.001,
    );
    assert.equal(r.df, 1);
    assert.equal(r.chi2, 0);
    assert.equal(r.pValue, 1);
  });
});
