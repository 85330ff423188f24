// A guard in YAML reaches the ruleset the server reads: key, metrics, action and min_units.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { compileRuleset } from "../../../../src/compiler/ruleset/compile.js";
import { verifyRuleset } from "../../../../src/ruleset/verify.js";
import { loadWorkspace } from "../../../../src/workspace/load.js";
import { workspaceFromTree } from "../../../workspace/fixture-tree.js";
import { guardedExperiment } from "./guarded-rollout.js";

const FLAG = `flag: new_checkout
type: boolean
default: off
rules:
  - name: staff
    rollout:
      variant: on
      guard: {metrics: [revenue], min_units: 200}
      steps:
        - {at: 2026-12-01T00:00:00Z, percent: 20}
`;

const EXPERIMENT = guardedExperiment(", action: pause");

test("guards compile into the ruleset with their defaults, and the ruleset verifies", async () => {
  const dir = workspaceFromTree({ "flags/new_checkout.yaml": FLAG, "experiments/checkout.yaml": EXPERIMENT });
  try {
    const ws = await loadWorkspace(dir);
    assert.deepEqual(ws.diagnostics, []);
    const { value: ruleset } = compileRuleset(ws.value!, { createdAt: "2026-12-01T00:00:00.000Z" });
    assert.deepEqual(verifyRuleset(ruleset).diagnostics, []);
    const rule = ruleset.flags.new_checkout!.rules[0]!;
    assert.equal(rule.kind, "rollout");
    assert.deepEqual(rule.kind === "rollout" && rule.guard, {
      key: "rollout:new_checkout:staff",
      metrics: ["revenue"],
      action: "rollback",
      minUnits: 200,
    });
    assert.deepEqual(ruleset.experiments.checkout!.guard, { key: "checkout", metrics: ["revenue"], action: "pause", minUnits: 500 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a ruleset without guards has no guard fields, so its checksum does not change", async () => {
  const dir = workspaceFromTree({});
  try {
    const ws = await loadWorkspace(dir);
    const text = JSON.stringify(compileRuleset(ws.value!).value);
    assert.equal(text.includes('"guard"'), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
