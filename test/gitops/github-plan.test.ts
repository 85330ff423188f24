import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FakeGitHub } from "../helpers/fake-github.js";
import { execa } from "execa";
import { BIN, exampleRepo } from "../helpers/workspace.js";

/** Async: the fake GitHub API answers from this same process. */
async function exp(cwd: string, args: string[], env: Record<string, string>) {
  const r = await execa(process.execPath, [BIN, ...args], { cwd, env: { NO_COLOR: "1", ...env }, reject: false });
  return { status: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

let gh: FakeGitHub;
before(async () => {
  gh = new FakeGitHub();
  await gh.start();
});
after(() => gh.stop());

test("exp github comment and check plan the workspace themselves: the sticky comment holds the plan, the check run its conclusion", async () => {
  const dir = exampleRepo();
  const event = join(dir, "..", "event.json");
  writeFileSync(event, JSON.stringify({ number: 7, pull_request: { number: 7, head: { sha: "a".repeat(40) } } }));
  const env = { GITHUB_TOKEN: gh.token, GITHUB_REPOSITORY: "acme/shop", GITHUB_API_URL: gh.url, GITHUB_EVENT_PATH: event };
  const comment = await exp(dir, ["github", "comment"], env);
  assert.equal(comment.status, 0, comment.stderr);
  const comments = gh.comments.get(7) ?? [];
  assert.equal(comments.length, 1);
  assert.match(comments[0]!.body, /<!-- exp:plan -->/);
  assert.match(comments[0]!.body, /### exp plan: \d+ to create, 0 to update, 0 to delete/);
  assert.match(comments[0]!.body, /<summary><code>\+ experiment\.checkout_redesign<\/code> will be created<\/summary>/);
  const check = await exp(dir, ["github", "check"], env);
  assert.equal(check.status, 0, check.stderr);
  const run = gh.checkRuns[gh.checkRuns.length - 1]!;
  assert.equal(run.conclusion, "success");
  assert.deepEqual(gh.violations, []);
});

test("exp github --env plans that environment: one sticky comment and one check run per environment, each naming it", async () => {
  const dir = exampleRepo();
  appendFileSync(join(dir, "exp.yaml"), "environments:\n  staging: {}\n  production:\n    flags:\n      new_search: {enabled: false}\n");
  const event = join(dir, "..", "event-env.json");
  writeFileSync(event, JSON.stringify({ number: 8, pull_request: { number: 8, head: { sha: "b".repeat(40) } } }));
  const env = { GITHUB_TOKEN: gh.token, GITHUB_REPOSITORY: "acme/shop", GITHUB_API_URL: gh.url, GITHUB_EVENT_PATH: event };
  for (const name of ["staging", "production", "staging"]) {
    const comment = await exp(dir, ["github", "comment", "--env", name], env);
    assert.equal(comment.status, 0, comment.stderr);
  }
  const bodies = (gh.comments.get(8) ?? []).map((c) => c.body);
  assert.equal(bodies.length, 2);
  assert.match(bodies[0]!, /^<!-- exp:plan:staging -->\n### exp plan \(staging\): \d+ to create/);
  assert.match(bodies[1]!, /^<!-- exp:plan:production -->\n### exp plan \(production\): \d+ to create/);
  assert.match(bodies[1]!, /^Environment: \*\*production\*\*$/m);
  const check = await exp(dir, ["github", "check", "--env", "production"], env);
  assert.equal(check.status, 0, check.stderr);
  assert.equal(gh.checkRuns[gh.checkRuns.length - 1]!.name, "exp plan (production)");
  // Without --env the check fails, and what it posts says why.
  const missing = await exp(dir, ["github", "check"], env);
  assert.equal(missing.status, 1);
  assert.match(missing.stdout + missing.stderr, /choose one with --env/);
  assert.deepEqual(gh.violations, []);
});
