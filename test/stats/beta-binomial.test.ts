import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { betaBinomialComparison } from "../../src/stats/bayesian.js";
import { mulberry32 } from "../helpers/prng.js";

// Closed forms in 50-digit decimals and SciPy quadrature from test/stats/tail-reference.py.
const ref = JSON.parse(readFileSync("test/stats/tail-reference.json", "utf8"));

function rel(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}

describe("Beta-binomial comparison against closed forms", () => {
  for (const c of ref.beta_binomial) {
    test(`${c.st}/${c.nt} vs ${c.sc}/${c.nc}`, () => {
      const r = betaBinomialComparison(c.st, c.nt, c.sc, c.nc, 0.05);
      rel(r.chanceToWin, c.chance_to_win, 1e-10, "P(win)");
      rel(r.chanceToLose, c.chance_to_lose, 1e-9, "P(lose)");
      rel(r.expectedLoss, c.expected_loss, 1e-6, "expected loss of the treatment");
      rel(r.expectedLossControl, c.expected_loss_control, 1e-6, "expected loss of control");
      rel(r.ci[0], c.diff_ci[0], 1e-8, "difference CI lower");
      rel(r.ci[1], c.diff_ci[1], 1e-8, "difference CI upper");
      rel(r.rateCi!.treatment[0], c.rate_ci_treatment[0], 1e-10, "treatment rate CI lower");
      rel(r.rateCi!.treatment[1], c.rate_ci_treatment[1], 1e-10, "treatment rate CI upper");
      rel(r.rateCi!.control[0], c.rate_ci_control[0], 1e-10, "control rate CI lower");
      rel(r.rateCi!.control[1], c.rate_ci_control[1], 1e-10, "control rate CI upper");
    });
  }
});

describe("Beta-binomial edge cases", () => {
  test("symmetric data give exactly 1/2 and equal losses (0/10 vs 0/10 gave 0.50046)", () => {
    for (const [s, n] of [
      [0, 10],
      [0, 0],
      [7, 7],
      [3, 1000],
      [100000, 10000000],
    ]) {
      const r = betaBinomialComparison(s!, n!, s!, n!, 0.05);
      assert.equal(r.chanceToWin, 0.5, `${s}/${n}`);
      assert.equal(r.chanceToLose, 0.5, `${s}/${n}`);
      assert.equal(r.expectedLoss, r.expectedLossControl, `${s}/${n}`);
      assert.equal(r.mean, 0);
    }
  });

  test("credible intervals stay inside [0, 1] for rates and [−1, 1] for the difference (the normal approximation left them)", () => {
    const r = betaBinomialComparison(10, 10, 0, 10, 0.05);
    // Normal approximation: 0.8333 ± 1.96·0.1110 reaches 1.05.
    assert.ok(r.ci[0] > -1 && r.ci[1] < 1, `${r.ci}`);
    assert.ok(r.rateCi!.treatment[1] < 1 && r.rateCi!.control[0] > 0);
    const seed = Number(process.env.EXP_STATS_SEED ?? 20261206);
    console.log(`# Beta-binomial interval seed ${seed}`);
    const random = mulberry32(seed);
    for (let i = 0; i < 40; i++) {
      const nT = Math.floor(random() * 50),
        nC = Math.floor(random() * 50);
      const sT = Math.floor(random() * (nT + 1)),
        sC = Math.floor(random() * (nC + 1));
      const x = betaBinomialComparison(sT, nT, sC, nC, 0.05);
      const what = `${sT}/${nT} vs ${sC}/${nC} (seed ${seed})`;
      assert.ok(x.ci[0] > -1 && x.ci[0] < x.mean && x.mean < x.ci[1] && x.ci[1] < 1, `${what}: ${x.ci}`);
      for (const [lo, hi] of [x.rateCi!.treatment, x.rateCi!.control]) assert.ok(lo > 0 && lo < hi && hi < 1, `${what}: ${lo}, ${hi}`);
      assert.ok(Math.abs(x.chanceToWin + x.chanceToLose - 1) < 1e-15, what);
    }
  });
});
