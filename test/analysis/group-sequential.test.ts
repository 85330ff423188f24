// `exp analyze` through the built CLI on a group-sequential experiment: the look comes from the
// schedule and --as-of, the information fraction from the power design or the calendar, and the
// boundary from the Lan–DeMets spending function.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { groupSequentialBounds } from "../../src/stats/group-sequential.js";
import { exp } from "../helpers/workspace.js";
import { duckDbWorkspace, removeWorkspaces, type ReferenceDataset } from "./reference-workspace.js";

let dir: string;
let ds: ReferenceDataset;

/** The conversion dataset's experiment, rewritten with a schedule, a look plan and optionally a power design. */
function writeExperiment(extra: { schedule?: string; power?: string }): void {
  const lines = [
    `experiment: ${ds.experiment}`,
    "status: running",
    "phase: 1",
    "unit: user",
    "variants:",
    ...ds.variants.map((v) => `  ${v.key}: { weight: ${v.weight} }`),
    `control: ${ds.control}`,
    "metrics:",
    `  primary: [${ds.metrics.map((m) => m.metric).join(", ")}]`,
    "analysis: { method: group_sequential, looks: 3, alpha: 0.05, correction: bh }",
  ];
  if (extra.schedule) lines.push(`schedule: ${extra.schedule}`);
  if (extra.power) lines.push(`power: ${extra.power}`);
  writeFileSync(join(dir, "experiments", `${ds.experiment}.yaml`), `${lines.join("\n")}\n`);
}

function analyze(asOf: string) {
  const r = exp(dir, ["analyze", ds.experiment, "--format", "json", "--as-of", asOf]);
  assert.equal(r.status, 0, r.stderr);
  return { json: JSON.parse(r.stdout), stderr: r.stderr };
}

describe("exp analyze with method group_sequential", () => {
  after(removeWorkspaces);
  before(async () => {
    ({ dir, ds } = await duckDbWorkspace("conversion"));
  });

  test("calendar looks: 20 of 30 days is look 2 of 3 at information 2/3, with the K = 3 O'Brien–Fleming boundary", () => {
    writeExperiment({ schedule: "{ start: 2026-12-01T00:00:00Z, end: 2026-12-31T00:00:00Z }" });
    const { json } = analyze("2026-12-21T00:00:00Z");
    assert.equal(json.method, "group_sequential");
    const gs = json.group_sequential;
    assert.equal(gs.look, 2);
    assert.equal(gs.looks, 3);
    assert.equal(gs.spending, "obrien_fleming");
    assert.ok(Math.abs(gs.information_fraction - 2 / 3) < 1e-12);
    assert.ok(Math.abs(gs.boundary - 2.5114) < 1.5e-4, `boundary ${gs.boundary}`);
    assert.match(json.notes[0], /look 2 of 3/);
    assert.match(json.notes[0], /share of the schedule elapsed/);
    // Repeated confidence interval: diff ± boundary·SE, and significance against the look's nominal level.
    const m = json.metrics[0];
    const c = m.comparisons[0];
    const arm = (v: string) => m.variants[v].variance / m.variants[v].n;
    const se = Math.sqrt(arm(c.variant) + arm(ds.control));
    assert.ok(Math.abs((c.diff_ci[1] - c.diff_ci[0]) / 2 - gs.boundary * se) < 1e-9 * se);
    assert.equal(c.significant, c.p_value_adjusted < gs.nominal_alpha);
  });

  test("with a power design the information fraction is units over the planned sample", () => {
    writeExperiment({
      schedule: "{ start: 2026-12-01T00:00:00Z, end: 2026-12-31T00:00:00Z }",
      power: "{ mde: 10%, baseline: 0.25, power: 0.8 }",
    });
    const { json } = analyze("2026-12-12T00:00:00Z");
    const gs = json.group_sequential;
    const units = Object.values(json.units as Record<string, number>).reduce((a, b) => a + b, 0);
    const planned = Number(/of the (\d+) the power design needs/.exec(json.notes[0])![1]);
    assert.equal(gs.look, 1);
    assert.ok(Math.abs(gs.information_fraction - Math.min(1, units / planned)) < 1e-12);
    assert.ok(gs.information_fraction > 0 && gs.information_fraction < 1, `fraction ${gs.information_fraction}`);
    assert.ok(Math.abs(gs.boundary - groupSequentialBounds([gs.information_fraction], 0.05)[0]!) < 1e-9);
  });

  test("without an end date: a warning, a note and fixed-horizon inference", () => {
    writeExperiment({ schedule: "{ start: 2026-12-01T00:00:00Z }" });
    const { json, stderr } = analyze("2026-12-21T00:00:00Z");
    assert.equal(json.method, "fixed");
    assert.equal(json.group_sequential, undefined);
    assert.match(json.notes.join(" "), /no schedule end date/);
    assert.match(stderr, /EXP6108/);
  });
});
