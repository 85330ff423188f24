import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { groupSequentialLook } from "../../src/analysis/group-sequential-look.js";
import { plannedUnits } from "../../src/analysis/planned-sample.js";
import { ANALYSIS_CODES } from "../../src/analysis/codes.js";
import type { Experiment } from "../../src/workspace/model.js";
import { makeExperiment, makeMetric, makeWorkspace } from "../compiler/sql/fixture-workspace.js";

const START = "2026-12-01T00:00:00Z";
const END = "2026-12-31T00:00:00Z"; // 30 days: with K = 3, looks at day 10, 20 and 30

function setup(overrides: Partial<Experiment> = {}, looks: number | null = 3) {
  const conv = makeMetric("conv", "any(purchase)");
  const base = makeExperiment("exp1", ["conv"]);
  const experiment: Experiment = {
    ...base,
    schedule: { start: START, end: END },
    analysis: { ...base.analysis, method: "group_sequential", ...(looks !== null ? { looks } : {}) },
    ...overrides,
  };
  return { workspace: makeWorkspace({ metrics: [conv], experiments: [experiment] }), experiment };
}

const at = (days: number) => new Date(Date.parse(START) + days * 86_400_000);

describe("group-sequential look placement", () => {
  test("calendar basis: the last look reached, information = share of the schedule elapsed", () => {
    const { workspace, experiment } = setup();
    const early = groupSequentialLook(workspace, experiment, 100, at(4));
    // Before the first scheduled look the analysis still counts as look 1, at its small fraction.
    assert.equal(early.plan?.look, 1);
    assert.ok(Math.abs(early.plan!.informationFraction - 4 / 30) < 1e-12);
    const mid = groupSequentialLook(workspace, experiment, 100, at(21));
    assert.equal(mid.plan?.look, 2);
    assert.equal(mid.plan?.basis, "calendar");
    assert.ok(Math.abs(mid.plan!.informationFraction - 0.7) < 1e-12);
    assert.match(mid.plan!.note, /look 2 of 3/);
    const late = groupSequentialLook(workspace, experiment, 100, at(45));
    assert.equal(late.plan?.look, 3);
    assert.equal(late.plan?.informationFraction, 1);
  });

  test("sample basis: units so far over the sample size the power design asks for", () => {
    const { workspace, experiment } = setup({ power: { mde: 0.1, baseline: 0.1, power: 0.8 } });
    // Two arms, a conversion from p₁ = 0.1 to p₂ = 0.11, sized as `exp power` sizes it (each arm's variance under
    // the alternative): statsmodels NormalIndPower().solve_power(effect_size=0.01/sqrt((0.09 + 0.0979)/2),
    // alpha=0.05, power=0.8) = 14,748.009 per arm → 14,749, 29,498 in total.
    assert.equal(plannedUnits(workspace, experiment), 29498);
    const r = groupSequentialLook(workspace, experiment, 14749, at(12));
    assert.equal(r.plan?.look, 1);
    assert.equal(r.plan?.basis, "sample");
    assert.ok(Math.abs(r.plan!.informationFraction - 0.5) < 1e-12);
    assert.match(r.plan!.note, /14749 units of the 29498/);
    // More units than planned cap the fraction at 1; the final look is 1 whatever the units.
    assert.equal(groupSequentialLook(workspace, experiment, 40000, at(12)).plan?.informationFraction, 1);
    assert.equal(groupSequentialLook(workspace, experiment, 10, at(30)).plan?.informationFraction, 1);
  });

  test("no end date, no looks, or an analysis before the start: a warning and no plan", () => {
    const open = setup({ schedule: { start: START } });
    const r = groupSequentialLook(open.workspace, open.experiment, 100, at(5));
    assert.equal(r.plan, undefined);
    assert.equal(r.diagnostics[0]?.code, ANALYSIS_CODES.noLookPlan.code);
    assert.match(r.diagnostics[0]!.message, /no schedule end date/);

    const noLooks = setup({}, null);
    assert.match(groupSequentialLook(noLooks.workspace, noLooks.experiment, 100, at(5)).diagnostics[0]!.message, /without "looks"/);

    const { workspace, experiment } = setup();
    assert.match(groupSequentialLook(workspace, experiment, 0, at(-1)).diagnostics[0]!.message, /not after the start/);
  });
});
