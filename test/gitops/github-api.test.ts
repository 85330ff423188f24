import { test, describe, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { FakeGitHub } from "../helpers/fake-github.js";
import { createGitHubClient } from "../../src/gitops/github-client.js";
import { PLAN_MARKER, upsertStickyComment } from "../../src/gitops/sticky-comment.js";
import { publishCheckRun } from "../../src/gitops/check-run.js";
import { toAnnotations } from "../../src/gitops/annotations.js";
import { GitOpsError } from "../../src/gitops/gitops-error.js";
import type { DiagnosticJson } from "../../src/diagnostics/diagnostic.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("sticky comment against the fake API", () => {
  let gh: FakeGitHub;
  before(async () => {
    gh = new FakeGitHub();
    await gh.start();
  });
  after(() => gh.stop());
  beforeEach(() => {
    gh.comments.clear();
    gh.requests.length = 0;
    gh.failure = undefined;
  });
  const client = () => createGitHubClient({ token: gh.token, apiUrl: gh.url });
  const target = { owner: "acme", repo: "shop", issueNumber: 7 };

  test("creates once, then updates the same comment", async () => {
    const first = await upsertStickyComment(client(), target, "plan v1");
    assert.equal(first.action, "created");
    const second = await upsertStickyComment(client(), target, "plan v2");
    assert.equal(second.action, "updated");
    assert.equal(second.id, first.id);
    const list = gh.comments.get(7)!;
    assert.equal(list.length, 1);
    assert.ok(list[0]!.body.startsWith(PLAN_MARKER));
    assert.match(list[0]!.body, /plan v2/);
    assert.doesNotMatch(list[0]!.body, /plan v1/);
    assert.deepEqual(gh.violations, []);
  });

  test("finds its comment among others on a later page", async () => {
    for (let i = 0; i < 130; i++) gh.addComment(7, `review note ${i}`);
    const ours = gh.addComment(7, `${PLAN_MARKER}\nold plan`, "github-actions[bot]");
    for (let i = 0; i < 40; i++) gh.addComment(7, `later note ${i}`);
    const r = await upsertStickyComment(client(), target, "new plan");
    assert.equal(r.action, "updated");
    assert.equal(r.id, ours.id);
    assert.equal(gh.comments.get(7)!.length, 171);
    assert.equal(gh.comments.get(7)!.filter((c) => c.body.includes(PLAN_MARKER)).length, 1);
    const pages = gh.requests.filter((q) => q.method === "GET").map((q) => q.query.page ?? "1");
    assert.deepEqual(pages, ["1", "2"]);
    assert.equal(gh.requests.filter((q) => q.method === "POST").length, 0);
  });

  test("a reviewer quoting the plan comment is not mistaken for it", async () => {
    const quote = gh.addComment(7, `> ${PLAN_MARKER}\n> old plan\n\nwhy this change?`, "reviewer");
    const r = await upsertStickyComment(client(), target, "fresh plan");
    assert.equal(r.action, "created");
    assert.notEqual(r.id, quote.id);
    assert.match(quote.body, /why this change\?/);
    assert.equal(gh.comments.get(7)!.length, 2);
  });

  test("sends token auth, a user-agent and the GitHub accept header", async () => {
    await upsertStickyComment(client(), target, "x");
    for (const q of gh.requests) {
      assert.equal(q.headers.authorization, `token ${gh.token}`);
      assert.match(String(q.headers["user-agent"]), /^exp\//);
      assert.match(String(q.headers.accept), /application\/vnd\.github/);
    }
  });

  test("a 403 becomes a GitOpsError naming the status, the step and GitHub's message", async () => {
    gh.failWith(403, "Resource not accessible by integration", /^POST /);
    await assert.rejects(upsertStickyComment(client(), target, "x"), (e: unknown) => {
      assert.ok(e instanceof GitOpsError);
      assert.equal(e.code, "EXP7503");
      assert.match(
        e.message,
        /^GitHub API returned 403 while creating the plan comment on pull request #7: Resource not accessible by integration$/,
      );
      return true;
    });
    assert.equal(gh.comments.get(7), undefined);
  });
});

describe("check run against the fake API", () => {
  let gh: FakeGitHub;
  before(async () => {
    gh = new FakeGitHub();
    await gh.start();
  });
  after(() => gh.stop());
  const client = () => createGitHubClient({ token: gh.token, apiUrl: gh.url });

  test("120 annotations go out as 50 + 50 + 20 and complete only at the end", async () => {
    const diags: DiagnosticJson[] = Array.from({ length: 120 }, (_, i) => ({
      code: "EXP3001",
      severity: i % 3 === 0 ? "error" : i % 3 === 1 ? "warning" : "info",
      message: `problem ${i}`,
      file: `experiments/e${i}.yaml`,
      line: i + 1,
      column: 3,
      endLine: i + 1,
      endColumn: 9,
    }));
    const before = gh.requests.length;
    const r = await publishCheckRun(client(), {
      owner: "acme",
      repo: "shop",
      headSha: SHA,
      title: "t",
      summary: "s",
      conclusion: "failure",
      annotations: toAnnotations(diags, "ws"),
    });
    assert.equal(r.requests, 3);
    const run = gh.checkRuns.find((c) => c.id === r.id)!;
    assert.deepEqual(run.annotationBatches, [50, 50, 20]);
    assert.equal(run.output.annotations.length, 120);
    assert.equal(run.status, "completed");
    assert.equal(run.conclusion, "failure");
    const sent = gh.requests.slice(before).map((q) => [q.method, (q.body as { status?: string }).status]);
    assert.deepEqual(sent, [
      ["POST", "in_progress"],
      ["PATCH", "in_progress"],
      ["PATCH", "completed"],
    ]);
    assert.equal(run.output.annotations[77]!.path, "ws/experiments/e77.yaml");
    assert.equal(run.output.annotations[77]!.start_line, 78);
    assert.deepEqual(gh.violations, []);
  });

  test("no annotations: one completed create", async () => {
    const r = await publishCheckRun(client(), {
      owner: "acme",
      repo: "shop",
      headSha: SHA,
      title: "t",
      summary: "ok",
      conclusion: "success",
      annotations: [],
    });
    assert.equal(r.requests, 1);
    const run = gh.checkRuns.find((c) => c.id === r.id)!;
    assert.equal(run.conclusion, "success");
    assert.equal(run.name, "exp plan");
  });

  test("a 500 on the update reports which batch failed", async () => {
    gh.failWith(500, "Server Error", /^PATCH /);
    const diags: DiagnosticJson[] = Array.from({ length: 60 }, (_, i) => ({
      code: "EXP1",
      severity: "error",
      message: "m",
      file: "a.yaml",
      line: i + 1,
    }));
    await assert.rejects(
      publishCheckRun(client(), {
        owner: "acme",
        repo: "shop",
        headSha: SHA,
        title: "t",
        summary: "s",
        conclusion: "failure",
        annotations: toAnnotations(diags, ""),
      }),
      /^GitOpsError: GitHub API returned 500 while adding annotations 51–60 to the "exp plan" check run: Server Error$/,
    );
    gh.failure = undefined;
  });
});

describe("annotations from diagnostics", () => {
  test("levels, prefixing, and columns only on one line", () => {
    const out = toAnnotations(
      [
        {
          code: "EXP2004",
          severity: "error",
          message: "unknown attribute",
          file: "experiments/x.yaml",
          line: 12,
          column: 17,
          endLine: 12,
          endColumn: 24,
          suggestion: 'did you mean "country"?',
        },
        { code: "EXP3002", severity: "warning", message: "w", file: "flags/f.yaml", line: 3, column: 1, endLine: 5, endColumn: 2 },
        { code: "EXP4001", severity: "info", message: "i", file: "metrics/m.yaml" },
        { code: "EXP1001", severity: "error", message: "no exp.yaml" },
      ],
      "sub/dir",
    );
    assert.deepEqual(out, [
      {
        path: "sub/dir/experiments/x.yaml",
        start_line: 12,
        end_line: 12,
        start_column: 17,
        end_column: 24,
        annotation_level: "failure",
        message: "unknown attribute",
        title: "EXP2004",
        raw_details: 'did you mean "country"?',
      },
      { path: "sub/dir/flags/f.yaml", start_line: 3, end_line: 5, annotation_level: "warning", message: "w", title: "EXP3002" },
      { path: "sub/dir/metrics/m.yaml", start_line: 1, end_line: 1, annotation_level: "notice", message: "i", title: "EXP4001" },
    ]);
  });
});
