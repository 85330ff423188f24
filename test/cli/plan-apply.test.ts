import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createEvaluator } from "../../src/runtime/evaluator.js";
import type { Ruleset } from "../../src/ruleset/types.js";
import { spawn } from "node:child_process";
import { BIN, exampleRepo, exp, git } from "../helpers/workspace.js";

function readCurrent(dir: string): Ruleset {
  const pointer = JSON.parse(readFileSync(join(dir, ".exp/published/current"), "utf8")) as { version: number };
  return JSON.parse(readFileSync(join(dir, `.exp/published/ruleset.v${pointer.version}.json`), "utf8")) as Ruleset;
}

/** 50/50 → 80/20, whatever the spacing inside the flow mappings. */
function reweight(yaml: string): string {
  const out = yaml.replace(/(control:\s*\{\s*weight:\s*)50/, "$180").replace(/(one_page:\s*\{\s*weight:\s*)50/, "$120");
  assert.notEqual(out, yaml, "the experiment file has the expected weights");
  return out;
}

/** `exp apply --auto-approve` as a child process, resolving with its exit status and all its output. */
function applyInBackground(dir: string, lockTimeout: string): Promise<{ status: number; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, "apply", "--auto-approve", "--lock-timeout", lockTimeout], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: "1", EXP_ACTOR: "ci" },
    });
    let out = "";
    p.stdout.on("data", (c) => (out += c));
    p.stderr.on("data", (c) => (out += c));
    p.on("close", (status) => resolve({ status: status ?? -1, out }));
  });
}

describe("exp plan / apply / rollback / audit, end to end in a git repository", () => {
  const dir = exampleRepo();

  test("plan exits 2 with changes; apply publishes; plan then exits 0", () => {
    const plan = exp(dir, ["plan"]);
    assert.equal(plan.status, 2, plan.stderr + plan.stdout);
    assert.match(plan.stdout, /\+ experiment\.checkout_redesign will be created/);
    assert.match(plan.stdout, /Plan: \d+ to create, 0 to update, 0 to delete\./);
    const json = JSON.parse(exp(dir, ["plan", "--format", "json"]).stdout) as { basedOnVersion: null; summary: { create: number } };
    assert.equal(json.basedOnVersion, null);
    assert.ok(json.summary.create > 5);
    const apply = exp(dir, ["apply", "--auto-approve"]);
    assert.equal(apply.status, 0, apply.stderr + apply.stdout);
    assert.match(apply.stdout, /Applied: first version → v1/);
    const again = exp(dir, ["plan"]);
    assert.equal(again.status, 0, again.stderr + again.stdout);
    assert.match(again.stdout, /No changes/);
  });

  test("changing weights 50/50 → 80/20 on a running experiment is exit 1 naming the exact switching share, and brute force agrees", () => {
    const file = join(dir, "experiments/checkout_redesign.yaml");
    const before = readFileSync(file, "utf8");
    writeFileSync(file, reweight(before));
    const plan = exp(dir, ["plan"]);
    assert.equal(plan.status, 1, plan.stdout + plan.stderr);
    assert.match(plan.stdout, /30\.00% of enrolled units would switch variant/);
    assert.match(plan.stdout, /EXP4001/);
    assert.match(plan.stdout, /experiments\/checkout_redesign\.yaml:\d+:\d+/);

    // Brute force: evaluate 100,000 eligible units against the published and the desired ruleset.
    const published = readCurrent(dir);
    const desired = JSON.parse(exp(dir, ["export", "--to", "ruleset", "--desired"]).stdout) as Ruleset;
    const a = createEvaluator(published);
    const b = createEvaluator(desired);
    let enrolled = 0;
    let switched = 0;
    const at = Date.parse("2026-12-01T00:00:00Z");
    for (let i = 0; i < 100_000; i++) {
      const attrs = { country: "US", platform: "web" };
      const x = a.assign("checkout_redesign", `unit_${i}`, attrs, at);
      if (!x.inExperiment) continue;
      enrolled++;
      const y = b.assign("checkout_redesign", `unit_${i}`, attrs, at);
      if (y.variant !== x.variant) switched++;
    }
    const share = switched / enrolled;
    console.log(`brute force: ${switched} of ${enrolled} enrolled units switched (${(share * 100).toFixed(2)}%); the plan says 30.00%`);
    assert.ok(Math.abs(share - 0.3) < 4 * Math.sqrt((0.3 * 0.7) / enrolled), `brute-force share ${share}`);
    writeFileSync(file, before);
  });

  test("bumping phase with the new weights is a deliberate re-randomisation: exit 2", () => {
    const file = join(dir, "experiments/checkout_redesign.yaml");
    const before = readFileSync(file, "utf8");
    writeFileSync(file, reweight(before).replace("phase: 1", "phase: 2"));
    const plan = exp(dir, ["plan"]);
    assert.equal(plan.status, 2, plan.stdout + plan.stderr);
    assert.match(plan.stdout, /± experiment\.checkout_redesign will be replaced/);
    git(dir, "commit", "-qam", "checkout_redesign: phase 2 at 80/20");
    assert.equal(exp(dir, ["apply", "--auto-approve"]).status, 0);
  });

  test("after apply and rollback, plan reports drift and how to reconcile", () => {
    const rb = exp(dir, ["rollback"]);
    assert.equal(rb.status, 0, rb.stderr + rb.stdout);
    const plan = exp(dir, ["plan"]);
    assert.equal(plan.status, 2, plan.stdout + plan.stderr);
    assert.match(plan.stdout, /drift/);
    assert.match(plan.stdout, /exp rollback by test-actor/);
    assert.match(plan.stdout, /exp apply/);
  });

  test("audit verify exits 0, and 1 naming the record after an edit", () => {
    const ok = exp(dir, ["audit", "verify"]);
    assert.equal(ok.status, 0, ok.stderr + ok.stdout);
    const log = join(dir, ".exp/published/audit.log.jsonl");
    const lines = readFileSync(log, "utf8").trim().split("\n");
    assert.ok(lines.length >= 3);
    const second = JSON.parse(lines[1]!) as { actor: string };
    second.actor = "mallory";
    lines[1] = JSON.stringify(second);
    writeFileSync(log, `${lines.join("\n")}\n`);
    const bad = exp(dir, ["audit", "verify"]);
    assert.equal(bad.status, 1);
    assert.match(bad.stdout + bad.stderr, /record 2|seq 2|#2/);
  });

  test("a saved plan goes stale when the target moves; apply refuses it", () => {
    const d = exampleRepo();
    assert.equal(exp(d, ["plan", "--out", "plan.json"]).status, 2);
    assert.equal(exp(d, ["apply", "--auto-approve"]).status, 0);
    const stale = exp(d, ["apply", "plan.json", "--auto-approve"]);
    assert.equal(stale.status, 1);
    assert.match(stale.stderr, /the plan is stale; run exp plan again/);
  });

  test("an apply that cannot get the lock exits 1 naming the holder; one that waits publishes once the lock is free", async () => {
    const d = exampleRepo();
    const { acquireLock } = await import("../../src/plan/lock.js");
    const run = (timeout: string) => applyInBackground(d, timeout);
    // A live holder (this process) owns the lock, so the outcome does not depend on timing.
    mkdirSync(join(d, ".exp/published"), { recursive: true });
    const held = await acquireLock(join(d, ".exp/published/lock"), "release-bot");
    const waiting = run("60");
    const impatient = await run("0");
    assert.equal(impatient.status, 1, impatient.out);
    assert.match(impatient.out, new RegExp(`locked by release-bot \\(pid ${process.pid}`));
    assert.equal(existsSync(join(d, ".exp/published/current")), false, "nothing was published while locked");
    await held.release();
    const patient = await waiting;
    assert.equal(patient.status, 0, patient.out);
    assert.match(patient.out, /Applied: first version → v1/);
  });

  test("two applies started together publish exactly once", async () => {
    const d = exampleRepo();
    const run = () => applyInBackground(d, "60");
    // Whichever takes the lock second plans again against what the first published.
    const results = await Promise.all([run(), run()]);
    const outs = results.map((r) => r.out).join("\n---\n");
    assert.deepEqual(
      results.map((r) => r.status),
      [0, 0],
      outs,
    );
    assert.equal(results.filter((r) => /Applied: first version → v1/.test(r.out)).length, 1, outs);
    assert.equal(results.filter((r) => /Nothing to apply/.test(r.out)).length, 1, outs);
    const records = readFileSync(join(d, ".exp/published/audit.log.jsonl"), "utf8").trim().split("\n");
    assert.equal(records.length, 1);
  });
});
