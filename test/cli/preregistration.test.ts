import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exampleRepo, exp } from "../helpers/workspace.js";

/** Rewrites a file of the workspace with one replacement that must apply. */
function edit(dir: string, file: string, from: RegExp | string, to: string): void {
  const path = join(dir, file);
  const before = readFileSync(path, "utf8");
  const after = before.replace(from, to);
  assert.notEqual(after, before, `${file} holds ${from}`);
  writeFileSync(path, after);
}

const EXPERIMENT = "experiments/checkout_redesign.yaml";

describe("pre-registration: a running experiment's registered design is locked", () => {
  const dir = exampleRepo("exp-prereg-");
  const original = readFileSync(join(dir, EXPERIMENT), "utf8");
  const restore = () => writeFileSync(join(dir, EXPERIMENT), original);

  test("the published ruleset records the design, and a plan of the same files has no changes", () => {
    assert.equal(exp(dir, ["apply", "--auto-approve"]).status, 0);
    const plan = exp(dir, ["plan"]);
    assert.equal(plan.status, 0, plan.stdout + plan.stderr);
  });

  test("swapping the primary metric shows in the plan and is an error (EXP4161) at the field", () => {
    edit(dir, EXPERIMENT, "primary: [purchase_conversion]", "primary: [revenue_per_user]");
    try {
      const plan = exp(dir, ["plan"]);
      assert.equal(plan.status, 3, plan.stdout + plan.stderr);
      const out = plan.stdout + plan.stderr;
      assert.match(out, /registration\.primary/);
      assert.match(out, /EXP4161/);
      assert.match(out, /experiments\/checkout_redesign\.yaml:\d+:\d+/);
      assert.match(out, /registered primary metrics while running/);
      assert.match(out, /set phase: 2 .* or declare the change under "amendments:"/);
    } finally {
      restore();
    }
  });

  for (const [what, from, to] of [
    ["hypothesis", /^hypothesis: .*$/m, "hypothesis: The one-page checkout raises revenue per user."],
    ["analysis method", "method: fixed", "method: sequential"],
    ["alpha", "alpha: 0.05", "alpha: 0.1"],
    ["guardrail metrics or margins", "guardrails: [checkout_errors, p95_page_load]", "guardrails: [checkout_errors]"],
  ] as const) {
    test(`changing the ${what} is an error too`, () => {
      edit(dir, EXPERIMENT, from, to);
      try {
        const plan = exp(dir, ["plan"]);
        assert.equal(plan.status, 3, plan.stdout + plan.stderr);
        assert.match(plan.stdout + plan.stderr, /EXP4161/);
        assert.match(plan.stdout + plan.stderr, new RegExp(`registered ${what} while running`));
      } finally {
        restore();
      }
    });
  }

  test("a guardrail margin changed in the metric's own file is caught for every started experiment using it", () => {
    const metric = "metrics/checkout_errors.yaml";
    const before = readFileSync(join(dir, metric), "utf8");
    const margin = before.match(/max_regression:\s*([^}\s]+)/);
    assert.ok(margin, "the guardrail metric declares a margin");
    edit(dir, metric, /max_regression:\s*[^}\s]+/, "max_regression: 50%");
    try {
      const plan = exp(dir, ["plan"]);
      assert.equal(plan.status, 3, plan.stdout + plan.stderr);
      assert.match(plan.stdout + plan.stderr, /experiment "checkout_redesign" changes its registered guardrail metrics or margins/);
    } finally {
      writeFileSync(join(dir, metric), before);
    }
  });

  test("a declared amendment makes the change a plan that applies, and the plan says so", () => {
    edit(dir, EXPERIMENT, "primary: [purchase_conversion]", "primary: [revenue_per_user]");
    edit(
      dir,
      EXPERIMENT,
      /^control: control$/m,
      "control: control\namendments:\n  - {reason: revenue is what the business case rests on, date: 2026-12-06}",
    );
    const plan = exp(dir, ["plan"]);
    assert.equal(plan.status, 2, plan.stdout + plan.stderr);
    assert.match(plan.stdout + plan.stderr, /EXP4162/);
    assert.match(
      plan.stdout + plan.stderr,
      /amends its registered primary metrics while running: "revenue is what the business case rests on"/,
    );
    assert.deepEqual((JSON.parse(exp(dir, ["plan", "--format", "json"]).stdout) as { amendments?: unknown }).amendments, [
      { experiment: "checkout_redesign", reasons: ["revenue is what the business case rests on"] },
    ]);
    assert.equal(exp(dir, ["apply", "--auto-approve"]).status, 0);
    // The audit record of that publish carries the amendment and its reason.
    const records = readFileSync(join(dir, ".exp/published/audit.log.jsonl"), "utf8").trim().split("\n");
    const last = JSON.parse(records.at(-1)!) as { action: string; amendments?: unknown };
    assert.equal(last.action, "apply");
    assert.deepEqual(last.amendments, [{ experiment: "checkout_redesign", reasons: ["revenue is what the business case rests on"] }]);
    assert.equal(exp(dir, ["audit", "verify"]).status, 0);
    // The amendment is spent: changing the design again needs another one.
    edit(dir, EXPERIMENT, "primary: [revenue_per_user]", "primary: [purchase_conversion]");
    const again = exp(dir, ["plan"]);
    assert.equal(again.status, 3, again.stdout + again.stderr);
    assert.match(again.stdout + again.stderr, /EXP4161/);
  });

  test("a phase bump starts a new registration: the change plans without an amendment", () => {
    edit(dir, EXPERIMENT, /^phase: 1$/m, "phase: 2");
    const plan = exp(dir, ["plan"]);
    assert.equal(plan.status, 2, plan.stdout + plan.stderr);
    assert.doesNotMatch(plan.stdout + plan.stderr, /EXP4161/);
  });
});
