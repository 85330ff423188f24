import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readGitHubContext, requireHeadSha, requirePullNumber } from "../../src/gitops/github-context.js";
import { conclusionOf, exitCodeOf, parsePlanJson } from "../../src/gitops/plan-input.js";
import { renderPlanMarkdown } from "../../src/gitops/plan-markdown.js";
import { clampSummary } from "../../src/gitops/check-run.js";
import { describeApiFailure } from "../../src/gitops/github-client.js";
import { PLAN_FORMAT_VERSION } from "../../src/plan/model.js";

const dir = mkdtempSync(join(tmpdir(), "exp-ghctx-"));
function event(name: string, body: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof body === "string" ? body : JSON.stringify(body));
  return p;
}
const base = { GITHUB_TOKEN: "t", GITHUB_REPOSITORY: "acme/shop" };

describe("reading the Actions environment", () => {
  test("pull request event: number and head sha; API URL trailing slash dropped", () => {
    const ctx = readGitHubContext({
      ...base,
      GITHUB_API_URL: "http://127.0.0.1:9/",
      GITHUB_SHA: "b".repeat(40),
      GITHUB_EVENT_PATH: event("pr.json", { pull_request: { number: 5, head: { sha: "a".repeat(40) } } }),
    });
    assert.deepEqual(ctx, {
      token: "t",
      owner: "acme",
      repo: "shop",
      apiUrl: "http://127.0.0.1:9",
      timeoutMs: 30_000,
      pullNumber: 5,
      headSha: "a".repeat(40),
    });
  });
  test("EXP_GITHUB_TIMEOUT_MS sets the per-request limit; a value that is not whole milliseconds is named", () => {
    assert.equal(readGitHubContext({ ...base, EXP_GITHUB_TIMEOUT_MS: "2500" }).timeoutMs, 2500);
    for (const bad of ["0", "-5", "1.5", "soon"])
      assert.throws(
        () => readGitHubContext({ ...base, EXP_GITHUB_TIMEOUT_MS: bad }),
        new RegExp(`^GitOpsError: EXP_GITHUB_TIMEOUT_MS is "${bad.replace(".", "\\.")}"; it must be a whole number of milliseconds`),
      );
  });
  test("issue_comment on a PR gives the number; default API URL", () => {
    const ctx = readGitHubContext({ ...base, GITHUB_EVENT_PATH: event("ic.json", { issue: { number: 9, pull_request: {} } }) });
    assert.equal(ctx.pullNumber, 9);
    assert.equal(ctx.apiUrl, "https://api.github.com");
  });
  test("missing or malformed variables are named", () => {
    assert.throws(() => readGitHubContext({ GITHUB_REPOSITORY: "a/b" }), /^GitOpsError: environment variable GITHUB_TOKEN is not set/);
    assert.throws(() => readGitHubContext({ GITHUB_TOKEN: "t", GITHUB_REPOSITORY: " " }), /GITHUB_REPOSITORY is not set/);
    assert.throws(() => readGitHubContext({ ...base, GITHUB_REPOSITORY: "shop" }), /GITHUB_REPOSITORY is "shop"; expected "owner\/repo"/);
    assert.throws(() => readGitHubContext({ ...base, GITHUB_EVENT_PATH: join(dir, "nope.json") }), /cannot read the event file/);
    assert.throws(() => readGitHubContext({ ...base, GITHUB_EVENT_PATH: event("bad.json", "{") }), /is not valid JSON/);
  });
  test("a push event has no PR number; the check falls back to GITHUB_SHA", () => {
    const env = { ...base, GITHUB_EVENT_PATH: event("push.json", { ref: "refs/heads/main" }) };
    const ctx = readGitHubContext(env);
    assert.throws(() => requirePullNumber(ctx, env), /has no pull_request\.number/);
    assert.throws(() => requireHeadSha(ctx, env), /GITHUB_SHA is not set/);
    const withSha = { ...env, GITHUB_SHA: "c".repeat(40) };
    assert.equal(requireHeadSha(readGitHubContext(withSha), withSha), "c".repeat(40));
  });
});

describe("plan input", () => {
  test("accepts the validate JSON shape; ok:false means failure", () => {
    const plan = parsePlanJson(JSON.stringify({ ok: false, diagnostics: [] }), "v.json");
    assert.equal(conclusionOf(plan), "failure");
    assert.equal(exitCodeOf(plan), 1);
  });
  test("warnings alone pass; an error fails; exit code 3 fails", () => {
    const w = parsePlanJson(JSON.stringify({ diagnostics: [{ code: "A", severity: "warning", message: "m" }] }), "p");
    assert.equal(conclusionOf(w), "success");
    assert.equal(exitCodeOf(w), 0);
    const e = parsePlanJson(JSON.stringify({ diagnostics: [{ code: "A", severity: "error", message: "m" }] }), "p");
    assert.equal(exitCodeOf(e), 1);
    assert.equal(exitCodeOf(parsePlanJson(JSON.stringify({ diagnostics: [], exitCode: 3 }), "p")), 3);
    assert.equal(exitCodeOf(parsePlanJson(JSON.stringify({ diagnostics: [], exitCode: 2 }), "p")), 0, "2 = changes, not a failure");
  });
  test("rejects non-objects and bad diagnostics", () => {
    assert.throws(() => parsePlanJson("[]", "p.json"), /"p\.json" must hold a JSON object/);
    assert.throws(() => parsePlanJson("{x", "p.json"), /"p\.json" is not valid JSON/);
    assert.throws(() => parsePlanJson('{"diagnostics":{}}', "p.json"), /"diagnostics" in "p\.json" must be an array/);
  });
  test("fallback markdown lists diagnostics with places and escapes pipes", () => {
    const md = renderPlanMarkdown({
      diagnostics: [
        { code: "EXP2004", severity: "error", message: "a | b", file: "x.yaml", line: 3, column: 4, suggestion: 'did you mean "country"?' },
      ],
    });
    assert.match(md, /\*\*Result: failed\.\*\*/);
    assert.match(md, /\| ❌ \| EXP2004 \| `x\.yaml:3:4` \| a \\\| b \(did you mean "country"\?\) \|/);
  });
  test("summaries over GitHub's limit are cut with a note", () => {
    const s = clampSummary("x".repeat(70000));
    assert.equal(s.length, 65535);
    assert.match(s, /truncated; the full plan is in the job log\)$/);
  });
  test("connection failures still name the step", () => {
    assert.equal(
      describeApiFailure(new Error("connect ECONNREFUSED"), "listing comments"),
      "GitHub API request failed while listing comments: connect ECONNREFUSED",
    );
  });
});

describe("saved plans", () => {
  const saved = {
    formatVersion: PLAN_FORMAT_VERSION,
    basedOnVersion: null,
    basedOnChecksum: null,
    desiredChecksum: "abc",
    sourceCommit: null,
    changes: [],
    checks: [
      {
        name: "power",
        status: "failed",
        diagnostics: [
          {
            code: "EXP4101",
            severity: "error",
            message: "mde too small",
            file: "experiments/a.yaml",
            line: 4,
            column: 3,
            endLine: 4,
            endColumn: 9,
          },
        ],
      },
      {
        name: "guardrails",
        status: "warned",
        diagnostics: [
          {
            code: "EXP4201",
            severity: "warning",
            message: "no guardrail",
            file: "experiments/a.yaml",
            line: 1,
            column: 1,
            endLine: 1,
            endColumn: 5,
          },
        ],
      },
    ],
    summary: { create: 0, update: 0, delete: 0, replace: 0 },
    exitCode: 3,
  };
  test("diagnostics are gathered from every check; exit code 3 is kept", () => {
    const plan = parsePlanJson(JSON.stringify(saved), "plan.json");
    assert.deepEqual(
      plan.diagnostics.map((d) => d.code),
      ["EXP4101", "EXP4201"],
    );
    assert.equal(conclusionOf(plan), "failure");
    assert.equal(exitCodeOf(plan), 3);
  });
  test("a saved plan is rendered by the planner's own markdown renderer", async () => {
    const { planMarkdown } = await import("../../src/gitops/plan-markdown.js");
    const { renderPlanMarkdown: plannerRender } = await import("../../src/plan/render-markdown.js");
    const md = planMarkdown(parsePlanJson(JSON.stringify(saved), "plan.json"));
    assert.equal(md, plannerRender(saved as never));
    assert.notEqual(md, renderPlanMarkdown(parsePlanJson(JSON.stringify(saved), "plan.json")));
  });
  test("a saved plan of another format version is posted as the diagnostics table, not misread", async () => {
    const { planMarkdown } = await import("../../src/gitops/plan-markdown.js");
    const old = parsePlanJson(JSON.stringify({ ...saved, formatVersion: PLAN_FORMAT_VERSION - 1 }), "plan.json");
    assert.equal(planMarkdown(old), renderPlanMarkdown(old));
  });
});
