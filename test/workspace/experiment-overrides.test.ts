// `overrides:` on experiments: validated like a flag's, compiled into the ruleset, forced by the evaluator.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { loadWorkspace } from "../../src/workspace/load.js";
import { compileRuleset } from "../../src/compiler/ruleset/compile.js";
import { createEvaluator } from "../../src/runtime/evaluator.js";
import { workspaceFromTree } from "./fixture-tree.js";

const EXPERIMENT = (overrides: string) => `experiment: checkout
status: running
layer: checkout
targeting: country == "US"
schedule: {start: 2026-11-01T00:00:00Z, end: 2027-01-31T00:00:00Z}
variants:
  control: {weight: 50}
  treatment: {weight: 50}
${overrides}
metrics:
  primary: [conversion]
`;

async function load(overrides: string) {
  const dir = workspaceFromTree({ "experiments/checkout.yaml": EXPERIMENT(overrides) });
  try {
    return await loadWorkspace(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("an override naming no variant of the experiment is an error with a did-you-mean", async () => {
  const r = await load("overrides:\n  treatmnet: [qa_alice]");
  const d = r.diagnostics.filter((x) => x.severity === "error");
  assert.deepEqual(
    d.map((x) => [x.code, x.message, x.suggestion, x.span?.line, x.span?.column]),
    [
      [
        "EXP3005",
        'unknown variant "treatmnet"; overrides of experiment "checkout" must name one of its variants',
        'did you mean "treatment"?',
        10,
        3,
      ],
    ],
  );
});

test("a unit listed twice, under one variant or two, is an error at its second entry", async () => {
  const r = await load("overrides:\n  control: [qa_alice, 42, 42]\n  treatment: [qa_alice]");
  assert.deepEqual(
    r.diagnostics.map((x) => [x.code, x.message, x.span?.line]),
    [
      ["EXP3028", 'unit "42" is listed twice under "control" in the overrides of experiment "checkout"; keep one entry', 10],
      [
        "EXP3028",
        'unit "qa_alice" is listed under both "control" and "treatment" in the overrides of experiment "checkout"; keep one entry',
        11,
      ],
    ],
  );
});

test("overrides compile into the ruleset and force the variant whatever the targeting, without enrolling the unit", async () => {
  const r = await load("overrides:\n  control: [qa_alice, 42]\n  treatment: [qa_bob]");
  assert.deepEqual(r.diagnostics, []);
  const ruleset = compileRuleset(r.value!, { createdAt: "2026-12-01T00:00:00.000Z" }).value;
  assert.deepEqual(ruleset.experiments["checkout"]!.overrides, { qa_alice: "control", "42": "control", qa_bob: "treatment" });
  const ev = createEvaluator(ruleset);
  const at = Date.parse("2026-12-02T00:00:00Z");
  // Not in the US, so targeting would turn the unit away: the override comes first.
  const forced = ev.assign("checkout", "qa_bob", { country: "FR" }, at);
  assert.deepEqual(
    { variant: forced.variant, inExperiment: forced.inExperiment, reasons: forced.reasons, bucket: forced.bucket },
    { variant: "treatment", inExperiment: false, reasons: ["running", "override", "variant:treatment"], bucket: null },
  );
  assert.equal(ev.assign("checkout", "42", {}, at).variant, "control");
  assert.equal(ev.assign("checkout", "someone", { country: "FR" }, at).variant, null);
});

test("an experiment without overrides compiles without the field, so its checksum is unchanged", async () => {
  const r = await load("");
  const ruleset = compileRuleset(r.value!, { createdAt: "2026-12-01T00:00:00.000Z" }).value;
  assert.equal("overrides" in ruleset.experiments["checkout"]!, false);
});
