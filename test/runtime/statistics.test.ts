import { test } from "node:test";
import assert from "node:assert/strict";
import { compileRuleset } from "../../src/compiler/ruleset/compile.js";
import { createEvaluator } from "../../src/runtime/evaluator.js";
import { experiment, flag, workspace } from "./fixture.js";

/**
 * Statistical properties of assignment on 200,000 synthetic units. The tolerances are analytic
 * (binomial standard errors; the null distribution of Pearson's r has sd 1/sqrt(n)), so a correct
 * hash passes with overwhelming probability and a biased or correlated one fails.
 */
const N = 200_000;
const T0 = Date.parse("2026-12-10T00:00:00Z");
const units = Array.from({ length: N }, (_, i) =>
  i % 5 === 0 ? `user_${i}` : i % 5 === 1 ? `${i * 7919}` : i % 5 === 2 ? `sess-${i.toString(36)}` : i % 5 === 3 ? `ü${i}` : `u/${i}`,
);

test("variant shares are within 4 standard errors of the weights", () => {
  const weights = [50, 30, 15, 5];
  const ws = workspace({ experiments: [experiment("e", { variants: weights.map((w, i) => ({ key: `v${i}`, weight: w })) })] });
  const ev = createEvaluator(compileRuleset(ws).value);
  const counts = new Map<string, number>();
  for (const u of units) {
    const v = ev.assign("e", u, {}, T0).variant!;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  weights.forEach((w, i) => {
    const p = w / 100;
    const share = (counts.get(`v${i}`) ?? 0) / N;
    const se = Math.sqrt((p * (1 - p)) / N);
    assert.ok(Math.abs(share - p) < 4 * se, `v${i}: share ${share} vs ${p} (se ${se})`);
  });
});

test("traffic share is within 4 standard errors, and a rollout 10% → 50% keeps every unit already in", () => {
  const ws = workspace({
    experiments: [experiment("e", { traffic: 0.3 })],
    flags: [
      flag("f", {
        rules: [
          {
            kind: "rollout",
            name: "r",
            variant: "on",
            holdout: true,
            steps: [
              { at: "2026-12-01T00:00:00Z", percent: 10 },
              { at: "2026-12-05T00:00:00Z", percent: 50 },
            ],
          },
        ],
      }),
    ],
  });
  const ev = createEvaluator(compileRuleset(ws).value);
  let enrolled = 0;
  let at10 = 0;
  let at50 = 0;
  for (const u of units) {
    if (ev.assign("e", u, {}, T0).inExperiment) enrolled++;
    const early = ev.evaluate("f", u, {}, Date.parse("2026-12-02T00:00:00Z")).value === true;
    const late = ev.evaluate("f", u, {}, Date.parse("2026-12-06T00:00:00Z")).value === true;
    if (early) {
      at10++;
      assert.ok(late, `unit ${u} left the rollout when it grew`);
    }
    if (late) at50++;
  }
  const check = (count: number, p: number, what: string) =>
    assert.ok(Math.abs(count / N - p) < 4 * Math.sqrt((p * (1 - p)) / N), `${what}: ${count / N} vs ${p}`);
  check(enrolled, 0.3, "traffic");
  check(at10, 0.1, "rollout at 10%");
  check(at50, 0.5, "rollout at 50%");
});

test("mutually exclusive experiments in one layer never share a unit, and fill their slot shares", () => {
  const ws = workspace({
    layers: ["l"],
    experiments: [
      experiment("a", { layer: "l", traffic: 0.4 }),
      experiment("b", { layer: "l", traffic: 0.35 }),
      experiment("c", { layer: "l", traffic: 0.25 }),
    ],
  });
  const ev = createEvaluator(compileRuleset(ws).value);
  const n = { a: 0, b: 0, c: 0 };
  for (const u of units) {
    const inIt = (["a", "b", "c"] as const).filter((k) => ev.assign(k, u, {}, T0).inExperiment);
    assert.equal(inIt.length, 1, `unit ${u} is in ${inIt.join(", ")}`);
    n[inIt[0]!]++;
  }
  for (const [k, p] of [
    ["a", 0.4],
    ["b", 0.35],
    ["c", 0.25],
  ] as const)
    assert.ok(Math.abs(n[k] / N - p) < 4 * Math.sqrt((p * (1 - p)) / N), `${k}: ${n[k] / N}`);
});

test("holdout units are never enrolled, and the holdout holds its share", () => {
  const ws = workspace({
    holdouts: { h: 0.05 },
    experiments: [experiment("e"), experiment("f", { traffic: 0.5 })],
    flags: [
      flag("g", {
        rules: [{ kind: "rollout", name: "all", variant: "on", holdout: true, steps: [{ at: "2020-01-01T00:00:00Z", percent: 100 }] }],
      }),
    ],
  });
  const ev = createEvaluator(compileRuleset(ws).value);
  let held = 0;
  for (const u of units) {
    const r = ev.assign("e", u, {}, T0);
    if (r.reasons[1] === "in_holdout:h") {
      held++;
      assert.equal(ev.assign("f", u, {}, T0).inExperiment, false);
      assert.equal(ev.evaluate("g", u, {}, T0).value, false);
      assert.equal(r.inExperiment, false);
    } else assert.equal(ev.evaluate("g", u, {}, T0).value, true);
  }
  assert.ok(Math.abs(held / N - 0.05) < 4 * Math.sqrt((0.05 * 0.95) / N), `holdout share ${held / N}`);
});

test("bumping phase re-randomises: correlation with the previous assignment |r| < 0.01", () => {
  const one = createEvaluator(compileRuleset(workspace({ experiments: [experiment("e", { phase: 1 })] })).value);
  const two = createEvaluator(compileRuleset(workspace({ experiments: [experiment("e", { phase: 2 })] })).value);
  const x = new Float64Array(N);
  const y = new Float64Array(N);
  let same = 0;
  for (let i = 0; i < N; i++) {
    x[i] = one.assign("e", units[i]!, {}, T0).variant === "treatment" ? 1 : 0;
    y[i] = two.assign("e", units[i]!, {}, T0).variant === "treatment" ? 1 : 0;
    if (x[i] === y[i]) same++;
  }
  const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < N; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  const r = sxy / Math.sqrt(sxx * syy);
  console.log(JSON.stringify({ phaseCorrelation: r, sameVariantShare: same / N }));
  assert.ok(Math.abs(r) < 0.01, `r = ${r}`);
  assert.ok(Math.abs(same / N - 0.5) < 4 * Math.sqrt(0.25 / N));
});

test("buckets are uniform: Pearson χ² over 100 bins stays inside the central 1 − 2·10⁻⁶ of χ²(99)", async () => {
  const { bucket } = await import("../../src/ruleset/hash.js");
  // Reference quantiles from SciPy: chi2.ppf(1e-6, 99) and chi2.ppf(1 - 1e-6, 99).
  const LOW = 45.83442398369618;
  const HIGH = 180.79201532577878;
  for (const seed of ["variant:checkout_redesign:1", "traffic:e:2", "layer:checkout", "holdout:global_2026"]) {
    const bins = new Array<number>(100).fill(0);
    for (const u of units) bins[Math.floor(bucket(seed, u) / 100)]!++;
    const expected = N / 100;
    const chi2 = bins.reduce((s, o) => s + (o - expected) ** 2 / expected, 0);
    assert.ok(chi2 > LOW && chi2 < HIGH, `${seed}: χ² = ${chi2}`);
  }
});
