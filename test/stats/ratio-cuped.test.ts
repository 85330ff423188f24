import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { analyzeStats } from "../../src/stats/experiment.js";
import { compareRatioCuped, fitRatioCuped, ratioOutcome } from "../../src/stats/ratio-cuped.js";
import { compareMeans } from "../../src/stats/welch.js";
import { summarizeRatio } from "../../src/stats/moments.js";
import type { AnalysisInput } from "../../src/stats/analysis-types.js";
import type { RatioCupedStats } from "../../src/stats/types.js";
import { mulberry32 } from "../helpers/prng.js";

interface UnitRow {
  num: number;
  den: number;
  preNum: number;
  preDen: number;
}

function sums(rows: readonly UnitRow[]): RatioCupedStats {
  const s = {
    n: 0,
    sumNum: 0,
    sumDen: 0,
    sumNum2: 0,
    sumDen2: 0,
    sumNumDen: 0,
    sumPreNum: 0,
    sumPreDen: 0,
    sumPreNum2: 0,
    sumPreDen2: 0,
    sumPreNumPreDen: 0,
    sumNumPreNum: 0,
    sumNumPreDen: 0,
    sumDenPreNum: 0,
    sumDenPreDen: 0,
  };
  for (const r of rows) {
    s.n++;
    s.sumNum += r.num;
    s.sumDen += r.den;
    s.sumNum2 += r.num * r.num;
    s.sumDen2 += r.den * r.den;
    s.sumNumDen += r.num * r.den;
    s.sumPreNum += r.preNum;
    s.sumPreDen += r.preDen;
    s.sumPreNum2 += r.preNum * r.preNum;
    s.sumPreDen2 += r.preDen * r.preDen;
    s.sumPreNumPreDen += r.preNum * r.preDen;
    s.sumNumPreNum += r.num * r.preNum;
    s.sumNumPreDen += r.num * r.preDen;
    s.sumDenPreNum += r.den * r.preNum;
    s.sumDenPreDen += r.den * r.preDen;
  }
  return { kind: "ratio_cuped", ...s };
}

/**
 * Units with an activity level and a click propensity kept across periods; only `history` of them
 * have a pre-period at all (the others have a zero pre-period denominator). `lift` scales the
 * in-window propensity.
 */
function simulate(rand: () => number, n: number, history: number, lift = 1): UnitRow[] {
  const rows: UnitRow[] = [];
  const draw = (activity: number, p: number) => {
    const den = 1 + Math.floor(12 * activity * (0.8 + 0.4 * rand()));
    let num = 0;
    for (let k = 0; k < den; k++) if (rand() < p) num++;
    return { num, den };
  };
  for (let i = 0; i < n; i++) {
    const activity = rand();
    const p = 0.02 + 0.6 * rand() * rand();
    const post = draw(activity, Math.min(1, p * lift));
    const pre = rand() < history ? draw(activity, p) : { num: 0, den: 0 };
    rows.push({ num: post.num, den: post.den, preNum: pre.num, preDen: pre.den });
  }
  return rows;
}

function input(stats: Record<string, RatioCupedStats | ReturnType<typeof ratioOutcome>>): AnalysisInput {
  return {
    experiment: "e",
    phase: 1,
    method: "fixed",
    alpha: 0.05,
    correction: "none",
    srmThreshold: 0.001,
    control: "control",
    variants: [
      { key: "control", weight: 1 },
      { key: "treatment", weight: 1 },
    ],
    metrics: [{ metric: "ctr", tier: "primary", kind: "ratio", cuped: true }],
    units: { control: stats["control"]!.n, treatment: stats["treatment"]!.n },
    multipleExposures: 0,
    stats: { ctr: stats },
  };
}

describe("ratio CUPED", () => {
  test("the sums reproduce an explicit per-unit linearisation, units without a pre-period included", () => {
    const rand = mulberry32(7);
    const arms = { control: simulate(rand, 400, 0.2), treatment: simulate(rand, 380, 0.2, 1.1) };
    // Per unit, within each arm: Ylin = (num − Y·den)/mean(den), Xlin = (preNum − X·preDen)/mean(preDen).
    const lin = (rows: UnitRow[]) => {
      const n = rows.length;
      const sum = (f: (r: UnitRow) => number) => rows.reduce((a, r) => a + f(r), 0);
      const y = sum((r) => r.num) / sum((r) => r.den),
        x = sum((r) => r.preNum) / sum((r) => r.preDen);
      const md = sum((r) => r.den) / n,
        mpd = sum((r) => r.preDen) / n;
      return { n, y, x, yl: rows.map((r) => (r.num - y * r.den) / md), xl: rows.map((r) => (r.preNum - x * r.preDen) / mpd) };
    };
    const cov = (a: number[], b: number[]) => {
      const ma = a.reduce((s, v) => s + v, 0) / a.length,
        mb = b.reduce((s, v) => s + v, 0) / b.length;
      return a.reduce((s, v, i) => s + (v - ma) * (b[i]! - mb), 0) / (a.length - 1);
    };
    const c = lin(arms.control),
      t = lin(arms.treatment);
    const theta = (cov(c.yl, c.xl) + cov(t.yl, t.xl)) / (cov(c.xl, c.xl) + cov(t.xl, t.xl));
    const adj = (a: typeof c) => a.yl.map((v, i) => v - theta * a.xl[i]!);
    const diff = t.y - c.y - theta * (t.x - c.x);
    const se = Math.sqrt(cov(adj(t), adj(t)) / t.n + cov(adj(c), adj(c)) / c.n);

    const st = sums(arms.treatment),
      sc = sums(arms.control);
    const fit = fitRatioCuped([sc, st]);
    const r = compareRatioCuped(st, sc, fit, 0.05).adjusted;
    assert.ok(Math.abs(fit.theta - theta) < 1e-10 * Math.abs(theta), `theta ${fit.theta} vs ${theta}`);
    assert.ok(Math.abs(r.diff - diff) < 1e-12, `diff ${r.diff} vs ${diff}`);
    assert.ok(Math.abs(r.se - se) < 1e-10 * se, `se ${r.se} vs ${se}`);
    // Four in five units have no pre-period: the covariate still carries information, but less of it.
    assert.ok(fit.theta > 0 && fit.varianceReduction > 0 && fit.varianceReduction < 0.5, `reduction ${fit.varianceReduction}`);
  });

  test("an arm without any pre-period denominator is reported unadjusted", () => {
    const rand = mulberry32(11);
    const control = sums(simulate(rand, 300, 0.5));
    const treatment = sums(simulate(rand, 300, 0, 1.1));
    assert.equal(treatment.sumPreDen, 0);
    const withCovariate = analyzeStats(input({ control, treatment })).metrics[0]!.comparisons[0]!;
    const plain = analyzeStats(input({ control: ratioOutcome(control), treatment: ratioOutcome(treatment) })).metrics[0]!.comparisons[0]!;
    assert.deepEqual(withCovariate.cuped, { applied: false });
    assert.equal(withCovariate.p_value, plain.p_value);
    assert.deepEqual(withCovariate.diff_ci, plain.diff_ci);
  });

  test("analyze JSON: adjusted numbers on top, the plain ratio comparison under cuped.unadjusted", () => {
    const rand = mulberry32(3);
    const control = sums(simulate(rand, 600, 0.9));
    const treatment = sums(simulate(rand, 600, 0.9, 1.15));
    const c = analyzeStats(input({ control, treatment })).metrics[0]!.comparisons[0]!;
    const plain = compareMeans(summarizeRatio(ratioOutcome(treatment)), summarizeRatio(ratioOutcome(control)), 0.05, Infinity);
    assert.equal(c.cuped?.applied, true);
    assert.ok((c.cuped?.variance_reduction ?? 0) > 0.2, `variance reduction ${c.cuped?.variance_reduction}`);
    assert.deepEqual(c.cuped?.unadjusted, { diff: plain.diff, diff_ci: [plain.diffCi[0], plain.diffCi[1]], p_value: plain.pValue });
    // A strong covariate narrows the interval.
    assert.ok(c.diff_ci[1]! - c.diff_ci[0]! < plain.diffCi[1] - plain.diffCi[0]);
  });

  test("A/A: false-positive rate and coverage with 60% of units lacking a pre-period", () => {
    const seed = process.env.EXP_SIM_SEED ? Number(process.env.EXP_SIM_SEED) : 2027;
    const rand = mulberry32(seed);
    const runs = 1500;
    let rejections = 0,
      covered = 0,
      narrower = 0;
    for (let r = 0; r < runs; r++) {
      const t = sums(simulate(rand, 200 + Math.floor(rand() * 200), 0.4));
      const c = sums(simulate(rand, 200 + Math.floor(rand() * 200), 0.4));
      const out = compareRatioCuped(t, c, fitRatioCuped([c, t]), 0.05);
      assert.equal(out.adjusted.code, "OK");
      if (out.adjusted.pValue < 0.05) rejections++;
      if (out.adjusted.diffCi[0] <= 0 && 0 <= out.adjusted.diffCi[1]) covered++;
      if (out.adjusted.se < out.unadjusted.se) narrower++;
    }
    const fpr = rejections / runs,
      coverage = covered / runs;
    console.log(`ratio CUPED A/A seed ${seed}: false-positive rate ${fpr}, coverage ${coverage}, narrower ${narrower / runs}`);
    assert.ok(fpr >= 0.035 && fpr <= 0.065, `false-positive rate ${fpr} (seed ${seed})`);
    assert.ok(coverage >= 0.935 && coverage <= 0.965, `coverage ${coverage} (seed ${seed})`);
    assert.ok(narrower / runs > 0.9, `adjusted SE smaller in ${narrower} of ${runs}`);
  });
});
