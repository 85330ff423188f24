import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { allocateBandit } from "../../src/bandit/allocate.js";
import { weightsToBasisPoints } from "../../src/ruleset/hash.js";
import type { UnitStats } from "../../src/analysis/stats-rows.js";
import type { Experiment, Metric } from "../../src/workspace/model.js";
import { mulberry32 } from "../helpers/prng.js";

// Only the fields allocateBandit reads.
function experiment(k: number, minShare: number): Experiment {
  return {
    key: "banner_bandit",
    variants: Array.from({ length: k }, (_, i) => ({ key: `arm${i}`, weight: 1 })),
    bandit: { algorithm: "thompson", metric: "m", min_share: minShare, epoch: 1 },
  } as unknown as Experiment;
}
const metric = (kind: string) => ({ key: "m", kind }) as unknown as Metric;
const mean = (n: number, sum: number, sumSq: number): UnitStats => ({ kind: "mean", n, sum, sumSq }) as UnitStats;

/** The allocation is valid, or refused with a sentence; never NaN weights, zeros or a sum off 100%. */
function checkAllocation(r: ReturnType<typeof allocateBandit>, minShare: number, k: number, what: string): void {
  if (!r.ok) {
    assert.match(r.reason, /^\S.*\S$/, what);
    assert.ok(r.reason.length > 40 && /"/.test(r.reason), `${what}: ${r.reason}`);
    return;
  }
  const bp = r.arms.map((a) => Math.round(a.weight * 100));
  assert.equal(
    bp.reduce((a, b) => a + b, 0),
    10000,
    what,
  );
  const least = Math.max(1, Math.floor(Math.min(minShare, 1 / k) * 10000 + 1e-9));
  for (const a of r.arms) {
    assert.ok(Number.isFinite(a.weight) && Number.isFinite(a.probabilityBest), `${what}: ${JSON.stringify(a)}`);
    assert.ok(a.weight * 100 >= least - 1e-9, `${what}: ${a.weight}% under the floor`);
  }
  // The written percentages compile back to the same basis points.
  assert.deepEqual(weightsToBasisPoints(r.arms.map((a) => a.weight)), bp, what);
}

describe("allocateBandit never writes invalid weights", () => {
  test("one arm without variance on a mean metric: a valid allocation (it was weight 0 everywhere, exit 0)", () => {
    const r = allocateBandit(experiment(3, 0.05), metric("mean"), {
      arm0: mean(50, 0, 0),
      arm1: mean(50, 60, 120),
      arm2: mean(50, 40, 70),
    });
    checkAllocation(r, 0.05, 3, "one zero-variance arm");
    assert.ok(r.ok);
  });

  test("no spread in any arm: refused, saying what to wait for", () => {
    const r = allocateBandit(experiment(2, 0.05), metric("sum"), { arm0: mean(20, 0, 0), arm1: mean(30, 0, 0) });
    assert.equal(r.ok, false);
    assert.match((r as { reason: string }).reason, /every unit in each arm of "banner_bandit" has the same value of "m"/);
  });

  test("NaN or Infinity in the statistics: refused, naming the arm", () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const r = allocateBandit(experiment(2, 0.05), metric("conversion"), { arm0: mean(20, bad, 0), arm1: mean(30, 3, 3) });
      assert.equal(r.ok, false);
      assert.match((r as { reason: string }).reason, /arm "arm0" of "banner_bandit" has statistics that are not finite numbers/);
    }
  });

  test("min_share 0 still leaves every arm at least one basis point (a zero weight fails validation)", () => {
    const r = allocateBandit(experiment(2, 0), metric("conversion"), { arm0: mean(1e6, 1e4, 1e4), arm1: mean(1e6, 2e4, 2e4) });
    checkAllocation(r, 0, 2, "min_share 0");
    assert.ok(r.ok && r.arms[0]!.weight === 0.01, JSON.stringify(r));
  });

  test("property: random degenerate statistics give a valid allocation or a refusal", () => {
    const seed = Number(process.env.EXP_BANDIT_SEED ?? 20261206);
    console.log(`# allocation property seed ${seed}`);
    const random = mulberry32(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    for (let i = 0; i < 300; i++) {
      const k = 2 + Math.floor(random() * 4);
      const minShare = pick([0, 0.0001, 0.01, 0.05, 0.2, 0.5, 1]);
      const kind = pick(["conversion", "mean", "count", "sum"]);
      const perVariant: Record<string, UnitStats> = {};
      const common = random() < 0.3 ? { n: pick([0, 1, 2, 100, 1e7]), rate: random() } : undefined;
      for (let j = 0; j < k; j++) {
        if (random() < 0.05) continue; // no row at all for this arm
        const n = common?.n ?? pick([0, 1, 2, 3, 10, 1000, 1e6, 1e7]);
        const rate = common?.rate ?? pick([0, 1, random(), 0.5]);
        let sum = kind === "conversion" ? Math.round(n * rate) : n * rate * 10;
        let sumSq = kind === "conversion" ? sum : random() < 0.3 ? (sum * sum) / Math.max(n, 1) : sum * 10 * (1 + random());
        if (random() < 0.05) sum = pick([NaN, Infinity, -Infinity, -1]);
        if (random() < 0.03) sumSq = pick([NaN, Infinity]);
        perVariant[`arm${j}`] = mean(n, sum, sumSq);
      }
      const what = `case ${i} (seed ${seed}): ${kind}, min_share ${minShare}, ${JSON.stringify(perVariant)}`;
      checkAllocation(allocateBandit(experiment(k, minShare), metric(kind), perVariant), minShare, k, what);
    }
  });
});

describe("the allocation follows the algorithm and the metric's direction", () => {
  const greedy = (k: number, epsilon: number, minShare = 0): Experiment =>
    ({
      ...experiment(k, minShare),
      bandit: { algorithm: "epsilon_greedy", metric: "m", min_share: minShare, epoch: 1, epsilon },
    }) as unknown as Experiment;
  const directed = (kind: string, direction: "increase" | "decrease") => ({ key: "m", kind, direction }) as unknown as Metric;
  const conversions = { arm0: mean(1000, 100, 100), arm1: mean(1000, 130, 130), arm2: mean(1000, 115, 115) };
  const weights = (r: ReturnType<typeof allocateBandit>) => (r.ok ? r.arms.map((a) => a.weight) : r.reason);

  test("epsilon_greedy: 1 − ε to the best posterior mean, ε spread over every arm", () => {
    // ε = 12%, three arms: 4% each, and the best (arm1, 13%) takes 88% more.
    assert.deepEqual(weights(allocateBandit(greedy(3, 0.12), directed("conversion", "increase"), conversions)), [4, 92, 4]);
    const m = { arm0: mean(50, 100, 260), arm1: mean(50, 150, 500), arm2: mean(50, 140, 450) };
    assert.deepEqual(weights(allocateBandit(greedy(3, 0.3), directed("mean", "increase"), m)), [10, 80, 10]);
  });

  test("epsilon_greedy: a tie at the top shares the 1 − ε; the floor still applies", () => {
    const tie = { arm0: mean(100, 10, 10), arm1: mean(100, 10, 10), arm2: mean(100, 5, 5), arm3: mean(100, 1, 1) };
    assert.deepEqual(weights(allocateBandit(greedy(4, 0.2), directed("conversion", "increase"), tie)), [45, 45, 5, 5]);
    // ε = 0 would starve the others; the 5% floor keeps them exploring.
    assert.deepEqual(weights(allocateBandit(greedy(3, 0, 0.05), directed("conversion", "increase"), conversions)), [5, 90, 5]);
  });

  test("a decrease metric favours the lowest rate or mean, for both algorithms", () => {
    const up = allocateBandit(experiment(3, 0.01), directed("conversion", "increase"), conversions);
    const down = allocateBandit(experiment(3, 0.01), directed("conversion", "decrease"), conversions);
    assert.ok(up.ok && down.ok);
    const argmax = (xs: number[]) => xs.indexOf(Math.max(...xs));
    assert.equal(argmax(up.arms.map((a) => a.weight)), 1);
    assert.equal(argmax(down.arms.map((a) => a.weight)), 0);
    // Swapping outcomes is exact: P(lowest rate) of the data equals P(highest rate) of the failures.
    const failures = { arm0: mean(1000, 900, 900), arm1: mean(1000, 870, 870), arm2: mean(1000, 885, 885) };
    const mirrored = allocateBandit(experiment(3, 0.01), directed("conversion", "increase"), failures);
    assert.ok(mirrored.ok);
    assert.deepEqual(
      down.arms.map((a) => a.probabilityBest),
      mirrored.arms.map((a) => a.probabilityBest),
    );
    const times = { arm0: mean(50, 100, 260), arm1: mean(50, 150, 500), arm2: mean(50, 140, 450) };
    assert.deepEqual(weights(allocateBandit(greedy(3, 0.3), directed("mean", "decrease"), times)), [80, 10, 10]);
    const normal = allocateBandit(experiment(3, 0.01), directed("mean", "decrease"), times);
    assert.ok(normal.ok && argmax(normal.arms.map((a) => a.weight)) === 0, JSON.stringify(normal));
  });
});
