import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Ruleset } from "../../src/ruleset/types.js";
import { exampleRepo, exp } from "../helpers/workspace.js";

function current(dir: string): Ruleset {
  const pointer = JSON.parse(readFileSync(join(dir, ".exp/published/current"), "utf8")) as { version: number };
  return JSON.parse(readFileSync(join(dir, `.exp/published/ruleset.v${pointer.version}.json`), "utf8")) as Ruleset;
}

describe("exp stop: break glass on one experiment", () => {
  const dir = exampleRepo("exp-stop-");

  test("stops only the named experiment, as a new audited version", () => {
    assert.equal(exp(dir, ["apply", "--auto-approve"]).status, 0);
    const before = current(dir);
    const r = exp(dir, ["stop", "search_ranker_v2", "--reason", 'guardrail "p95_page_load" breached', "--format", "json"]);
    assert.equal(r.status, 0, r.stderr);
    const view = JSON.parse(r.stdout) as { fromVersion: number; toVersion: number; audit: { action: string; summary: string } };
    assert.deepEqual([view.fromVersion, view.toVersion], [1, 2]);
    assert.equal(view.audit.action, "stop");
    assert.match(view.audit.summary, /stopped experiment "search_ranker_v2": guardrail "p95_page_load" breached/);
    const after = current(dir);
    assert.equal(after.version, 2);
    assert.equal(after.experiments.search_ranker_v2!.status, "stopped");
    // Nothing else changed: the same document once that one status and its layer slots are put back.
    const restored = structuredClone(after);
    restored.experiments.search_ranker_v2!.status = before.experiments.search_ranker_v2!.status;
    assert.equal(after.layers.search?.slots.search_ranker_v2, undefined, "its layer slots are released, as the compiler does");
    restored.layers.search!.slots.search_ranker_v2 = before.layers.search!.slots.search_ranker_v2!;
    for (const r of [restored, before]) {
      const x = r as Partial<Ruleset>;
      delete x.version;
      delete x.createdAt;
      delete x.checksum;
    }
    assert.deepEqual(restored, before);
    const verify = exp(dir, ["audit", "verify"]);
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  });

  test("exp plan reports the drift and refuses to restart it until git says stopped too", () => {
    const plan = exp(dir, ["plan"]);
    assert.equal(plan.status, 3, plan.stdout + plan.stderr);
    assert.match(plan.stdout, /exp stop by test-actor/);
    assert.match(plan.stdout + plan.stderr, /EXP4122/);
    const file = join(dir, "experiments/search_ranker_v2.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace(/^status: running$/m, "status: stopped"));
    const aligned = exp(dir, ["plan"]);
    assert.equal(aligned.status, 0, aligned.stdout + aligned.stderr);
  });

  test("a stopped, unknown or unpublished experiment is a clear error, and --reason is required", () => {
    const again = exp(dir, ["stop", "search_ranker_v2", "--reason", "again"]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /EXP4908.*is stopped in the published version 2/s);
    const unknown = exp(dir, ["stop", "nope", "--reason", "x"]);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /experiment "nope" is not in the published version 2/);
    assert.match(unknown.stderr, /checkout_redesign/);
    const noReason = exp(dir, ["stop", "checkout_redesign"]);
    assert.notEqual(noReason.status, 0);
    assert.match(noReason.stderr, /--reason/);
  });
});
