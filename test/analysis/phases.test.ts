// The analysis of phase N reads only phase-N exposures (docs/analysis.md#phases): by the exposures' phase
// column when the table has one (checked in the warehouse, not assumed), else from the moment phase N was
// first published, with a diagnostic saying so; and an analysis that matches no exposure says why.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { runAnalysis } from "../../src/analysis/analyze.js";
import { DuckDbWarehouse } from "../../src/analysis/duckdb-warehouse.js";
import type { PhaseStartLookup } from "../../src/analysis/phase.js";
import { makeExperiment, makeMetric, makeWorkspace } from "../compiler/sql/fixture-workspace.js";
import { at, loadScenario, type ExposureRow } from "./scenario.js";

const H = 3_600_000;
const D = 24 * H;

let instance: DuckDBInstance;
let connection: DuckDBConnection;
const warehouse = () => DuckDbWarehouse.fromConnection(connection);

function design(phase: number) {
  const conv = makeMetric("conv", "any(purchase)", { windowDays: 1 });
  const experiment = { ...makeExperiment("exp1", ["conv"]), phase };
  return { workspace: makeWorkspace({ metrics: [conv], experiments: [experiment] }), experiment };
}

// Phase 1 ran from T0: u1, u2 (control), u3 (treatment). Phase 2 started at T0 + 3d, re-randomising:
// u1 again (now treatment), u4 (control), u5 (treatment).
const PHASED: (ExposureRow & { phase: number })[] = [
  { unit: "u1", experiment: "exp1", variant: "control", ts: 1 * H, phase: 1 },
  { unit: "u2", experiment: "exp1", variant: "control", ts: 2 * H, phase: 1 },
  { unit: "u3", experiment: "exp1", variant: "treatment", ts: 3 * H, phase: 1 },
  { unit: "u1", experiment: "exp1", variant: "treatment", ts: 3 * D + 1 * H, phase: 2 },
  { unit: "u4", experiment: "exp1", variant: "control", ts: 3 * D + 2 * H, phase: 2 },
  { unit: "u5", experiment: "exp1", variant: "treatment", ts: 3 * D + 3 * H, phase: 2 },
  { unit: "x1", experiment: "exp_other", variant: "control", ts: 1 * H, phase: 1 },
];

const published = (start: number, version = 7): PhaseStartLookup => {
  return async (_experiment, phase) =>
    phase === 2
      ? { found: true, at: new Date(Date.parse("2026-12-01T00:00:00Z") + start).toISOString(), version }
      : { found: false, why: "test" };
};

async function load(withPhaseColumn: boolean): Promise<void> {
  await connection.run("DROP TABLE IF EXISTS exposures");
  await connection.run("DROP TABLE IF EXISTS events");
  await loadScenario(warehouse(), PHASED, []);
  if (withPhaseColumn) {
    await connection.run("ALTER TABLE exposures ADD COLUMN phase INTEGER");
    for (const x of PHASED)
      await connection.run(`UPDATE exposures SET phase = ${x.phase} WHERE unit_id = '${x.unit}' AND ts = CAST('${at(x.ts)}' AS TIMESTAMP)`);
  }
}

describe("phases", () => {
  before(async () => {
    instance = await DuckDBInstance.create(":memory:");
    connection = await instance.connect();
  });
  after(() => {
    connection.closeSync();
    instance.closeSync();
  });

  describe("the exposures carry their phase", () => {
    beforeEach(() => load(true));

    test("phase 2 reads only phase-2 exposures: u1 counts once, in its phase-2 variant", async () => {
      const { workspace, experiment } = design(2);
      // Today's main pooled both phases here: u1 in two variants (excluded), 2 + 2 units.
      const run = await runAnalysis(workspace, experiment, { warehouse: warehouse(), phaseStart: published(0) });
      assert.ok(run.result, JSON.stringify(run.diagnostics));
      assert.deepEqual(run.result.units, { control: 1, treatment: 2 });
      assert.equal(run.result.multiple_exposures, 0);
      assert.deepEqual(run.result.phase_start, { at: "2026-12-04T01:00:00.000Z", basis: "phase_column" });
      assert.deepEqual(run.diagnostics, [], "no diagnostic: the phase is known exactly");
    });

    test("phase 1 reads only phase-1 exposures", async () => {
      const { workspace, experiment } = design(1);
      const run = await runAnalysis(workspace, experiment, { warehouse: warehouse() });
      assert.deepEqual(run.result!.units, { control: 2, treatment: 1 });
    });

    test("a phase without exposures is an error that says so", async () => {
      const { workspace, experiment } = design(3);
      const run = await runAnalysis(workspace, experiment, { warehouse: warehouse(), connection: "local" });
      assert.equal(run.result, undefined);
      const error = run.diagnostics.at(-1)!;
      assert.equal(error.code, "EXP6109");
      assert.match(
        error.message,
        /^There are no phase-3 exposures for "exp1" in connection "local": none of its 6 exposure row\(s\) has phase 3/,
      );
    });
  });

  describe("the exposures carry no phase", () => {
    beforeEach(() => load(false));

    test("phase 2 starts when it was first published: earlier exposures are left out, with an info diagnostic", async () => {
      const { workspace, experiment } = design(2);
      const run = await runAnalysis(workspace, experiment, { warehouse: warehouse(), phaseStart: published(3 * D) });
      assert.ok(run.result, JSON.stringify(run.diagnostics));
      assert.deepEqual(run.result.units, { control: 1, treatment: 2 });
      assert.deepEqual(run.result.phase_start, { at: "2026-12-04T00:00:00.000Z", basis: "publish_history", version: 7 });
      const info = run.diagnostics.find((d) => d.code === "EXP6110")!;
      assert.equal(info.severity, "info");
      assert.match(
        info.message,
        /has no "phase" column, so phase 2 of "exp1" is taken to start when it was first published \(version 7, 2026-12-04T00:00:00\.000Z\)/,
      );
      assert.ok(run.result.notes?.some((n) => n.includes("first published")));
    });

    test("phase 1 with nothing published reads every exposure, and says so", async () => {
      const { workspace, experiment } = design(1);
      const run = await runAnalysis(workspace, experiment, { warehouse: warehouse(), phaseStart: published(0) });
      // u1 saw two variants across the phases: without a phase column it cannot be told apart.
      assert.deepEqual(run.result!.units, { control: 2, treatment: 2 });
      assert.equal(run.result!.phase_start.basis, "first_exposure");
      assert.equal(run.diagnostics.find((d) => d.code === "EXP6110")?.severity, "info");
    });

    test("a later phase without history is a warning: the phases cannot be told apart", async () => {
      const { workspace, experiment } = design(2);
      const run = await runAnalysis(workspace, experiment, {
        warehouse: warehouse(),
        phaseStart: async () => ({ found: false, why: "nothing is published in directory .exp/published" }),
      });
      const warning = run.diagnostics.find((d) => d.code === "EXP6111")!;
      assert.equal(warning.severity, "warning");
      assert.match(warning.message, /mixes phases/);
    });
  });

  describe("an analysis that matches no exposure says why", () => {
    beforeEach(() => load(false));

    test("a misspelt key: the table's experiments and a did-you-mean", async () => {
      const { workspace, experiment } = design(1);
      const typo = { ...experiment, key: "exp2" };
      const run = await runAnalysis(workspace, typo, { warehouse: warehouse(), connection: "local", asOf: "2026-12-10T00:00:00Z" });
      assert.equal(run.result, undefined);
      const error = run.diagnostics.at(-1)!;
      assert.equal(
        error.message,
        'There are no exposures for "exp2" in connection "local" before 2026-12-10T00:00:00.000Z; the table "exposures" has experiments: exp1, exp_other.',
      );
      assert.equal(error.suggestion, 'did you mean "exp1"?');
    });

    test("an as-of before the data: the experiment's first exposure", async () => {
      const { workspace, experiment } = design(1);
      const run = await runAnalysis(workspace, experiment, { warehouse: warehouse(), connection: "local", asOf: "2026-11-01T00:00:00Z" });
      assert.equal(run.result, undefined);
      assert.equal(
        run.diagnostics.at(-1)!.message,
        'There are no exposures for "exp1" in connection "local" before 2026-11-01T00:00:00.000Z; its first exposure is at 2026-12-01T01:00:00.000Z.',
      );
    });
  });
});
