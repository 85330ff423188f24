// `exp plan|apply --env`: the plan names its environment, and each environment has its own published state and audit log.
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { exampleRepo, exp } from "../helpers/workspace.js";

const NOW = { EXP_NOW: "2026-12-06T00:00:00Z" };

function workspace(): string {
  const dir = exampleRepo("exp-env-");
  appendFileSync(
    join(dir, "exp.yaml"),
    "environments:\n  staging: {}\n  production:\n    publish: {type: directory, path: .exp/production}\n    flags:\n      new_search: {enabled: false}\n",
  );
  return dir;
}

test("plan --env names the environment in text, markdown and JSON; apply publishes to that environment only", (t) => {
  const dir = workspace();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const text = exp(dir, ["plan", "--env", "staging"], NOW);
  assert.equal(text.status, 2, text.stderr);
  assert.match(text.stdout, /^exp plan for environment "staging": the workspace compared with nothing is published yet/);
  const md = exp(dir, ["plan", "--env", "staging", "--format", "markdown"], NOW);
  assert.match(md.stdout, /^### exp plan \(staging\): \d+ to create/);
  assert.match(md.stdout, /^Environment: \*\*staging\*\*$/m);
  const json = JSON.parse(exp(dir, ["plan", "--env", "staging", "--format", "json", "--out", "staging-plan.json"], NOW).stdout);
  assert.equal(json.environment, "staging");

  // A plan made for staging is not applied to production.
  const wrong = exp(dir, ["apply", "staging-plan.json", "--env", "production", "--auto-approve"], NOW);
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /the plan file "staging-plan\.json" is for environment "staging", not environment "production"/);

  const applied = exp(dir, ["apply", "staging-plan.json", "--env", "staging", "--auto-approve", "--format", "json"], NOW);
  assert.equal(applied.status, 0, applied.stderr);
  assert.deepEqual(
    { ...JSON.parse(applied.stdout), checksum: undefined },
    { applied: true, environment: "staging", fromVersion: null, toVersion: 1, checksum: undefined, auditSeq: 1 },
  );
  const record = JSON.parse(readFileSync(join(dir, ".exp/published/staging/audit.log.jsonl"), "utf8"));
  assert.equal(record.environment, "staging");
  assert.equal(existsSync(join(dir, ".exp/production/current")), false);
  assert.equal(exp(dir, ["plan", "--env", "staging"], NOW).status, 0);
  assert.equal(exp(dir, ["plan", "--env", "production"], NOW).status, 2);
});

test("plan without --env when exp.yaml declares environments, and an unknown --env, fail with one diagnostic each", (t) => {
  const dir = workspace();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const none = exp(dir, ["apply", "--auto-approve"], NOW);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /error\[EXP1051\]: exp\.yaml declares environments \("production", "staging"\); choose one with --env/);
  const typo = exp(dir, ["plan", "--env", "stagng"], NOW);
  assert.equal(typo.status, 1);
  assert.match(typo.stderr, /error\[EXP1050\]: unknown environment "stagng"/);
  assert.match(typo.stderr, /did you mean "staging"\?/);
  assert.equal(existsSync(join(dir, ".exp")), false);
});
