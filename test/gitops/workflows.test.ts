import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { parse } from "yaml";

const root = fileURLToPath(new URL("../../", import.meta.url));
const schema = JSON.parse(readFileSync(join(root, "test/fixtures/github-workflow.schema.json"), "utf8"));
const ajv = new Ajv({ strict: false, allErrors: true });
const validate = ajv.compile(schema);

function load(rel: string): Record<string, unknown> {
  // GitHub parses workflows as YAML 1.2 where `on:` is a string key; the yaml package does the same.
  return parse(readFileSync(join(root, rel), "utf8")) as Record<string, unknown>;
}

function errorsOf(doc: unknown): string {
  return validate(doc) ? "" : ajv.errorsText(validate.errors, { separator: "\n" });
}

type Step = { run?: string; uses?: string; if?: string; name?: string };
function steps(doc: Record<string, unknown>): Step[] {
  const jobs = doc.jobs as Record<string, { steps?: Step[] }>;
  return Object.values(jobs).flatMap((j) => j.steps ?? []);
}
const runs = (doc: Record<string, unknown>) =>
  steps(doc)
    .map((s) => s.run ?? "")
    .join("\n");

const templates = readdirSync(join(root, "templates/github"))
  .filter((f) => f.endsWith(".yml"))
  .sort();

describe("workflow files validate against the SchemaStore GitHub workflow schema", () => {
  test("the five templates are shipped", () => {
    assert.deepEqual(templates, [
      "apply-on-merge.yml",
      "bandit-update.yml",
      "guardrail-watch.yml",
      "plan-on-pr.yml",
      "scheduled-analysis.yml",
    ]);
  });
  for (const f of [...templates.map((t) => `templates/github/${t}`), ".github/workflows/ci.yml"]) {
    test(f, () => {
      assert.equal(errorsOf(load(f)), "");
    });
  }
  test("the schema is not vacuous: broken workflows are rejected", () => {
    const good = load("templates/github/plan-on-pr.yml");
    assert.notEqual(errorsOf({ ...good, on: "pull_requests" }), "");
    assert.notEqual(errorsOf({ ...good, jobs: { plan: { steps: [{ run: "x" }] } } }), "", "runs-on is required");
    assert.notEqual(errorsOf({ ...good, permissions: { "pull-request": "write" } }), "");
    const { jobs: _jobs, ...noJobs } = good;
    assert.notEqual(errorsOf(noJobs), "");
  });
});

describe("what the workflows do", () => {
  test("plan-on-pr validates, plans as markdown, comments and checks", () => {
    const doc = load("templates/github/plan-on-pr.yml");
    const r = runs(doc);
    assert.match(r, /exp validate/);
    assert.match(r, /exp plan [^\n]*--format markdown/);
    assert.match(r, /exp github comment/);
    assert.match(r, /exp github check/);
    assert.ok(r.indexOf("exp validate") < r.indexOf("exp plan") && r.indexOf("exp plan") < r.indexOf("exp github comment"));
    assert.deepEqual(doc.permissions, { contents: "read", "pull-requests": "write", checks: "write" });
    assert.ok(Object.keys(doc.on as object).includes("pull_request"));
  });
  test("apply-on-merge applies with --auto-approve on pushes to main", () => {
    const doc = load("templates/github/apply-on-merge.yml");
    assert.match(runs(doc), /exp apply [^\n]*--auto-approve/);
    assert.deepEqual((doc.on as { push: { branches: string[] } }).push.branches, ["main"]);
  });
  test("scheduled-analysis reports on a cron and pushes", () => {
    const doc = load("templates/github/scheduled-analysis.yml");
    assert.ok((doc.on as { schedule: { cron: string }[] }).schedule[0]!.cron);
    assert.match(runs(doc), /exp report [^\n]*--all [^\n]*--commit|exp report [^\n]*--commit[^\n]*--all/);
    assert.match(runs(doc), /git push/);
  });
  test("bandit-update recomputes every running bandit on a cron and proposes the weights as a pull request", () => {
    const doc = load("templates/github/bandit-update.yml");
    assert.ok((doc.on as { schedule: { cron: string }[] }).schedule[0]!.cron);
    const r = runs(doc);
    assert.match(r, /exp bandit update --all/);
    assert.match(r, /git diff --quiet/);
    assert.match(r, /gh pr create/);
    assert.ok(r.indexOf("exp bandit update") < r.indexOf("gh pr create"));
    assert.deepEqual(doc.permissions, { contents: "write", "pull-requests": "write" });
  });
  test("guardrail-watch acts only on a breach, only on the experiment that breached: exp stop at once or a stopping PR; SRM is an alert", () => {
    const doc = load("templates/github/guardrail-watch.yml");
    const r = runs(doc);
    assert.match(r, /exp guardrails .*--format json/);
    assert.match(r, /f\.action === "stop"/, "acts on the breach action, not on passed === false");
    assert.doesNotMatch(r, /passed === false|exp rollback/, "no blanket rollback, inconclusive is not a breach");
    assert.match(r, /::warning title=Sample ratio mismatch::/);
    assert.match(r, /exp stop "\$key"/);
    assert.match(r, /status: stopped/);
    assert.match(r, /gh pr create/);
    assert.ok(r.indexOf("exp stop") < r.indexOf("gh pr create"), "the pull request follows the stop");
  });
  test("every workflow installs what init set up (npm ci from the lock file) where package.json is", () => {
    for (const t of templates) {
      const doc = load(`templates/github/${t}`);
      assert.deepEqual(doc.defaults, { run: { "working-directory": "." } }, t);
      assert.equal((doc.env as Record<string, string>).EXP_DIR, ".", t);
      const node = steps(doc).find((s) => s.uses?.startsWith("actions/setup-node"));
      assert.equal((node as { with?: Record<string, unknown> }).with?.["cache-dependency-path"], "package-lock.json", t);
      assert.match(runs(doc), /^npm ci$/m, t);
    }
  });
  test("tokens: plan reads with a read key, apply writes with the admin key and contents: write, PRs are opened with the bot token", () => {
    const stepEnv = (doc: Record<string, unknown>, name: string) =>
      (steps(doc).find((s) => s.name === name) as { env?: Record<string, string> } | undefined)?.env ?? {};
    const plan = load("templates/github/plan-on-pr.yml");
    assert.equal(stepEnv(plan, "Plan").EXP_ADMIN_TOKEN, "${{ secrets.EXP_READ_TOKEN }}");
    assert.doesNotMatch(JSON.stringify(plan), /secrets\.EXP_ADMIN_TOKEN/, "a pull request's code never gets the write key");
    const apply = load("templates/github/apply-on-merge.yml");
    assert.deepEqual(apply.permissions, { contents: "write" }, "the git target pushes its branch");
    assert.equal(stepEnv(apply, "Apply").EXP_ADMIN_TOKEN, "${{ secrets.EXP_ADMIN_TOKEN }}");
    for (const t of ["bandit-update.yml", "guardrail-watch.yml"]) {
      const doc = load(`templates/github/${t}`);
      const opening = steps(doc).find((s) => s.run?.includes("gh pr create")) as { env: Record<string, string>; run: string };
      assert.equal(opening.env.GH_TOKEN, "${{ secrets.EXP_BOT_TOKEN || secrets.GITHUB_TOKEN }}", t);
      assert.match(opening.run, /::warning::EXP_BOT_TOKEN is not set/, t);
    }
  });
  test("this repository's CI runs .ci/run on ubuntu", () => {
    const doc = load(".github/workflows/ci.yml");
    assert.match(runs(doc), /bash \.ci\/run/);
    const jobs = doc.jobs as Record<string, { "runs-on": string }>;
    assert.ok(Object.values(jobs).every((j) => /^ubuntu-/.test(j["runs-on"])));
  });
});
