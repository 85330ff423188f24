// Each workflow of `exp init` run the way a GitHub runner runs it (runner.ts): a repository made by
// `exp init` with exp installed from a packed tarball committed under vendor/ (docs/install.md), a
// bare repository in a temp folder standing in for `origin`, a clean clone per job, `npm ci`, the
// documented secrets as env vars, and `exp github` against the local fake API. The published state
// goes to the `exp-published` branch of origin, so the pull request's plan diffs against what the
// merge published on another "runner".
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { execa } from "execa";
import { FakeGitHub } from "../../helpers/fake-github.js";
import { npxExp, packTarball, userEnv } from "../install/packed-install.js";
import { checkout, runWorkflow, type StepResult } from "./runner.js";

let tmp: string;
let repo: string;
let origin: string;
let gh: FakeGitHub;
let runs = 0;

const git = (cwd: string, args: string[]) => execa("git", ["-c", "user.name=dev", "-c", "user.email=dev@example.com", ...args], { cwd });

function failedSteps(results: StepResult[]): string {
  return results
    .filter((r) => !r.skipped && r.exitCode !== 0)
    .map((r) => `--- ${r.name} (exit ${r.exitCode})\n${r.output}`)
    .join("\n");
}

async function run(workflow: string, ref: string, event: object, secrets: Record<string, string> = {}) {
  const dir = join(tmp, "runner", `${++runs}-${workflow.replace(/\.yml$/, "")}`);
  const sha = await checkout(origin, ref, join(dir, "checkout"));
  const eventPath = join(dir, "event.json");
  writeFileSync(eventPath, JSON.stringify(event));
  const results = await runWorkflow({
    workflow: join(dir, "checkout", ".github", "workflows", workflow),
    workspace: join(dir, "checkout"),
    scratch: join(dir, "runner-temp"),
    secrets: { GITHUB_TOKEN: gh.token, ...secrets },
    github: {
      GITHUB_REPOSITORY: "acme/shop",
      GITHUB_API_URL: gh.url,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_SHA: sha,
      GITHUB_REF_NAME: ref,
    },
  });
  return { results, checkout: join(dir, "checkout"), sha };
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), "exp-workflows-"));
  const tgz = await packTarball(join(tmp, "pack"));
  repo = join(tmp, "repo");
  mkdirSync(join(repo, "vendor"), { recursive: true });
  copyFileSync(tgz, join(repo, "vendor", basename(tgz)));
  await execa("git", ["init", "-q", "-b", "main", repo]);
  const install = await execa("npm", ["install", "--prefix", repo, "--save-dev", `./vendor/${basename(tgz)}`], {
    cwd: repo,
    env: userEnv(),
    all: true,
    reject: false,
  });
  assert.equal(install.exitCode, 0, install.all);
  const init = await npxExp(repo, ["init", "--yes", "--project", "shop"]);
  assert.equal(init.exitCode, 0, init.all);
  origin = join(tmp, "origin.git");
  await execa("git", ["init", "-q", "--bare", "-b", "main", origin]);
  await git(repo, ["add", "-A"]);
  await git(repo, ["commit", "-qm", "exp init"]);
  await git(repo, ["remote", "add", "origin", origin]);
  await git(repo, ["push", "-q", "origin", "main"]);
  gh = new FakeGitHub();
  await gh.start();
});

after(async () => {
  await gh?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe("the workflows of exp init on a stand-in runner", () => {
  test("the committed package.json installs exp from the tarball in the repository", () => {
    const manifest = JSON.parse(readFileSync(join(repo, "package.json"), "utf8"));
    assert.match(manifest.devDependencies["exp-toolchain"], /^file:vendor\/exp-toolchain-.*\.tgz$/);
  });

  test("apply-on-merge: npm ci, validate, apply; the ruleset lands on origin's exp-published branch", async () => {
    const { results } = await run("apply-on-merge.yml", "main", { ref: "refs/heads/main" });
    assert.equal(failedSteps(results), "");
    assert.ok(results.some((r) => r.name === "Apply" && !r.skipped));
    const tree = await execa("git", ["ls-tree", "--name-only", "exp-published"], { cwd: origin });
    assert.deepEqual(tree.stdout.split("\n").sort(), ["audit.log.jsonl", "current", "ruleset.v1.json"]);
  });

  test("plan-on-pr on another runner diffs against what the merge published, comments once and posts the check", async () => {
    await git(repo, ["checkout", "-q", "-b", "flag-off"]);
    const flag = join(repo, "flags", "new_checkout.yaml");
    writeFileSync(flag, readFileSync(flag, "utf8").replace("enabled: true", "enabled: false"));
    await git(repo, ["commit", "-qam", "switch the new checkout off"]);
    await git(repo, ["push", "-q", "origin", "flag-off"]);
    const head = (await git(repo, ["rev-parse", "HEAD"])).stdout.trim();
    const event = { action: "opened", number: 7, pull_request: { number: 7, head: { sha: head } } };
    const { results, checkout: dir } = await run("plan-on-pr.yml", "flag-off", event);
    assert.equal(failedSteps(results), "");
    const plan = readFileSync(join(dir, "plan.md"), "utf8");
    assert.match(plan, /new_checkout/);
    assert.doesNotMatch(plan, /checkout_errors|purchase_conversion/, `only the flag changed since the merge:\n${plan}`);
    const comments = gh.comments.get(7) ?? [];
    assert.equal(comments.length, 1);
    assert.match(comments[0]!.body, /new_checkout/);
    assert.equal(gh.checkRuns.length, 1);
    assert.equal(gh.checkRuns[0]!.head_sha, head);
    assert.deepEqual(gh.violations, []);
  });

  test("scheduled-analysis without a warehouse the runner can reach: the report step names the setting", async () => {
    const { results } = await run("scheduled-analysis.yml", "main", {});
    const report = results.find((r) => r.name === "Report")!;
    assert.notEqual(report.exitCode, 0, report.output);
    assert.match(report.output, /warehouse\.connections/);
    assert.doesNotMatch(report.output, /^\s+at /m, "no stack trace");
    assert.ok(results.find((r) => r.name === "Push")!.skipped, "nothing is pushed after a failed report");
  });

  test("guardrail-watch and bandit-update with nothing running: every step passes, no pull request", async () => {
    for (const wf of ["guardrail-watch.yml", "bandit-update.yml"]) {
      const { results } = await run(wf, "main", {}, { EXP_PG_URL: "" });
      assert.equal(failedSteps(results), "", wf);
    }
  });
});
