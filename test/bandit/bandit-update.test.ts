import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { banditWeights, probabilityBestBeta } from "../../src/stats/bandit.js";
import { weightsToBasisPoints } from "../../src/ruleset/hash.js";
import { exampleRepo, exp } from "../helpers/workspace.js";
import { mulberry32 } from "../helpers/prng.js";

const KEY = "homepage_banner_bandit";
const FILE = `experiments/${KEY}.yaml`;
const RATES: Record<string, number> = { winter_sale: 0.05, free_shipping: 0.09, gift_cards: 0.03 };

/** A workspace whose `arms` connection reads CSVs of 3 × 700 exposed units; returns the true conversions per arm. */
function banditRepo(): { dir: string; counts: Record<string, { n: number; conversions: number }> } {
  const dir = exampleRepo("exp-bandit-");
  const cfg = readFileSync(join(dir, "exp.yaml"), "utf8");
  const withArms = cfg.replace(
    "    local: {type: duckdb, path: .exp/warehouse.duckdb}\n",
    "    local: {type: duckdb, path: .exp/warehouse.duckdb}\n    arms: {type: duckdb, files: [data/*.csv]}\n",
  );
  assert.notEqual(withArms, cfg, "exp.yaml has the local connection line");
  writeFileSync(join(dir, "exp.yaml"), withArms);
  const seed = Number(process.env.EXP_BANDIT_SEED ?? 20261121);
  console.log(`# bandit data seed ${seed}`);
  const random = mulberry32(seed);
  const exposures = ["unit_id,experiment,variant,ts,session_id,attributes"];
  const events = ["unit_id,session_id,event,ts,value,properties,event_id"];
  const counts: Record<string, { n: number; conversions: number }> = {};
  let id = 0;
  for (const [variant, rate] of Object.entries(RATES)) {
    counts[variant] = { n: 0, conversions: 0 };
    for (let i = 0; i < 700; i++) {
      const unit = `u${++id}`;
      const exposed = Date.parse("2026-11-21T00:00:00Z") + Math.floor(random() * 3 * 86_400_000);
      exposures.push(`${unit},${KEY},${variant},${new Date(exposed).toISOString()},,`);
      counts[variant]!.n++;
      if (random() < rate) {
        counts[variant]!.conversions++;
        // Two purchases for some converters: a conversion counts once.
        for (let k = random() < 0.3 ? 2 : 1; k > 0; k--)
          events.push(
            `${unit},,purchase,${new Date(exposed + 3_600_000 * k).toISOString()},${(20 + random() * 80).toFixed(2)},"{""revenue"": 30}",e${unit}-${k}`,
          );
      }
      // Events before exposure or of another kind never count.
      events.push(`${unit},,purchase,${new Date(exposed - 86_400_000).toISOString()},10,,pre${unit}`);
      events.push(`${unit},,page_view,${new Date(exposed + 60_000).toISOString()},,,pv${unit}`);
    }
  }
  mkdirSync(join(dir, "data"));
  writeFileSync(join(dir, "data/exposures.csv"), `${exposures.join("\n")}\n`);
  writeFileSync(join(dir, "data/events.csv"), `${events.join("\n")}\n`);
  return { dir, counts };
}

describe("exp bandit update", () => {
  test("writes Thompson-sampling weights from the warehouse into the experiment file, bumps the epoch, and the plan shows the reallocation", () => {
    const { dir, counts } = banditRepo();
    assert.equal(exp(dir, ["apply", "--auto-approve"]).status, 0);
    const before = readFileSync(join(dir, FILE), "utf8");

    const dry = exp(dir, ["bandit", "update", KEY, "--connection", "arms", "--dry-run"]);
    assert.equal(dry.status, 0, dry.stderr);
    assert.equal(readFileSync(join(dir, FILE), "utf8"), before, "--dry-run writes nothing");

    const run = exp(dir, ["bandit", "update", KEY, "--connection", "arms", "--format", "json"]);
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout) as { epoch: number; arms: { variant: string; units: number; mean: number; weight: number }[] };
    const arms = Object.keys(RATES).map((v) => ({ n: counts[v]!.n, sum: counts[v]!.conversions }));
    // P(best) itself is checked against scipy in test/stats; here: the warehouse counts reach it intact.
    const expected = weightsToBasisPoints(banditWeights(probabilityBestBeta(arms), 0.05)).map((bp) => bp / 100);
    assert.deepEqual(
      out.arms.map((a) => a.units),
      arms.map((a) => a.n),
    );
    out.arms.forEach((a, i) => assert.ok(Math.abs(a.mean - arms[i]!.sum / arms[i]!.n) < 1e-12, `${a.variant} conversion rate`));
    assert.deepEqual(
      out.arms.map((a) => a.weight),
      expected,
    );
    assert.equal(out.epoch, 2);

    const after = readFileSync(join(dir, FILE), "utf8");
    const doc = parse(after) as { variants: Record<string, { weight: number; config: unknown }>; bandit: { epoch: number } };
    assert.deepEqual(
      Object.values(doc.variants).map((v) => v.weight),
      expected,
    );
    assert.equal(doc.bandit.epoch, 2);
    assert.ok(Math.abs(expected.reduce((a, b) => a + b, 0) - 100) < 1e-9);
    assert.ok(
      expected.every((w) => w >= 5),
      "the exploration floor holds",
    );
    assert.equal(Math.max(...expected), expected[1], "the best arm (free_shipping) gets the most traffic");
    // Only the weights and the epoch change: comments, layout and the other lines stay.
    const changed = before.split("\n").filter((line, i) => line !== after.split("\n")[i]);
    assert.deepEqual(
      changed.map((l) => l.trim().split(":")[0]),
      ["winter_sale", "free_shipping", "gift_cards", "bandit"],
    );

    assert.equal(exp(dir, ["validate"]).status, 0);
    const plan = exp(dir, ["plan"]);
    assert.equal(plan.status, 2, plan.stdout + plan.stderr);
    assert.match(
      plan.stdout,
      /info\[EXP4009\]: Bandit "homepage_banner_bandit" reallocates: \d+\.\d\d% of its enrolled units switch arm under the new weights \(epoch 2\)/,
    );
    assert.doesNotMatch(plan.stdout, /EXP4001/);
  });

  test("epsilon_greedy from YAML: 1 − ε to the arm with the best conversion rate, ε spread evenly, valid and plannable", () => {
    const { dir } = banditRepo();
    const yaml = readFileSync(join(dir, FILE), "utf8");
    const greedy = yaml.replace("{algorithm: thompson,", "{algorithm: epsilon_greedy, epsilon: 21%,");
    assert.notEqual(greedy, yaml, "the example bandit declares its algorithm");
    writeFileSync(join(dir, FILE), greedy);
    assert.equal(exp(dir, ["apply", "--auto-approve"]).status, 0);
    const run = exp(dir, ["bandit", "update", KEY, "--connection", "arms", "--format", "json"]);
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout) as { epoch: number; arms: { variant: string; weight: number }[] };
    // free_shipping converts best in the planted data (9% vs 5% and 3%): 79% + 7% each way.
    assert.deepEqual(
      out.arms.map((a) => [a.variant, a.weight]),
      [
        ["winter_sale", 7],
        ["free_shipping", 86],
        ["gift_cards", 7],
      ],
    );
    assert.equal(exp(dir, ["validate"]).status, 0);
    const doc = parse(readFileSync(join(dir, FILE), "utf8")) as { bandit: { algorithm: string; epsilon: string; epoch: number } };
    assert.deepEqual([doc.bandit.algorithm, doc.bandit.epsilon, doc.bandit.epoch], ["epsilon_greedy", "21%", 2]);
  });

  test("--all updates every running bandit; naming none is a usage error", () => {
    const { dir } = banditRepo();
    const before = readFileSync(join(dir, FILE), "utf8");
    const neither = exp(dir, ["bandit", "update", "--connection", "arms"]);
    assert.equal(neither.status, 1);
    assert.match(neither.stderr, /name one bandit experiment, or pass --all/);
    const all = exp(dir, ["bandit", "update", "--all", "--connection", "arms", "--format", "json"]);
    assert.equal(all.status, 0, all.stderr);
    const updates = JSON.parse(all.stdout) as { experiment: string; written: boolean; epoch: number }[];
    assert.deepEqual(
      updates.map((u) => [u.experiment, u.written, u.epoch]),
      [[KEY, true, 2]],
    );
    assert.notEqual(readFileSync(join(dir, FILE), "utf8"), before);
  });

  test("a weight edit on an ordinary running experiment is still refused without a phase bump", () => {
    const { dir } = banditRepo();
    assert.equal(exp(dir, ["apply", "--auto-approve"]).status, 0);
    const file = join(dir, "experiments/checkout_redesign.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8")
        .replace(/(control:\s*\{\s*weight:\s*)50/, "$160")
        .replace(/(one_page:\s*\{\s*weight:\s*)50/, "$140"),
    );
    const plan = exp(dir, ["plan"]);
    assert.equal(plan.status, 1);
    assert.match(plan.stdout + plan.stderr, /EXP4001/);
  });

  test("mistakes: an unknown key gets a did-you-mean, a non-bandit is named, and nothing is written", () => {
    const { dir } = banditRepo();
    const before = readFileSync(join(dir, FILE), "utf8");
    const unknown = exp(dir, ["bandit", "update", "homepage_banner_bandt", "--connection", "arms"]);
    assert.equal(unknown.status, 1);
    assert.match(
      unknown.stderr,
      /^error\[EXP6001\]: there is no experiment "homepage_banner_bandt"; did you mean "homepage_banner_bandit"\?/m,
    );
    const ab = exp(dir, ["bandit", "update", "checkout_redesign", "--connection", "arms"]);
    assert.equal(ab.status, 1);
    assert.match(ab.stderr, /experiment "checkout_redesign" is of type ab; exp bandit update works on experiments with type: bandit/);
    assert.match(ab.stderr, /the bandit experiments are "homepage_banner_bandit"/);
    const noData = exp(dir, ["bandit", "update", KEY]);
    assert.equal(noData.status, 1, "the default connection has no warehouse file yet");
    assert.doesNotMatch(noData.stderr, /internal error|at .*\.js:\d+/);
    assert.equal(readFileSync(join(dir, FILE), "utf8"), before);
  });
});
