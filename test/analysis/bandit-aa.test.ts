// A/A simulation of bandits that reallocate (docs/analysis.md#bandits): every arm converts at the same
// rate, Thompson sampling (half the bandits) or ε-greedy (the other half) moves the weights on noise
// after each epoch, and `exp analyze`'s SRM check
// must not call that reallocation a sample ratio mismatch. Each of 50 simulated bandits runs five
// allocation epochs, four reallocations by the same allocation as `exp bandit update` (200 in all);
// its units are enrolled in the arms its weights of the moment draw, and earlier units come back to
// their own arm. `exp analyze`'s analysis reads the warehouse with the epochs from the publish
// history. At the default SRM threshold of 0.001 the epochs after a reallocation must be flagged at
// most 1% of the time, and the analyses' verdicts (0.05 false alarms expected over 50) at most once;
// the cumulative counts tested against the newest weights (the check before epochs) alarm on most of
// the same data. The analysis runs its queries once per epoch, so 50 analyses already take a while.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { runAnalysis } from "../../src/analysis/analyze.js";
import type { AllocationEpoch, EpochLookup } from "../../src/analysis/bandit-epochs.js";
import { DuckDbWarehouse } from "../../src/analysis/duckdb-warehouse.js";
import type { UnitStats } from "../../src/analysis/stats-rows.js";
import { allocateBandit } from "../../src/bandit/allocate.js";
import { srmCheck } from "../../src/stats/srm.js";
import type { Experiment } from "../../src/workspace/model.js";
import { makeExperiment, makeMetric, makeWorkspace } from "../compiler/sql/fixture-workspace.js";
import { mulberry32 } from "../helpers/prng.js";
import { at, loadScenario } from "./scenario.js";

const H = 3_600_000;
const D = 24 * H;
const T0 = Date.parse("2026-12-01T00:00:00Z");
const ARMS = ["a", "b", "c"];
const BANDITS = 50;
const EPOCHS = 5;
const UNITS_PER_EPOCH = 240;
const RATE = 0.1;
const MIN_SHARE = 0.05;
const RETURNING = 0.1;
const THRESHOLD = 0.001;

let instance: DuckDBInstance;
let connection: DuckDBConnection;
const warehouse = () => DuckDbWarehouse.fromConnection(connection);

const conv = makeMetric("conv", "any(purchase)", { windowDays: 1 });

/** Half the bandits use Thompson sampling, the other half ε-greedy (ε = 20%): odd-numbered keys. */
const algorithmOf = (key: string) => (Number(key.slice(2)) % 2 === 1 ? "epsilon_greedy" : "thompson");

function bandit(key: string, weights: number[]): Experiment {
  const algorithm = algorithmOf(key);
  return {
    ...makeExperiment(key, ["conv"], { variants: ARMS, cuped: false }),
    type: "bandit" as const,
    // The experiment file holds the newest weights, in percent.
    variants: ARMS.map((a, i) => ({ key: a, weight: weights[i]! / 100 })),
    bandit: { algorithm, metric: "conv", min_share: MIN_SHARE, epoch: EPOCHS, ...(algorithm === "epsilon_greedy" ? { epsilon: 0.2 } : {}) },
  };
}

/** Index of the arm the weights (basis points) draw for a uniform u in [0, 1). */
function draw(weights: number[], u: number): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i]! / total;
    if (u < acc) return i;
  }
  return weights.length - 1;
}

interface Simulated {
  key: string;
  epochs: AllocationEpoch[];
  /** Units per arm over all epochs: what the cumulative check counted. */
  units: number[];
}

/** One bandit's exposures and purchases, and the epochs its reallocations published. */
function simulate(key: string, random: () => number, exposures: string[], events: string[]): Simulated {
  let weights = [3334, 3333, 3333];
  const epochs: AllocationEpoch[] = [];
  const enrolled: { unit: string; arm: number }[] = [];
  const units = [0, 0, 0];
  const conversions = [0, 0, 0];
  const row = (...v: string[]) => `(${v.map((x) => `'${x}'`).join(", ")})`;
  for (let e = 0; e < EPOCHS; e++) {
    const start = T0 + e * 2 * D;
    epochs.push({ from: new Date(start).toISOString(), version: e + 1, weights: Object.fromEntries(ARMS.map((a, i) => [a, weights[i]!])) });
    // Units enrolled earlier come back to their own arm (sticky), counted in the epoch they joined.
    for (const u of enrolled)
      if (random() < RETURNING) exposures.push(row(u.unit, key, ARMS[u.arm]!, at(start - T0 + Math.floor(random() * (2 * D - 2 * H)))));
    for (let j = 0; j < UNITS_PER_EPOCH; j++) {
      const unit = `${key}-${e}-${j}`;
      const arm = draw(weights, random());
      const ts = start - T0 + Math.floor(random() * (2 * D - 2 * H));
      exposures.push(row(unit, key, ARMS[arm]!, at(ts)));
      enrolled.push({ unit, arm });
      units[arm]!++;
      if (random() < RATE) {
        conversions[arm]!++;
        events.push(row(unit, "purchase", at(ts + H), `${key}-${e}-${j}-p`));
      }
    }
    if (e === EPOCHS - 1) break;
    // The reallocation `exp bandit update` makes from the conversions so far.
    const perVariant: Record<string, UnitStats> = Object.fromEntries(
      ARMS.map((a, i) => [a, { kind: "mean", n: units[i]!, sum: conversions[i]!, sumSq: conversions[i]! } as UnitStats]),
    );
    const allocation = allocateBandit(bandit(key, weights), conv, perVariant);
    assert.ok(allocation.ok, `${key}: ${allocation.ok ? "" : allocation.reason}`);
    weights = allocation.arms.map((a) => Math.round(a.weight * 100));
  }
  return { key, epochs, units };
}

/** Inserts literal rows (all generated here) in chunks: one statement of this size would be slow to parse. */
async function insert(table: string, columns: string, rows: string[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000)
    await connection.run(`INSERT INTO ${table} (${columns}) VALUES ${rows.slice(i, i + 5000).join(", ")}`);
}

before(async () => {
  instance = await DuckDBInstance.create(":memory:");
  connection = await instance.connect();
});
after(() => {
  connection.closeSync();
  instance.closeSync();
});

test(`bandit A/A: the SRM false-alarm rate over ${BANDITS * (EPOCHS - 1)} simulated reallocations is at most 1%`, async () => {
  const seed = process.env.EXP_SIM_SEED ? Number(process.env.EXP_SIM_SEED) : 20261207;
  console.log(`bandit A/A simulation seed ${seed} (replay with EXP_SIM_SEED=${seed})`);
  const random = mulberry32(seed);
  const exposures: string[] = [];
  const events: string[] = [];
  const simulated = Array.from({ length: BANDITS }, (_, i) => simulate(`aa${String(i).padStart(3, "0")}`, random, exposures, events));
  await loadScenario(warehouse(), [], []);
  await insert("exposures", "unit_id, experiment, variant, ts", exposures);
  await insert("events", "unit_id, event, ts, event_id", events);

  const byKey = new Map(simulated.map((s) => [s.key, s]));
  const epochs: EpochLookup = async (key) => byKey.get(key)!.epochs;
  let alarms = 0;
  let epochAlarms = 0;
  let reallocationAlarms = 0;
  const unread: string[] = [];
  const thresholds = new Set<number>();
  let cumulativeAlarms = 0;
  let moved = 0;
  for (const s of simulated) {
    const newest = s.epochs[EPOCHS - 1]!.weights;
    const experiment = bandit(
      s.key,
      ARMS.map((a) => newest[a]!),
    );
    const run = await runAnalysis(makeWorkspace({ metrics: [conv], experiments: [experiment] }), experiment, {
      warehouse: warehouse(),
      epochs,
    });
    assert.ok(run.result, `${s.key} (seed ${seed}): ${JSON.stringify(run.diagnostics)}`);
    const srm = run.result.srm;
    thresholds.add(srm.threshold);
    assert.deepEqual(
      ARMS.map((a) => run.result!.units[a]),
      s.units,
      `${s.key} (seed ${seed})`,
    );
    if (!srm.ok) alarms++;
    if (srm.epochs?.length === EPOCHS) {
      epochAlarms += srm.epochs.filter((e) => !e.ok).length;
      reallocationAlarms += srm.epochs.slice(1).filter((e) => !e.ok).length;
    } else unread.push(s.key);
    if (
      !srmCheck(
        s.units,
        ARMS.map((a) => newest[a]!),
        THRESHOLD,
      ).ok
    )
      cumulativeAlarms++;
    moved += Math.max(...ARMS.map((a) => Math.abs(newest[a]! - s.epochs[0]!.weights[a]!))) / 100;
  }
  const reallocations = BANDITS * (EPOCHS - 1);
  const rate = reallocationAlarms / reallocations;
  console.log(
    `bandit A/A seed ${seed}: epochs after a reallocation flagged ${reallocationAlarms}/${reallocations} (${rate}), ` +
      `analyses flagged ${alarms}/${BANDITS}, all epochs flagged ${epochAlarms}/${BANDITS * EPOCHS}, ` +
      `cumulative counts against the newest weights ${cumulativeAlarms}/${BANDITS}, mean largest weight move ${(moved / BANDITS).toFixed(1)} points`,
  );
  // The reallocations are large enough to matter: the check that ignores them alarms on most bandits.
  assert.ok(cumulativeAlarms / BANDITS >= 0.5, `cumulative alarms ${cumulativeAlarms}/${BANDITS} (seed ${seed})`);
  assert.ok(alarms <= 1, `analyses flagged: ${alarms}/${BANDITS} (seed ${seed})`);
  assert.deepEqual(unread, [], `analyses whose SRM was not read per epoch (seed ${seed})`);
  assert.ok(rate <= 0.01, `SRM false-alarm rate over ${reallocations} reallocations: ${rate} (seed ${seed})`);
  assert.deepEqual([...thresholds], [THRESHOLD]);
});
