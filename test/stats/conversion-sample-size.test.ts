import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { conversionMinimumDetectableEffect, conversionSampleSize } from "../../src/stats/conversion-sample-size.js";
import { minimumDetectableEffect, sampleSize, sizingCorrection } from "../../src/stats/power.js";
import { normalCdf, normalQuantile } from "../../src/stats/distributions.js";

// R 4.2 with rpact getSampleSizeRates and pwr.2p.test, from test/reference/r/power-and-boundaries.R:
// p ∈ {1%, 5%, 20%, 50%} × relative MDE ∈ {1%, 5%, 10%, 30%} × power ∈ {0.8, 0.9} × α ∈ {0.05, 0.01} × 2–4 arms.
const ref = JSON.parse(readFileSync("test/reference/r/power-and-boundaries.json", "utf8"));

/** Exact two-sided power of one comparison at per-arm sizes n (both arms), level a. */
function exactPower(p1: number, p2: number, n: number, a: number, pooled: boolean): number {
  const se1 = Math.sqrt((p1 * (1 - p1) + p2 * (1 - p2)) / n);
  const p = (p1 + p2) / 2;
  const se0 = pooled ? Math.sqrt((2 * p * (1 - p)) / n) : se1;
  const crit = normalQuantile(1 - a / 2) * se0;
  const d = Math.abs(p2 - p1);
  return normalCdf((d - crit) / se1) + normalCdf((-d - crit) / se1);
}

interface GridCase {
  baseline: number;
  mde: number;
  power: number;
  alpha: number;
  arms: number;
}

/** Every treatment against control with equal shares, the analysis-default correction over one metric. */
function size(c: GridCase, test?: "welch" | "pooled_z") {
  const shares = Array<number>(c.arms).fill(1);
  return conversionSampleSize({ baseline: c.baseline, relativeMde: c.mde, alpha: c.alpha, power: c.power, shares, test });
}

describe("conversion sample size against R", () => {
  test("test: pooled_z is rpact's getSampleSizeRates (to one unit per arm, within 0.5%) over the whole grid", () => {
    for (const c of ref.sample_size) {
      const s = size(c, "pooled_z");
      const what = `p=${c.baseline} mde=${c.mde} power=${c.power} α=${c.alpha} k=${c.arms}`;
      assert.ok(Math.abs(s.perArm[0]! - Math.ceil(c.rpact)) <= 1, `${what}: ${s.perArm[0]} vs rpact ${c.rpact}`);
      assert.ok(Math.abs(s.perArm[0]! / c.rpact - 1) < 0.005, what);
    }
  });

  test("the default (Welch, unpooled under H0 and H1) is the unpooled formula; within 0.5% of rpact and pwr except at p = 50%, +30%", () => {
    for (const c of ref.sample_size) {
      const s = size(c);
      const what = `p=${c.baseline} mde=${c.mde} power=${c.power} α=${c.alpha} k=${c.arms}`;
      assert.equal(s.test, "welch");
      assert.ok(Math.abs(s.perArm[0]! - Math.ceil(c.unpooled)) <= 1, `${what}: ${s.perArm[0]} vs ${c.unpooled}`);
      // Where p̄q̄ under H0 and (p₁q₁ + p₂q₂)/2 differ most (p = 0.5 vs 0.65), rpact's pooled critical
      // value needs up to 1.8% more, and the arcsine transform 1.5% more.
      const tol = c.baseline === 0.5 && c.mde === 0.3 ? 0.019 : 0.005;
      assert.ok(Math.abs(s.perArm[0]! / c.rpact - 1) < tol, `${what}: ${s.perArm[0]} vs rpact ${c.rpact}`);
      assert.ok(Math.abs(s.perArm[0]! / c.pwr - 1) < Math.max(tol, 0.0045), `${what}: ${s.perArm[0]} vs pwr ${c.pwr}`);
    }
  });

  test("every size reaches the power by the exact two-sided formula, and the closed form is tight", () => {
    for (const c of ref.sample_size) {
      for (const kind of ["welch", "pooled_z"] as const) {
        const s = size(c, kind);
        const p2 = c.baseline * (1 + c.mde);
        const a = c.alpha / (c.arms - 1);
        const n = s.perArm[0]!;
        const reached = exactPower(c.baseline, p2, n, a, kind === "pooled_z");
        assert.ok(Math.abs(reached - s.reachedPower) < 1e-12, `${kind}: ${reached} vs ${s.reachedPower}`);
        assert.ok(reached >= c.power, `${kind} ${JSON.stringify(c)}: ${reached}`);
        // The closed form counts the near tail only (as rpact and pwr do); the far tail adds at most
        // Φ(−2·z_{1−a/2}), so the exact power exceeds the target by no more than that plus a unit's worth.
        const farTail = normalCdf(-2 * normalQuantile(1 - a / 2));
        assert.ok(exactPower(c.baseline, p2, n - 2, a, kind === "pooled_z") < c.power + farTail, `${kind} ${JSON.stringify(c)}: not tight`);
      }
    }
  });

  test("p = 1%, +10%, power 0.9: 4.9% more units than the baseline-variance size (as 589,224 → 618,368), which reached 0.886", () => {
    const s = conversionSampleSize({ baseline: 0.01, relativeMde: 0.1, alpha: 0.05, power: 0.9, shares: [1, 1] });
    const old = sampleSize({ mde: 0.001, variance: 0.01 * 0.99, alpha: 0.05, power: 0.9, shares: [1, 1] });
    assert.ok(Math.abs(s.total / old.total - 618368 / 589224) < 1e-3, `${s.total} vs ${old.total}`);
    assert.ok(Math.abs(exactPower(0.01, 0.011, old.perArm[0]!, 0.05, false) - 0.8858) < 1e-4);
    assert.equal(s.variance.control, 0.01 * 0.99);
    assert.ok(Math.abs(s.variance.treatment - 0.011 * 0.989) < 1e-17);
  });
});

describe("the correction a design is sized for", () => {
  test("defaults to the analysis default (bh), sized as Bonferroni over comparisons × metrics", () => {
    const c = sizingCorrection(0.05, 3, undefined, 2);
    assert.deepEqual(c, { method: "bh", sizedAs: "bonferroni", comparisons: 3, metrics: 2, family: 6, alphaPerComparison: 0.05 / 6 });
    assert.equal(sizingCorrection(0.05, 3, "none", 2).alphaPerComparison, 0.05);
    assert.equal(sizingCorrection(0.05, 3, "holm").alphaPerComparison, 0.05 / 3);
  });

  test("sampleSize and minimumDetectableEffect follow it; two arms and one metric are unchanged", () => {
    const base = { mde: 0.01, variance: 0.25, alpha: 0.05, power: 0.8 };
    assert.equal(sampleSize({ ...base, shares: [1, 1] }).total, sampleSize({ ...base, shares: [1, 1], correction: "none" }).total);
    const three = sampleSize({ ...base, shares: [1, 1, 1], metrics: 2 });
    assert.equal(three.alphaPerComparison, 0.05 / 4);
    assert.deepEqual(three.correction, { method: "bh", sizedAs: "bonferroni", comparisons: 2, metrics: 2, family: 4 });
    assert.ok(three.total > sampleSize({ ...base, shares: [1, 1, 1], correction: "none" }).total);
    const mde = (correction?: "none") =>
      minimumDetectableEffect({ variance: 0.25, alpha: 0.05, power: 0.8, units: [1000, 1000, 1000], correction });
    assert.ok(mde() > mde("none"));
  });
});

describe("the conversion MDE for given units (the inverse, each arm's variance under the alternative)", () => {
  // SciPy brentq on the exact two-sided power, from test/stats/conversion-mde-reference.py.
  const mdeRef = JSON.parse(readFileSync("test/stats/conversion-mde-reference.json", "utf8"));
  for (const c of mdeRef.cases as {
    name: string;
    baseline: number;
    n_control: number;
    n_treatment: number;
    alpha: number;
    power: number;
    mde: number;
  }[]) {
    test(`${c.name}: matches SciPy to 1e-9`, () => {
      const got = conversionMinimumDetectableEffect({
        baseline: c.baseline,
        units: [c.n_control, c.n_treatment],
        alpha: c.alpha,
        power: c.power,
        correction: "none",
      });
      assert.ok(Math.abs(got - c.mde) <= 1e-9 * c.mde, `${got} vs ${c.mde}`);
    });
  }

  test("is the inverse of the sample size: the sized arms detect the MDE they were sized for, and one unit fewer does not", () => {
    for (const [baseline, mde] of [
      [0.01, 0.1],
      [0.05, 0.05],
      [0.3, -0.1],
    ] as const) {
      const design = { alpha: 0.05, power: 0.8, correction: "none" as const };
      const size = conversionSampleSize({ ...design, shares: [1, 1], baseline, relativeMde: Math.abs(mde) });
      const at = conversionMinimumDetectableEffect({ ...design, baseline, units: size.perArm });
      assert.ok(at <= Math.abs(mde) * (1 + 1e-9), `${baseline}: ${at} ≤ ${Math.abs(mde)}`);
      const fewer = conversionMinimumDetectableEffect({ ...design, baseline, units: size.perArm.map((n) => n - 1) });
      assert.ok(fewer > at, `${baseline}: fewer units detect less`);
    }
  });

  test("is Infinity when no rate below 1 reaches the power", () => {
    assert.equal(conversionMinimumDetectableEffect({ baseline: 0.9, units: [3, 3], alpha: 0.05, power: 0.99 }), Infinity);
  });
});
