// A guard taking a gated rollout step publishes only that step dated, audited as guard_advance, once;
// exp plan's drift names it, and exp guardrails --guards writes the date into git.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeGuardChanges } from "../../src/app/guard-sync.js";
import { compileRuleset } from "../../src/compiler/ruleset/compile.js";
import { parseAuditRecords, verifyAuditChain } from "../../src/plan/audit-verify.js";
import { detectDrift } from "../../src/plan/drift.js";
import { advanceGatedStep } from "../../src/plan/guard-advance.js";
import { DirectoryTarget } from "../../src/plan/target/directory.js";
import { loadWorkspace } from "../../src/workspace/load.js";
import { workspaceFromTree } from "../workspace/fixture-tree.js";
import { GUARD_KEY, gatedFiles } from "../runtime/server/guards/guarded-rollout.js";

const NOW = new Date("2026-12-01T00:10:00Z");

test("a taken gated step is published dated now, audited, once, and written into git", async () => {
  const dir = workspaceFromTree(gatedFiles(1000));
  try {
    const ws = (await loadWorkspace(dir)).value!;
    const target = new DirectoryTarget(join(dir, "published"));
    await target.publish(compileRuleset(ws).value, { expectedVersion: undefined, expectedChecksum: undefined });
    const request = { guard: GUARD_KEY, step: 2, reason: "no regression", actor: "exp serve (guard)", now: NOW };
    assert.equal((await advanceGatedStep(target, request))?.toVersion, 2);
    const rule = (await target.current())!.ruleset.flags.new_checkout!.rules[0]!;
    assert.deepEqual(rule.kind === "rollout" && rule.steps, [
      { at: "2026-12-01T00:00:00.000Z", traffic: 5000 },
      { at: NOW.toISOString(), traffic: 10000, afterUnits: 1000 },
    ]);
    const text = await target.auditText();
    assert.ok(verifyAuditChain(text).ok);
    const records = parseAuditRecords(text);
    assert.equal(records.at(-1)!.action, "guard_advance");
    assert.match(detectDrift(2, records, true)!.cause, /guard "rollout:new_checkout:everyone" took step 2 of the rollout/);
    // Taken already: nothing left to change, nothing published.
    assert.equal(await advanceGatedStep(target, request), undefined);
    assert.deepEqual(await writeGuardChanges(ws, target), [
      { guard: GUARD_KEY, file: "flags/new_checkout.yaml", set: { rule: "everyone", step: 2, at: NOW.toISOString() } },
    ]);
    const written = readFileSync(join(dir, "flags/new_checkout.yaml"), "utf8");
    assert.match(written, /- \{ ?percent: 100, at: "?2026-12-01T00:10:00.000Z"? ?\}/);
    const again = await loadWorkspace(dir);
    assert.ok(again.value, JSON.stringify(again.diagnostics));
    assert.deepEqual(await writeGuardChanges(again.value, target), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a gated step needs a guard, a dated step before it, and no dated step after it", async () => {
  const files = gatedFiles(1000);
  const flag = files["flags/new_checkout.yaml"]!;
  const cases: [string, RegExp][] = [
    [flag.replace("      guard: {metrics: [error_clicks], min_units: 200}\n", ""), /has no guard to judge it/],
    [flag.replace("        - {at: 2026-12-01T00:00:00Z, percent: 50}\n", ""), /is the first step and gated/],
    [`${flag}        - {at: 2026-12-02T00:00:00Z, percent: 100}\n`, /is dated but follows step 2, which is gated/],
  ];
  for (const [text, message] of cases) {
    const dir = workspaceFromTree({ ...files, "flags/new_checkout.yaml": text });
    try {
      const ws = await loadWorkspace(dir);
      const d = ws.diagnostics.find((x) => message.test(x.message));
      assert.ok(d, JSON.stringify(ws.diagnostics.map((x) => x.message)));
      assert.ok(d.span, "the diagnostic points at the step");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
