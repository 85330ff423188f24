// A guard breach publishes the guarded change stopped, with an audit record of its own, once; exp
// plan's drift names it until git catches up.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeGuardChanges } from "../../src/app/guard-sync.js";
import { compileRuleset } from "../../src/compiler/ruleset/compile.js";
import { loadWorkspace } from "../../src/workspace/load.js";
import { workspaceFromTree } from "../workspace/fixture-tree.js";
import { verifyAuditChain, parseAuditRecords } from "../../src/plan/audit-verify.js";
import { detectDrift } from "../../src/plan/drift.js";
import { breakGlassForGuard } from "../../src/plan/guard-break.js";
import { DirectoryTarget } from "../../src/plan/target/directory.js";
import type { Ruleset } from "../../src/ruleset/types.js";
import { GUARD_KEY, guardedExperiment, guardedWorkspace } from "../runtime/server/guards/guarded-rollout.js";

const NOW = new Date("2026-12-01T00:05:00Z");

const withoutVersion = (r: Ruleset) => ({ ...r, version: 0, createdAt: "", checksum: "" });

async function published() {
  const dir = mkdtempSync(join(tmpdir(), "exp-guard-break-"));
  const target = new DirectoryTarget(join(dir, "published"));
  const { ruleset } = await guardedWorkspace();
  await target.publish(ruleset, { expectedVersion: undefined, expectedChecksum: undefined });
  return { dir, target, ruleset };
}

test("rollback puts only the guarded rollout at 0%, audited as guard, and plan reports the drift", async () => {
  const { dir, target, ruleset } = await published();
  try {
    const request = {
      guard: GUARD_KEY,
      action: "rollback" as const,
      reason: "error_clicks regressed",
      actor: "exp serve (guard)",
      now: NOW,
    };
    const out = await breakGlassForGuard(target, request);
    assert.equal(out?.toVersion, 2);
    const current = (await target.current())!;
    const rule = current.ruleset.flags.new_checkout!.rules[0]!;
    assert.deepEqual(rule.kind === "rollout" && rule.steps, [{ at: "1970-01-01T00:00:00.000Z", traffic: 0 }]);
    // Nothing else changed.
    const expected = structuredClone(ruleset);
    (expected.flags.new_checkout!.rules[0] as { steps: unknown }).steps = rule.kind === "rollout" ? rule.steps : [];
    assert.deepEqual(withoutVersion(current.ruleset), withoutVersion(expected));
    const text = await target.auditText();
    assert.ok(verifyAuditChain(text).ok);
    const records = parseAuditRecords(text);
    assert.equal(records.at(-1)!.action, "guard");
    const drift = detectDrift(current.version, records, true);
    assert.match(
      drift!.cause,
      /a guard of exp serve \(exp serve \(guard\)\) at 2026-12-01T00:05:00.000Z: guard "rollout:new_checkout:everyone" rolled back/,
    );
    // Seen again (a restart that lost its record): nothing left to change, nothing published.
    assert.equal(await breakGlassForGuard(target, request), undefined);
    assert.equal((await target.current())!.version, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("pause keeps the rollout at the step in force", async () => {
  const { dir, target } = await published();
  try {
    const request = { guard: GUARD_KEY, action: "pause" as const, reason: "r", actor: "a", now: NOW };
    // The only step has started: holding it changes nothing, so nothing is published.
    assert.equal(await breakGlassForGuard(target, request), undefined);
    const early = await breakGlassForGuard(target, { ...request, now: new Date("2026-11-30T00:00:00Z") });
    const rule = (await target.current())!.ruleset.flags.new_checkout!.rules[0]!;
    assert.equal(early?.toVersion, 2);
    assert.deepEqual(rule.kind === "rollout" && rule.steps, [{ at: "1970-01-01T00:00:00.000Z", traffic: 0 }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an experiment's guard stops it (its layer slots released), and exp guardrails --guards writes status: stopped", async () => {
  const dir = workspaceFromTree({ "experiments/checkout.yaml": guardedExperiment() });
  try {
    const ws = (await loadWorkspace(dir)).value!;
    const target = new DirectoryTarget(join(dir, "published"));
    await target.publish(compileRuleset(ws).value, { expectedVersion: undefined, expectedChecksum: undefined });
    const request = { guard: "checkout", action: "rollback" as const, reason: "revenue regressed", actor: "exp serve (guard)", now: NOW };
    assert.equal((await breakGlassForGuard(target, request))?.toVersion, 2);
    const current = (await target.current())!.ruleset;
    assert.equal(current.experiments.checkout!.status, "stopped");
    assert.equal(current.layers.checkout!.slots.checkout, undefined);
    assert.deepEqual(await writeGuardChanges(ws, target), [
      { guard: "checkout", file: "experiments/checkout.yaml", set: { status: "stopped" } },
    ]);
    assert.match(readFileSync(join(dir, "experiments/checkout.yaml"), "utf8"), /^status: stopped$/m);
    // Git has it now: nothing more to write.
    assert.deepEqual(await writeGuardChanges((await loadWorkspace(dir)).value!, target), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
