import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { banditWeights, probabilityBestBeta, probabilityBestNormal, type BanditArm } from "../../src/stats/bandit.js";

// 1e7 joint posterior draws per case from test/stats/bandit-monte-carlo.py (seed in its header).
const mc = JSON.parse(readFileSync("test/stats/bandit-monte-carlo.json", "utf8"));

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe("P(best) against 1e7 Monte Carlo draws", () => {
  for (const [kind, fn] of [
    ["beta", probabilityBestBeta],
    ["normal", probabilityBestNormal],
  ] as const) {
    for (const c of mc[kind]) {
      test(`${kind}: ${c.name}`, () => {
        const got = fn(c.arms);
        assert.ok(Math.abs(sum(got) - 1) < 1e-9, `sum ${sum(got)}`);
        got.forEach((p, i) => {
          // Five Monte Carlo standard errors (at least 5 draws' worth where no draw made the arm best).
          const tol = 5 * Math.max(c.standard_error[i], 1 / mc.draws);
          assert.ok(Math.abs(p - c.probability_best[i]) <= tol, `arm ${i}: ${p} vs ${c.probability_best[i]} ± ${tol}`);
        });
      });
    }
  }
});

describe("P(best) exact cases", () => {
  test("identical arms get exactly 1/k, at any size", () => {
    for (const n of [0, 100, 1e7]) {
      for (const k of [2, 3, 5]) {
        const arms = Array.from({ length: k }, () => ({ n, sum: Math.round(n * 0.03) }));
        assert.deepEqual(probabilityBestBeta(arms), Array(k).fill(1 / k), `beta n=${n} k=${k}`);
        if (n >= 2) {
          const normal = Array.from({ length: k }, () => ({ n, sum: n * 2, sumSq: n * 4 + (n - 1) * 9 }));
          assert.deepEqual(probabilityBestNormal(normal), Array(k).fill(1 / k), `normal n=${n} k=${k}`);
        }
      }
    }
  });

  test("arms with identical posteriors get identical probabilities among others", () => {
    const p = probabilityBestBeta([
      { n: 1e6, sum: 10000 },
      { n: 1e6, sum: 10100 },
      { n: 1e6, sum: 10000 },
    ]);
    assert.equal(p[0], p[2]);
    assert.ok(Math.abs(sum(p) - 1) < 1e-9);
  });

  test("deterministic: the same statistics give the same bits", () => {
    const arms = [
      { n: 5e6, sum: 250000 },
      { n: 5e6, sum: 250400 },
      { n: 5e6, sum: 249800 },
    ];
    assert.deepEqual(probabilityBestBeta(arms), probabilityBestBeta(arms));
  });
});

describe("degenerate normal arms", () => {
  const arm = (values: number[]): BanditArm => ({ n: values.length, sum: sum(values), sumSq: sum(values.map((v) => v * v)) });

  test("an arm whose units all have the same value takes the pooled variance instead of certainty (it was NaN)", () => {
    const p = probabilityBestNormal([arm([0, 0, 0, 0]), arm([1, 0, 2, 1]), arm([0, 1, 0, 1])]);
    assert.ok(
      p.every((x) => Number.isFinite(x) && x > 0 && x < 1),
      `${p}`,
    );
    assert.ok(Math.abs(sum(p) - 1) < 1e-9);
  });

  test("no spread anywhere: the arms with the highest mean share P(best)", () => {
    assert.deepEqual(probabilityBestNormal([arm([1, 1]), arm([2, 2, 2]), arm([2, 2])]), [0, 0.5, 0.5]);
    assert.deepEqual(probabilityBestNormal([arm([0, 0]), arm([0, 0, 0])]), [0.5, 0.5]);
  });

  test("too few units or non-finite statistics give NaN, never a number that looks valid", () => {
    assert.ok(probabilityBestNormal([arm([1]), arm([1, 2])]).every(Number.isNaN));
    assert.ok(probabilityBestNormal([{ n: 3, sum: NaN, sumSq: 1 }, arm([1, 2])]).every(Number.isNaN));
    assert.ok(
      probabilityBestBeta([
        { n: 3, sum: 4 },
        { n: 3, sum: 1 },
      ]).every(Number.isNaN),
    );
    assert.ok(banditWeights([NaN, 0.5], 0.01).every(Number.isNaN));
    assert.ok(banditWeights([0, 0], 0.01).every(Number.isNaN));
  });
});
