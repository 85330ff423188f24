/**
 * In-process evaluation throughput: the exp evaluator vs the GrowthBook JS SDK and @openfeature/flagd-core
 * on equivalent work, in one process (README.md#benchmarks). Prints JSON lines: one per (workload, implementation)
 * with the median ops/s over several rounds after warm-up, then one per workload with the ratios.
 *   node --import tsx bench/runtime/index.ts
 */
import { GrowthBookClient } from "@growthbook/growthbook";
import { FlagdCore } from "@openfeature/flagd-core";
import { compileRuleset } from "../../src/compiler/ruleset/compile.js";
import { exportFlagd } from "../../src/compiler/ruleset/flagd.js";
import { createEvaluator } from "../../src/runtime/evaluator.js";
import { and, attr, bin, experiment, flag, isIn, shopWorkspace, str, workspace } from "../../test/runtime/fixture.js";
import { randomAttributes, randomUnit, rng } from "../../test/runtime/random-units.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const OPS = Number(process.env.BENCH_OPS ?? 300_000);
const r = rng(42);
const users = Array.from({ length: 4096 }, (_, i) => {
  const attributes = randomAttributes(r);
  const id = randomUnit(r, i) || `anon_${i}`;
  return { id, attributes, gbContext: { attributes: { id, ...attributes } }, flagdContext: { targetingKey: id, ...attributes } };
});
const MASK = users.length - 1;
let sink = 0;

type Impl = { fn: (i: number) => unknown; ops: number };

/**
 * Runs the implementations of one workload round-robin (warm-up, then ROUNDS rounds each), so that
 * load from other processes on the machine hits all of them alike; returns the median ops/s of each.
 */
function measureAll(impls: Record<string, Impl>): Record<string, number> {
  const rates: Record<string, number[]> = {};
  for (const [name, { fn, ops }] of Object.entries(impls)) {
    rates[name] = [];
    for (let i = 0; i < Math.min(ops, 50_000); i++) if (fn(i & MASK)) sink++;
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, { fn, ops }] of Object.entries(impls)) {
      const t0 = performance.now();
      for (let i = 0; i < ops; i++) if (fn(i & MASK)) sink++;
      rates[name]!.push(ops / ((performance.now() - t0) / 1000));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, median(v)]));
}

function report(workload: string, results: Record<string, number>): void {
  for (const [impl, opsPerSec] of Object.entries(results))
    console.log(JSON.stringify({ workload, impl, opsPerSec: Math.round(opsPerSec) }));
  const ours = results.exp!;
  const vsGrowthbook = ours / results.growthbook!;
  const vsFlagd = ours / results["flagd-core"]!;
  console.log(
    JSON.stringify({
      workload,
      ratioVsGrowthbook: +vsGrowthbook.toFixed(2),
      ratioVsFlagdCore: +vsFlagd.toFixed(2),
      goal: 3,
      met: Math.min(vsGrowthbook, vsFlagd) >= 3,
    }),
  );
}

function flagdFor(ws: ReturnType<typeof workspace>) {
  const ruleset = compileRuleset(ws).value;
  const core = new FlagdCore();
  core.setConfigurations(JSON.stringify(exportFlagd(ruleset).document));
  return { ruleset, core };
}

const targeting = and(isIn(attr("country"), str("US"), str("CA")), bin("!=", attr("platform"), str("ios")));
const gbCondition = { country: { $in: ["US", "CA"] }, platform: { $ne: "ios" } };

// (a) an experiment with a two-clause targeting rule and 50% traffic.
{
  const ws = workspace({
    experiments: [experiment("checkout_redesign", { traffic: 0.5, targeting })],
    flags: [
      flag("checkout_flag", {
        rules: [{ kind: "experiment", name: "ab", experiment: "checkout_redesign", map: { control: "off", treatment: "on" } }],
      }),
    ],
  });
  const { ruleset, core } = flagdFor(ws);
  const ev = createEvaluator(ruleset);
  const now = Date.now();
  const gb = new GrowthBookClient().initSync({
    payload: {
      features: {
        checkout_redesign: {
          defaultValue: false,
          rules: [
            {
              key: "checkout_redesign",
              condition: gbCondition,
              coverage: 0.5,
              variations: [false, true],
              weights: [0.5, 0.5],
              hashAttribute: "id",
              hashVersion: 2,
            },
          ],
        },
      },
    },
  });
  report(
    "a_experiment_targeted_50pct",
    measureAll({
      exp: { fn: (i) => ev.assign("checkout_redesign", users[i]!.id, users[i]!.attributes, now).inExperiment, ops: OPS },
      growthbook: { fn: (i) => gb.evalFeature("checkout_redesign", users[i]!.gbContext).on, ops: OPS / 3 },
      "flagd-core": {
        fn: (i) => core.resolveBooleanEvaluation("checkout_flag", false, users[i]!.flagdContext as never).value,
        ops: OPS / 3,
      },
    }),
  );
}

// (b) a boolean flag with a 30% rollout.
{
  const ws = workspace({
    flags: [
      flag("new_search", {
        rules: [{ kind: "rollout", name: "r", variant: "on", holdout: true, steps: [{ at: "2020-01-01T00:00:00Z", percent: 30 }] }],
      }),
    ],
  });
  const { ruleset, core } = flagdFor(ws);
  const ev = createEvaluator(ruleset);
  const now = Date.now();
  const gb = new GrowthBookClient().initSync({
    payload: {
      features: { new_search: { defaultValue: false, rules: [{ force: true, coverage: 0.3, hashAttribute: "id", hashVersion: 2 }] } },
    },
  });
  report(
    "b_flag_rollout_30pct",
    measureAll({
      exp: { fn: (i) => ev.evaluate("new_search", users[i]!.id, users[i]!.attributes, now).value, ops: OPS },
      growthbook: { fn: (i) => gb.evalFeature("new_search", users[i]!.gbContext).on, ops: OPS / 3 },
      "flagd-core": { fn: (i) => core.resolveBooleanEvaluation("new_search", false, users[i]!.flagdContext as never).value, ops: OPS / 3 },
    }),
  );
}

// (c) every flag and experiment for a unit over a representative ruleset (the shop workspace).
{
  const { ruleset, core } = flagdFor(shopWorkspace());
  const ev = createEvaluator(ruleset);
  const now = Date.now();
  // GrowthBook equivalents of the shop flags and experiments (same conditions, coverages and splits).
  const exp = (key: string, coverage: number, weights: number[], variations: unknown[], condition?: object) => ({
    key,
    coverage,
    weights,
    variations,
    hashAttribute: "id",
    hashVersion: 2,
    ...(condition ? { condition } : {}),
  });
  const features: Record<string, unknown> = {
    checkout_redesign: { defaultValue: null, rules: [exp("checkout_redesign", 0.5, [0.5, 0.5], ["control", "one_page"], gbCondition)] },
    checkout_copy: { defaultValue: null, rules: [exp("checkout_copy", 0.3, [0.5, 0.5], ["control", "treatment"])] },
    search_ranker_v2: {
      defaultValue: null,
      rules: [exp("search_ranker_v2", 0.6, [0.3334, 0.3333, 0.3333], ["control", "ranker_v2", "ranker_v3"])],
    },
    onboarding: { defaultValue: null, rules: [exp("onboarding", 1, [0.8, 0.2], ["control", "guided"], { account_age_days: { $gt: 30 } })] },
    old_test: { defaultValue: null },
    expired: { defaultValue: null },
    search_index_v2: { defaultValue: false, rules: [{ force: true, coverage: 0.8, hashAttribute: "id", hashVersion: 2 }] },
    new_search: {
      defaultValue: false,
      rules: [
        { force: true, condition: { id: { $in: ["user_42", "user_77"] } } },
        { force: true, condition: { $or: [{ is_employee: true }, { country: "XX" }] } },
        { force: true, condition: { country: "US" }, coverage: 0.5, hashAttribute: "id", hashVersion: 2 },
        exp("search_ranker_v2", 0.6, [0.3334, 0.3333, 0.3333], [false, true, true]),
      ],
    },
    checkout_layout: {
      defaultValue: "classic",
      rules: [
        exp("checkout_redesign", 0.5, [0.5, 0.5], ["classic", "one_page"], gbCondition),
        { force: "compact", condition: { platform: { $in: ["ios", "android"] }, app_version: { $vgte: "2.0.0" } } },
      ],
    },
    max_results: {
      defaultValue: 10,
      rules: [{ force: 50, condition: { account_age_days: { $gte: 365 }, email: { $not: { $regex: "^test" } } } }],
    },
    banner: {
      defaultValue: { show: false },
      rules: [
        { force: { show: true, text: "Sale", discount: 0.2 }, condition: { email: { $regex: "@corp\\.example$" } } },
        { force: { show: true, text: "Sale", discount: 0.2 }, coverage: 0.5, hashAttribute: "id", hashVersion: 2 },
      ],
    },
    legacy_mode: { defaultValue: true },
    needs_legacy: { defaultValue: false },
    onboarding_flow: {
      defaultValue: "classic",
      rules: [exp("onboarding", 1, [0.8, 0.2], ["classic", "guided"], { account_age_days: { $gt: 30 }, platform: { $ne: "web" } })],
    },
  };
  const gb = new GrowthBookClient().initSync({ payload: { features: features as never } });
  const keys = Object.keys(features);
  report(
    "c_evaluate_all_shop",
    measureAll({
      exp: { fn: (i) => ev.evaluateAll(users[i]!.id, users[i]!.attributes, now), ops: OPS / 10 },
      growthbook: {
        fn: (i) => {
          const ctx = users[i]!.gbContext;
          let n = 0;
          for (const k of keys) if (gb.evalFeature(k, ctx).on) n++;
          return n;
        },
        ops: OPS / 30,
      },
      "flagd-core": { fn: (i) => core.resolveAll(users[i]!.flagdContext as never).length, ops: OPS / 30 },
    }),
  );
}

if (sink === -1) console.log(sink);
