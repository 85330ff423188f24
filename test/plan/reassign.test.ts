import { test } from "node:test";
import assert from "node:assert/strict";
import { bucket } from "../../src/ruleset/hash.js";
import type { Condition, Ruleset, RulesetExperiment } from "../../src/ruleset/types.js";
import { diffRulesets } from "../../src/plan/diff.js";
import { reassignment } from "../../src/plan/reassign.js";
import { computePlan } from "../../src/plan/plan.js";
import { toDiagnosticJson } from "../../src/diagnostics/json.js";
import type { Workspace } from "../../src/workspace/model.js";

function ruleset(experiments: Record<string, RulesetExperiment>, extra: Partial<Ruleset> = {}): Ruleset {
  return {
    schemaVersion: 1,
    hashVersion: 1,
    version: 1,
    createdAt: "2026-11-01T00:00:00Z",
    sourceCommit: null,
    checksum: "",
    attributes: {},
    segments: {},
    holdouts: {},
    layers: {},
    experiments,
    flags: {},
    ...extra,
  };
}
function exp(over: Partial<RulesetExperiment> = {}): RulesetExperiment {
  return {
    status: "running",
    phase: 1,
    unit: "user",
    schedule: {},
    holdout: true,
    traffic: 10000,
    variants: [
      { key: "control", weight: 5000 },
      { key: "one_page", weight: 5000 },
    ],
    ...over,
  };
}

/** Brute force over real units: what the evaluator's bucketing would do before and after. */
function bruteForce(
  key: string,
  a: RulesetExperiment,
  b: RulesetExperiment,
  n = 100_000,
): { switched: number; left: number; enrolled: number } {
  const pick = (e: RulesetExperiment, u: string): string | null => {
    if (bucket(`traffic:${key}:${e.phase}`, u) >= e.traffic) return null;
    const v = bucket(`variant:${key}:${e.phase}`, u);
    let acc = 0;
    for (const x of e.variants) if (v < (acc += x.weight)) return x.key;
    return null;
  };
  let enrolled = 0,
    switched = 0,
    left = 0;
  for (let i = 0; i < n; i++) {
    const u = `u_${i}`;
    const before = pick(a, u);
    if (before === null) continue;
    enrolled++;
    const after = pick(b, u);
    if (after === null) left++;
    else if (after !== before) switched++;
  }
  return { switched: switched / enrolled, left: left / enrolled, enrolled };
}

test("50/50 → 80/20 moves exactly 30.00% of enrolled units, and brute force agrees", () => {
  const a = exp();
  const b = exp({
    variants: [
      { key: "control", weight: 8000 },
      { key: "one_page", weight: 2000 },
    ],
  });
  const r = reassignment("checkout_redesign", ruleset({ checkout_redesign: a }), ruleset({ checkout_redesign: b }))!;
  assert.equal(r.switchShare, 0.3);
  assert.equal(r.leaveShare, 0);
  assert.equal(r.exact, true);
  const bf = bruteForce("checkout_redesign", a, b);
  console.log(`brute force over 100,000 units: ${(bf.switched * 100).toFixed(2)}% switched (plan says 30.00%)`);
  assert.ok(Math.abs(bf.switched - 0.3) < 4 * Math.sqrt((0.3 * 0.7) / bf.enrolled), `brute force ${bf.switched}`);
});

test("shrinking traffic 50% → 20% makes 60% of enrolled units leave; growing only adds", () => {
  const a = exp({ traffic: 5000 });
  const shrink = reassignment("x", ruleset({ x: a }), ruleset({ x: exp({ traffic: 2000 }) }))!;
  assert.equal(shrink.leaveShare, 0.6);
  assert.equal(shrink.switchShare, 0);
  const bf = bruteForce("x", a, exp({ traffic: 2000 }));
  assert.ok(Math.abs(bf.left - 0.6) < 0.01);
  const grow = reassignment("x", ruleset({ x: a }), ruleset({ x: exp({ traffic: 8000 }) }))!;
  assert.equal(grow.leaveShare, 0);
  assert.equal(grow.switchShare, 0);
  assert.equal(grow.newShare, 0.6);
});

test("a phase bump re-randomises on purpose and says the shares are expectations", () => {
  const r = reassignment("x", ruleset({ x: exp() }), ruleset({ x: exp({ phase: 2 }) }))!;
  assert.equal(r.phaseBumped, true);
  assert.equal(r.exact, false);
  assert.ok(Math.abs((r.switchShare ?? 0) - 0.5) < 1e-9);
});

test("a targeting change is reported as an unknown share", () => {
  const t = {
    op: "==" as const,
    as: "value" as const,
    args: [
      { op: "attr" as const, name: "country" },
      { op: "lit" as const, value: "US" },
    ] as [never, never],
  };
  const r = reassignment("x", ruleset({ x: exp() }), ruleset({ x: exp({ targeting: t }) }))!;
  assert.equal(r.switchShare, null);
  assert.equal(r.exact, false);
});

test("layered experiments: removed slot ranges leave, kept ranges stay, untouched neighbours produce no change", () => {
  const layer = (slots: Record<string, [number, number][]>) => ({ checkout: { slots } });
  const before = ruleset(
    { a: exp({ layer: "checkout", traffic: 4000 }), b: exp({ layer: "checkout", traffic: 2000 }) },
    { layers: layer({ a: [[0, 4000]], b: [[4000, 6000]] }) },
  );
  const after = ruleset(
    { a: exp({ layer: "checkout", traffic: 3000 }), b: exp({ layer: "checkout", traffic: 2000 }) },
    { layers: layer({ a: [[0, 3000]], b: [[4000, 6000]] }) },
  );
  const changes = diffRulesets(before, after);
  const ca = changes.find((c) => c.address === "experiment.a")!;
  assert.equal(ca.reassignment?.leaveShare, 0.25);
  assert.equal(
    changes.find((c) => c.address === "experiment.b"),
    undefined,
    "b is untouched",
  );
});

test("a grown holdout takes an exact share out of experiments that honour holdouts", () => {
  const before = ruleset({ x: exp(), y: exp({ holdout: false }) }, { holdouts: { h: { traffic: 200 } } });
  const after = ruleset({ x: exp(), y: exp({ holdout: false }) }, { holdouts: { h: { traffic: 500 } } });
  const changes = diffRulesets(before, after);
  const x = changes.find((c) => c.address === "experiment.x")!;
  assert.ok(Math.abs((x.reassignment!.leaveShare ?? 0) - 300 / 9800) < 1e-12);
  assert.equal(
    changes.find((c) => c.address === "experiment.y"),
    undefined,
  );
  assert.equal(changes.find((c) => c.address === "holdout.h")?.action, "update");
});

test("diff: create, delete, field-level update keyed by variant, replace on phase", () => {
  const before = ruleset({ a: exp(), gone: exp() });
  const after = ruleset({
    a: exp({
      phase: 2,
      variants: [
        { key: "control", weight: 5000 },
        { key: "one_page", weight: 5000, config: { layout: "x" } },
      ],
    }),
    fresh: exp({ status: "draft" }),
  });
  const changes = diffRulesets(before, after);
  assert.deepEqual(
    changes.map((c) => [c.address, c.action]),
    [
      ["experiment.a", "replace"],
      ["experiment.fresh", "create"],
      ["experiment.gone", "delete"],
    ],
  );
  const a = changes[0]!;
  assert.deepEqual(a.fieldDiffs.map((d) => d.path).sort(), ["phase", "variants.one_page.config.layout"]);
});

test("units leaving because ranges shrank are an error without a phase bump; a grown holdout is shown, not refused", () => {
  const origin = { file: "experiments/x.yaml", values: {}, keys: {} };
  const workspace = {
    experiments: new Map([["x", { key: "x", status: "running", type: "ab", phase: 1, origin }]]),
  } as unknown as Workspace;
  const plan = (published: Ruleset, desired: Ruleset) =>
    computePlan({ workspace, desired, published, checks: [], now: new Date("2026-11-21T12:00:00Z"), toJson: toDiagnosticJson });

  const shrunk = plan(ruleset({ x: exp({ traffic: 5000 }) }), ruleset({ x: exp({ traffic: 2000 }) }));
  assert.deepEqual(shrunk.changes[0]!.reassignment!.causes, [{ kind: "shrank", ranges: "traffic", share: 0.6 }]);
  assert.deepEqual(
    shrunk.checks[0]!.diagnostics.map((d) => [d.code, d.message]),
    [
      [
        "EXP4001",
        'Changing "traffic" of running experiment "x" would remove 60.00% of its enrolled units; bump "phase" to re-randomise on purpose, or only grow it.',
      ],
    ],
  );

  const held = plan(
    ruleset({ x: exp() }, { holdouts: { h: { traffic: 200 } } }),
    ruleset({ x: exp() }, { holdouts: { h: { traffic: 500 } } }),
  );
  const x = held.changes.find((c) => c.address === "experiment.x")!;
  assert.deepEqual(x.reassignment!.causes, [{ kind: "holdouts", share: 1 - 9500 / 9800 }]);
  assert.deepEqual(held.checks[0]!.diagnostics, [], "growing a holdout removes units on purpose, from every experiment alike");

  const both = plan(
    ruleset({ x: exp({ traffic: 5000 }) }, { holdouts: { h: { traffic: 200 } } }),
    ruleset({ x: exp({ traffic: 2000 }) }, { holdouts: { h: { traffic: 500 } } }),
  );
  assert.deepEqual(
    both.changes.find((c) => c.address === "experiment.x")!.reassignment!.causes.map((c) => c.kind),
    ["holdouts", "shrank"],
    "a grown holdout does not hide shrunk traffic",
  );
  assert.deepEqual(
    both.checks[0]!.diagnostics.map((d) => d.code),
    ["EXP4001"],
  );
});

test("objects named like Object.prototype members are created, updated and compared as any other", () => {
  const seg: Condition = {
    op: "==",
    as: "value",
    args: [
      { op: "attr", name: "country" },
      { op: "lit", value: "US" },
    ],
  };
  const before = ruleset({ toString: exp() });
  const after = ruleset(
    { toString: exp({ targeting: { op: "segment", name: "constructor" } }), constructor: exp() },
    { segments: { constructor: seg } },
  );
  const changes = diffRulesets(before, after);
  assert.deepEqual(
    changes.map((c) => [c.address, c.action]),
    [
      ["segment.constructor", "create"],
      ["experiment.constructor", "create"],
      ["experiment.toString", "update"],
    ],
  );
  // A first plan creates everything, whatever the names.
  assert.ok(diffRulesets(undefined, after).every((c) => c.action === "create"));
  assert.equal(reassignment("constructor", before, after), undefined);
});
