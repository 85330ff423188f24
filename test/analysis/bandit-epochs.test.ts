// A bandit's SRM is read per allocation epoch (docs/analysis.md#bandits): each unit counts in the epoch
// of its first exposure and is tested against the weights live then, so reweighting is no mismatch,
// while a real mismatch inside one epoch still is.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { runAnalysis } from "../../src/analysis/analyze.js";
import type { AllocationEpoch, EpochLookup } from "../../src/analysis/bandit-epochs.js";
import { DuckDbWarehouse } from "../../src/analysis/duckdb-warehouse.js";
import { makeExperiment, makeMetric, makeWorkspace } from "../compiler/sql/fixture-workspace.js";
import { loadScenario, type ExposureRow } from "./scenario.js";

const H = 3_600_000;
const D = 24 * H;
const T0 = Date.parse("2026-12-01T00:00:00Z");
const ARMS = ["a", "b", "c"];

let instance: DuckDBInstance;
let connection: DuckDBConnection;
const warehouse = () => DuckDbWarehouse.fromConnection(connection);

const EPOCHS: AllocationEpoch[] = [
  { from: new Date(T0).toISOString(), version: 1, weights: { a: 5000, b: 2500, c: 2500 } },
  { from: new Date(T0 + 2 * D).toISOString(), version: 2, weights: { a: 2000, b: 6000, c: 2000 } },
  { from: new Date(T0 + 4 * D).toISOString(), version: 3, weights: { a: 1000, b: 1000, c: 8000 } },
];
const epochs: EpochLookup = async () => EPOCHS;

function design() {
  const conv = makeMetric("conv", "any(purchase)", { windowDays: 1 });
  const experiment = {
    ...makeExperiment("arms", ["conv"], { variants: ARMS, cuped: false }),
    type: "bandit" as const,
    // The YAML holds the newest weights only.
    variants: ARMS.map((key, i) => ({ key, weight: [10, 10, 80][i]! })),
    bandit: { algorithm: "thompson" as const, metric: "conv", min_share: 0.05, epoch: 3 },
  };
  return { workspace: makeWorkspace({ metrics: [conv], experiments: [experiment] }), experiment };
}

/**
 * Units first exposed in each epoch, per arm; a unit exposed again in a later epoch (same arm) still
 * belongs to its first epoch.
 */
async function load(counts: number[][]): Promise<void> {
  await connection.run("DROP TABLE IF EXISTS exposures");
  await connection.run("DROP TABLE IF EXISTS events");
  const rows: ExposureRow[] = [];
  counts.forEach((perArm, e) =>
    perArm.forEach((n, arm) => {
      for (let i = 0; i < n; i++) {
        const unit = `e${e}-${ARMS[arm]}-${i}`;
        const ts = e * 2 * D + ((i * 7919) % (2 * D - H));
        rows.push({ unit, experiment: "arms", variant: ARMS[arm]!, ts });
        if (i % 5 === 0 && e < counts.length - 1) rows.push({ unit, experiment: "arms", variant: ARMS[arm]!, ts: ts + 2 * D });
      }
    }),
  );
  await loadScenario(warehouse(), rows, []);
}

/** Pearson χ² of one epoch, from the counts and weights. */
function pearson(units: number[], weights: number[]): number {
  const n = units.reduce((a, b) => a + b, 0);
  const w = weights.reduce((a, b) => a + b, 0);
  return units.reduce((s, u, i) => s + (u - (n * weights[i]!) / w) ** 2 / ((n * weights[i]!) / w), 0);
}

/** χ² upper tail for even df = 2k: e^{−x/2} Σ_{j<k} (x/2)^j / j!. */
function chiSquareSfEven(x: number, df: number): number {
  let term = 1;
  let sum = 1;
  for (let j = 1; j < df / 2; j++) {
    term *= x / 2 / j;
    sum += term;
  }
  return Math.exp(-x / 2) * sum;
}

describe("bandit SRM per allocation epoch", () => {
  before(async () => {
    instance = await DuckDBInstance.create(":memory:");
    connection = await instance.connect();
  });
  after(() => {
    connection.closeSync();
    instance.closeSync();
  });

  const CORRECT = [
    [204, 98, 98],
    [77, 245, 78],
    [42, 37, 321],
  ];

  test("correctly allocated epochs: no SRM, each epoch tested against its own weights", async () => {
    await load(CORRECT);
    const { workspace, experiment } = design();
    const run = await runAnalysis(workspace, experiment, { warehouse: warehouse(), epochs });
    assert.ok(run.result, JSON.stringify(run.diagnostics));
    const srm = run.result.srm;
    const perEpoch = CORRECT.map((u, e) =>
      pearson(
        u,
        ARMS.map((a) => EPOCHS[e]!.weights[a]!),
      ),
    );
    const chi2 = perEpoch.reduce((a, b) => a + b, 0);
    assert.equal(srm.df, 6);
    assert.ok(Math.abs(srm.chi2! - chi2) < 1e-9, `${srm.chi2} vs ${chi2}`);
    assert.ok(Math.abs(srm.p_value! - chiSquareSfEven(chi2, 6)) < 1e-12);
    assert.equal(srm.ok, true);
    assert.deepEqual(
      srm.epochs!.map((e) => ARMS.map((a) => e.units[a])),
      CORRECT,
    );
    srm.epochs!.forEach((e, i) => {
      assert.ok(Math.abs(e.chi2! - perEpoch[i]!) < 1e-9);
      assert.ok(Math.abs(e.p_value! - chiSquareSfEven(perEpoch[i]!, 2)) < 1e-12);
      assert.equal(e.version, EPOCHS[i]!.version);
    });
    assert.deepEqual(srm.epochs![1]!.weights, { a: 20, b: 60, c: 20 });
    assert.notEqual(run.result.decision.recommendation, "investigate");
    // No events: every unit has 0, and each treatment's stratified difference is 0.
    assert.equal(run.result.bandit!.epochs, 3);
    assert.deepEqual(
      run.result.bandit!.effects.map((e) => [e.variant, e.difference, e.epochs_used]),
      [
        ["b", 0, 3],
        ["c", 0, 3],
      ],
    );
  });

  test("the same data against the newest weights alone is a false SRM (what the cumulative check reported)", async () => {
    await load(CORRECT);
    const { workspace, experiment } = design();
    const run = await runAnalysis(workspace, experiment, { warehouse: warehouse() });
    assert.ok(run.result);
    assert.equal(run.result.srm.ok, false);
    assert.equal(run.result.srm.epochs, undefined);
  });

  test("a real mismatch in one epoch is caught, and named by epoch", async () => {
    const broken = [CORRECT[0]!, [120, 200, 80], CORRECT[2]!];
    await load(broken);
    const { workspace, experiment } = design();
    const run = await runAnalysis(workspace, experiment, { warehouse: warehouse(), epochs });
    assert.ok(run.result);
    const srm = run.result.srm;
    const chi2 = broken
      .map((u, e) =>
        pearson(
          u,
          ARMS.map((a) => EPOCHS[e]!.weights[a]!),
        ),
      )
      .reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(srm.chi2! - chi2) < 1e-9);
    assert.ok(Math.abs(srm.p_value! - chiSquareSfEven(chi2, 6)) < 1e-15);
    assert.equal(srm.ok, false);
    assert.deepEqual(
      srm.epochs!.map((e) => e.ok),
      [true, false, true],
    );
    assert.equal(run.result.decision.recommendation, "investigate");
  });

  test("an experiment that is not a bandit keeps the cumulative check", async () => {
    await load(CORRECT);
    const { workspace, experiment } = design();
    const ab = { ...experiment, type: "ab" as const };
    const run = await runAnalysis(workspace, ab, { warehouse: warehouse(), epochs });
    assert.ok(run.result);
    assert.equal(run.result.srm.epochs, undefined);
  });
});
