import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeStats } from "../../src/stats/experiment.js";
import type { AnalysisInput, MetricDesign } from "../../src/stats/analysis-types.js";
import { minimumQuantileEvents, summarizeQuantile } from "../../src/stats/quantile.js";
import type { SufficientStats } from "../../src/stats/types.js";
import { mulberry32 } from "../helpers/prng.js";
import { quantileSufficientStats, type UnitEvent } from "./quantile-stats.js";

/*
 * A/A simulation of quantile metrics with several events per unit: each unit has 1–10 page loads whose
 * latencies share the unit's own level (log-latency = unit effect + event noise, both normal), as
 * real page loads of one visitor do. Both arms come from the same distribution, so the 95% interval of
 * the difference of p50, p95 and p99 must cover 0 in [0.93, 0.97] of 1,500 experiments. The sufficient
 * statistics are what the SQL returns (test/stats/quantile-stats.ts), simulated rather than queried.
 * Treating the events as independent covered about 70% of the time (p50), which this test catches.
 * The default seed is fixed so that the suite is reproducible; EXP_SIM_SEED=<n> runs (and replays) any other.
 */

const QUANTILES = [
  ["p50", 0.5],
  ["p95", 0.95],
  ["p99", 0.99],
] as const;

function simulation(seed: number) {
  const rand = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const arm = (units: number): UnitEvent[] => {
    const events: UnitEvent[] = [];
    for (let u = 0; u < units; u++) {
      const level = 0.6 * normal();
      const loads = 1 + Math.floor(rand() * 10);
      for (let j = 0; j < loads; j++) events.push({ unit: u, value: 300 * Math.exp(level + 0.5 * normal()) });
    }
    return events;
  };
  return { arm };
}

function aaInput(stats: Record<string, Record<string, SufficientStats>>): AnalysisInput {
  const metrics: MetricDesign[] = QUANTILES.map(([metric]) => ({ metric, tier: "secondary", kind: "quantile", direction: "decrease" }));
  return {
    experiment: "aa",
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
    metrics,
    units: { control: 400, treatment: 400 },
    multipleExposures: 0,
    stats,
  };
}

test("A/A: 95% intervals of p50, p95 and p99 cover 0 in [0.93, 0.97] with 1–10 events per unit", () => {
  const seed = process.env.EXP_SIM_SEED ? Number(process.env.EXP_SIM_SEED) : 2027;
  console.log(`quantile A/A simulation seed ${seed} (replay with EXP_SIM_SEED=${seed})`);
  const { arm } = simulation(seed);
  const runs = 1500;
  const covered: Record<string, number> = { p50: 0, p95: 0, p99: 0 };
  for (let r = 0; r < runs; r++) {
    const control = arm(400);
    const treatment = arm(400);
    const stats: Record<string, Record<string, SufficientStats>> = {};
    for (const [metric, q] of QUANTILES)
      stats[metric] = { control: quantileSufficientStats(control, q), treatment: quantileSufficientStats(treatment, q) };
    const result = analyzeStats(aaInput(stats));
    for (const m of result.metrics) {
      const c = m.comparisons[0]!;
      assert.equal(c.code, "OK", `${m.metric} in run ${r} (seed ${seed})`);
      if (c.diff_ci[0]! <= 0 && 0 <= c.diff_ci[1]!) covered[m.metric]!++;
    }
  }
  const coverage = Object.fromEntries(Object.entries(covered).map(([k, v]) => [k, v / runs]));
  console.log(`coverage ${JSON.stringify(coverage)}`);
  for (const [metric] of QUANTILES)
    assert.ok(coverage[metric]! >= 0.93 && coverage[metric]! <= 0.97, `${metric} coverage ${coverage[metric]} (seed ${seed})`);
});

test("a tail quantile with too few events beyond it is 'not enough data', not a truncated interval", () => {
  const { arm } = simulation(7);
  // 381 events are the fewest whose p99 interval has both order statistics (rank ⌈n·q + z·√(n·q·(1−q))⌉ ≤ n).
  assert.equal(minimumQuantileEvents(0.99), 381);
  assert.equal(minimumQuantileEvents(0.95), 73);
  const small = arm(40);
  const s = quantileSufficientStats(small, 0.99);
  assert.ok(s.n < 381, `${s.n} events`);
  assert.equal(summarizeQuantile(s).code, "TOO_FEW_EVENTS");
  const result = analyzeStats(aaInput({ p99: { control: s, treatment: quantileSufficientStats(arm(400), 0.99) } }));
  const c = result.metrics.find((m) => m.metric === "p99")!.comparisons[0]!;
  assert.equal(c.code, "TOO_FEW_EVENTS");
  assert.deepEqual(c.diff_ci, [null, null]);
  assert.equal(c.significant, false);
  // The same arm is enough for its median.
  assert.equal(summarizeQuantile(quantileSufficientStats(small, 0.5)).code, "OK");
});

test("the clustered standard error reduces to the order-statistic one when every unit has one event", () => {
  const { arm } = simulation(11);
  const single = arm(3000).filter((e, i, all) => i === 0 || all[i - 1]!.unit !== e.unit);
  const s = quantileSufficientStats(single, 0.95);
  const clustered = summarizeQuantile(s);
  const independent = summarizeQuantile({ ...s, clusters: undefined });
  // With one event per unit the design effect is K/(K − 1) exactly (the sample variance's n − 1).
  const k = s.clusters!.units;
  assert.ok(Math.abs(clustered.variance / independent.variance - k / (k - 1)) < 1e-9);
});
