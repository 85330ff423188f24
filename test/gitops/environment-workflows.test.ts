// The workflows for a workspace with `environments:` (templates/github-environments), as `exp init`
// would render them for a workspace in a sub-folder: valid GitHub workflows that plan every environment
// on pull requests, apply staging on merge, and promote the same commit to production.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { renderWorkflow } from "../../src/gitops/scaffold.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const folder = join(root, "templates/github-environments");
const validate = new Ajv({ strict: false, allErrors: true }).compile(
  JSON.parse(readFileSync(join(root, "test/fixtures/github-workflow.schema.json"), "utf8")),
);

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string;
  environment?: string;
  strategy?: { matrix: { environment: string[] } };
  steps: Step[];
}
type Workflow = { on: Record<string, any>; jobs: Record<string, Job>; env: Record<string, string>; permissions: Record<string, string> };

function rendered(file: string): Workflow {
  const text = renderWorkflow(readFileSync(join(folder, file), "utf8"), { project: "shop", warehouse: "duckdb", expDir: "exp" }, "tools");
  const doc = parse(text) as Workflow;
  assert.equal(validate(doc), true, `${file}: ${JSON.stringify(validate.errors)}`);
  return doc;
}

const runs = (job: Job) => job.steps.map((s) => s.run ?? "").join("\n");

test("the environment workflows are the plan and the apply-and-promote workflow", () => {
  assert.deepEqual(readdirSync(folder).sort(), ["apply-and-promote.yml", "plan-on-pr.yml"]);
});

test("pull requests plan every environment, each posting its own comment and check run", () => {
  const doc = rendered("plan-on-pr.yml");
  assert.ok("pull_request" in doc.on);
  assert.equal(doc.env.EXP_DIR, "exp");
  const plan = doc.jobs.plan!;
  assert.deepEqual(plan.strategy?.matrix.environment, ["staging", "production"]);
  const r = runs(plan);
  assert.match(r, /exp plan --dir "\$EXP_DIR" --env "\$EXP_ENV" --out plan\.json --format markdown/);
  assert.match(r, /exp github comment --dir "\$EXP_DIR" --env "\$EXP_ENV"/);
  assert.match(r, /exp github check --dir "\$EXP_DIR" --env "\$EXP_ENV"/);
  for (const s of plan.steps.filter((x) => x.run?.includes("--env"))) assert.equal(s.env?.EXP_ENV, "${{ matrix.environment }}", s.name);
  assert.doesNotMatch(JSON.stringify(doc), /secrets\.EXP_ADMIN_TOKEN/, "a pull request's code never gets the write key");
});

test("a merge applies staging, then promotes the same commit to production after checking staging runs it", () => {
  const doc = rendered("apply-and-promote.yml");
  assert.deepEqual(doc.on.push.branches, ["main"]);
  assert.deepEqual(doc.permissions, { contents: "write" });
  const staging = doc.jobs["apply-staging"]!;
  assert.equal(staging.environment, "staging");
  assert.match(runs(staging), /exp apply --dir "\$EXP_DIR" --env staging --auto-approve/);
  assert.doesNotMatch(runs(staging), /--env production/);
  const promote = doc.jobs["promote-production"]!;
  assert.equal(promote.needs, "apply-staging");
  assert.equal(promote.environment, "production");
  assert.equal(promote.steps.find((s) => s.uses?.startsWith("actions/checkout"))?.with?.ref, "${{ github.sha }}");
  const r = runs(promote);
  assert.match(r, /exp export --dir "\$EXP_DIR" --env staging --to ruleset/);
  assert.match(r, /"\$staged" != "\$GITHUB_SHA"/);
  assert.ok(r.indexOf("--env staging --to ruleset") < r.indexOf('exp apply --dir "$EXP_DIR" --env production --auto-approve'));
  for (const job of [staging, promote]) {
    const node = job.steps.find((s) => s.uses?.startsWith("actions/setup-node"));
    assert.equal(node?.with?.["cache-dependency-path"], "tools/package-lock.json");
  }
});

test("the promote check's inline script reads the sourceCommit of an exported ruleset", () => {
  const run = rendered("apply-and-promote.yml").jobs["promote-production"]!.steps.find((s) => s.name === "Staging runs this commit")!.run!;
  const script = /node -e '([^']+)'/.exec(run)![1]!;
  const out = spawnSync(process.execPath, ["-e", script], {
    input: JSON.stringify({ version: 3, sourceCommit: "abc123" }),
    encoding: "utf8",
  });
  assert.equal(out.stdout, "abc123\n");
});
