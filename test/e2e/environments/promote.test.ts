// Environments end to end, in a real git repository with bin/exp: plan and apply to staging, promote the
// same commit to production, roll back production only, and read both audit histories.
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AuditRecord } from "../../../src/plan/audit.js";
import { exampleRepo, exp, git } from "../../helpers/workspace.js";

const NOW = { EXP_NOW: "2026-12-06T00:00:00Z" };

// Staging publishes to its default folder; production to a branch of the repository, with the new
// search backend switched off until it has proven itself in staging.
const ENVIRONMENTS = `environments:
  staging:
    description: pre-production
  production:
    publish: {type: git, branch: exp-production}
    flags:
      new_search: {enabled: false}
`;

function run(dir: string, args: string[]) {
  const r = exp(dir, args, NOW);
  return { ...r, json: () => JSON.parse(r.stdout) as Record<string, any> };
}

function ok(dir: string, args: string[], status = 0) {
  const r = run(dir, args);
  assert.equal(r.status, status, `exp ${args.join(" ")}\n${r.stdout}\n${r.stderr}`);
  return r;
}

function audit(dir: string, env: string): AuditRecord[] {
  return ok(dir, ["audit", "--env", env, "--format", "json"]).json().records as AuditRecord[];
}

function current(dir: string, env: string): { version: number; sourceCommit: string } {
  const ruleset = JSON.parse(ok(dir, ["export", "--env", env, "--to", "ruleset"]).stdout) as { version: number; sourceCommit: string };
  return { version: ruleset.version, sourceCommit: ruleset.sourceCommit };
}

function assignNewSearch(dir: string, env: string): unknown {
  return ok(dir, ["assign", "new_search", "--unit", "user_42", "--env", env, "--format", "json"]).json().value;
}

test("plan/apply to staging, promote to production, roll back production only; the audit logs show both histories", (t) => {
  const dir = exampleRepo("exp-environments-");
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  appendFileSync(join(dir, "exp.yaml"), ENVIRONMENTS);
  git(dir, "commit", "-qam", "declare staging and production");
  const first = git(dir, "rev-parse", "HEAD").trim();

  // 1. Staging: plan (names the environment), apply.
  const plan = ok(dir, ["plan", "--env", "staging"], 2);
  assert.match(plan.stdout, /^exp plan for environment "staging"/);
  ok(dir, ["apply", "--env", "staging", "--auto-approve"]);
  // 2. Promote: the same commit, applied to production.
  assert.match(ok(dir, ["plan", "--env", "production", "--format", "json"], 2).stdout, /"environment": "production"/);
  ok(dir, ["apply", "--env", "production", "--auto-approve"]);
  assert.deepEqual(current(dir, "staging"), { version: 1, sourceCommit: first });
  assert.deepEqual(current(dir, "production"), { version: 1, sourceCommit: first });
  // The production override holds there only.
  assert.equal(assignNewSearch(dir, "staging"), true);
  assert.equal(assignNewSearch(dir, "production"), false);

  // 3. A second change goes through staging, then is promoted.
  const flag = join(dir, "flags/recs_count.yaml");
  writeFileSync(flag, readFileSync(flag, "utf8").replace("default: few", "default: many"));
  git(dir, "commit", "-qam", "more recommendations by default");
  const second = git(dir, "rev-parse", "HEAD").trim();
  ok(dir, ["apply", "--env", "staging", "--auto-approve"]);
  ok(dir, ["plan", "--env", "staging"], 0);
  ok(dir, ["plan", "--env", "production"], 2);
  ok(dir, ["apply", "--env", "production", "--auto-approve"]);
  assert.deepEqual(current(dir, "production"), { version: 2, sourceCommit: second });

  // 4. Roll back production only: staging keeps the second change.
  const rolled = ok(dir, ["rollback", "--env", "production", "--format", "json"]).json();
  assert.equal(rolled.environment, "production");
  assert.equal(rolled.toVersion, 1);
  assert.deepEqual(current(dir, "production"), { version: 1, sourceCommit: first });
  assert.deepEqual(current(dir, "staging"), { version: 2, sourceCommit: second });
  ok(dir, ["plan", "--env", "staging"], 0);

  // 5. Each environment's audit log has its own history, every record naming its environment.
  const shape = (r: AuditRecord) => [r.environment, r.action, r.fromVersion, r.toVersion, r.sourceCommit];
  assert.deepEqual(audit(dir, "staging").map(shape), [
    ["staging", "apply", null, 1, first],
    ["staging", "apply", 1, 2, second],
  ]);
  assert.deepEqual(audit(dir, "production").map(shape), [
    ["production", "apply", null, 1, first],
    ["production", "apply", 1, 2, second],
    ["production", "rollback", 2, 1, first],
  ]);
  const table = ok(dir, ["audit", "--env", "production"]).stdout;
  assert.match(table, /^seq\s+environment\s+time/);
  assert.match(table, /^3\s+production\s+.*rollback/m);
  for (const env of ["staging", "production"]) assert.match(ok(dir, ["audit", "verify", "--env", env]).stdout, /chain verified/);
  // Production's state lives on its branch, staging's in its folder.
  assert.match(git(dir, "branch", "--list", "exp-production"), /exp-production/);

  // 6. Without --env, nothing is published or read: the workspace declares environments.
  const none = run(dir, ["rollback"]);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /EXP1051/);
});
