import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
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
