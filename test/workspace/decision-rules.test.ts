// The decision framework's rules (docs/workspace.md, docs/analysis.md#decision) come from exp.yaml's
// defaults.decision, which an experiment's own `decision:` overrides field by field; without either,
// a decision waits 7 days and 1,000 units per variant. The analysis reads them through decisionDesign.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decisionDesign } from "../../src/analysis/analyze.js";
import { loadWorkspace } from "../../src/workspace/load.js";
import { FIXTURES } from "./fixture-tree.js";

const AS_OF = new Date("2026-12-15T00:00:00Z");
const START = "2026-12-01T00:00:00.000Z";

/** The base workspace with text appended to exp.yaml and to its experiment, loaded; the rules of "checkout" and what the analysis gets. */
async function rules(settings: string, experiment: string) {
  const dir = mkdtempSync(join(tmpdir(), "exp-decision-"));
  try {
    cpSync(join(FIXTURES, "_base"), dir, { recursive: true });
    for (const [file, extra] of [
      ["exp.yaml", settings],
      ["experiments/checkout.yaml", experiment],
    ] as const)
      writeFileSync(join(dir, file), readFileSync(join(dir, file), "utf8") + extra);
    const loaded = await loadWorkspace(dir);
    const checkout = loaded.value?.experiments.get("checkout");
    const analysis = checkout ? decisionDesign(loaded.value!, checkout, AS_OF, START) : undefined;
    return { decision: checkout?.decision, analysis, diagnostics: loaded.diagnostics.map((d) => `${d.code} ${d.message}`) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("without a decision block anywhere: 7 days, 1,000 units per variant, any primary, guardrails must pass", async () => {
  const r = await rules("", "");
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.decision, {
    min_duration: { seconds: 7 * 86400, text: "7d" },
    min_units_per_variant: 1000,
    ship: "any_primary",
    guardrails: "must_pass",
  });
  assert.equal(r.analysis?.minDurationDays, 7);
  assert.equal(r.analysis?.minUnitsPerVariant, 1000);
});

test("exp.yaml defaults.decision applies to every experiment, and an experiment's decision: overrides it field by field", async () => {
  const settings = "defaults:\n  decision: {min_duration: 14d, min_units_per_variant: 5000, ship: all_primaries}\n";
  const inherited = await rules(settings, "");
  assert.deepEqual(inherited.diagnostics, []);
  assert.deepEqual(inherited.decision, {
    min_duration: { seconds: 14 * 86400, text: "14d" },
    min_units_per_variant: 5000,
    ship: "all_primaries",
    guardrails: "must_pass",
  });

  const own = await rules(settings, "decision: {min_units_per_variant: 200, guardrails: no_breach}\n");
  assert.deepEqual(own.diagnostics, []);
  assert.deepEqual(own.decision, {
    min_duration: { seconds: 14 * 86400, text: "14d" },
    min_units_per_variant: 200,
    ship: "all_primaries",
    guardrails: "no_breach",
  });
  // What the analysis decides with: the experiment's rules, its schedule end and the phase start.
  assert.deepEqual(own.analysis, {
    minDurationDays: 14,
    minUnitsPerVariant: 200,
    ship: "all_primaries",
    guardrails: "no_breach",
    asOf: AS_OF.toISOString(),
    start: START,
    end: "2027-01-31T00:00:00.000Z",
  });
});

test("a rule the framework does not know is an error, not a silent default", async () => {
  const r = await rules("", "decision: {ship: sometimes}\n");
  assert.equal(r.decision, undefined);
  assert.ok(
    r.diagnostics.some((d) => /ship/.test(d) && /any_primary/.test(d)),
    r.diagnostics.join("\n"),
  );
});
