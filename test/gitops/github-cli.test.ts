import { test, describe, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { FakeGitHub } from "../helpers/fake-github.js";
import type { DiagnosticJson } from "../../src/diagnostics/diagnostic.js";

// Drives the built CLI (bin/exp runs dist/): build first with `npm run build`.
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const bin = join(repoRoot, "bin/exp");
const SHA = "feedfacecafebeef0123456789abcdef01234567";
const MARKER = "<!-- exp:plan -->";

let gh: FakeGitHub;
let tmp: string;
let wsDir: string;
let eventPath: string;

function env(over: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_TOKEN: gh.token,
    GITHUB_REPOSITORY: "acme/shop",
    GITHUB_API_URL: gh.url,
    GITHUB_EVENT_PATH: eventPath,
    ...over,
  };
}

async function exp(args: string[], over: Record<string, string | undefined> = {}) {
  return execa(process.execPath, [bin, ...args], { cwd: wsDir, env: env(over), extendEnv: false, reject: false });
}

function writePlan(name: string, diagnostics: DiagnosticJson[], markdown?: string, exitCode?: number): string {
  const p = join(tmp, name);
  writeFileSync(p, JSON.stringify({ diagnostics, markdown, exitCode }));
  return p;
}

function noStack(stderr: string): void {
  assert.doesNotMatch(stderr, /^\s+at /m, "no stack trace");
  assert.doesNotMatch(stderr, /internal error/);
}

before(async () => {
  assert.ok(existsSync(join(repoRoot, "dist/src/cli/github.js")), "build first: npm run build");
  gh = new FakeGitHub();
  await gh.start();
  tmp = mkdtempSync(join(tmpdir(), "exp-gh-cli-"));
  // The workspace sits in a sub-folder of the git repository, so annotation paths need a prefix.
  await execa("git", ["init", "-q", tmp]);
  wsDir = join(tmp, "analytics", "exp");
  mkdirSync(wsDir, { recursive: true });
  writeFileSync(join(wsDir, "exp.yaml"), "version: 1\nproject: shop\nunits: [user]\n");
  eventPath = join(tmp, "event.json");
  writeFileSync(eventPath, JSON.stringify({ action: "synchronize", number: 42, pull_request: { number: 42, head: { sha: SHA } } }));
});
after(async () => {
  await gh.stop();
  rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  gh.comments.clear();
  gh.checkRuns.length = 0;
  gh.requests.length = 0;
  gh.failure = undefined;
});

describe("exp github comment", () => {
  test("creates the sticky comment once, then updates it", async () => {
    const p1 = writePlan("p1.json", [], "## Plan\n+ create experiment checkout_redesign\n");
    const r1 = await exp(["github", "comment", "--plan", p1]);
    assert.equal(r1.exitCode, 0, r1.stderr);
    assert.match(r1.stdout, /\+ create experiment checkout_redesign/);
    assert.match(r1.stderr, /created the plan comment on pull request #42/);
    const p2 = writePlan("p2.json", [], "## Plan\n~ update flag new_checkout\n");
    const r2 = await exp(["github", "comment", "--plan", p2]);
    assert.equal(r2.exitCode, 0, r2.stderr);
    assert.match(r2.stderr, /updated the plan comment/);
    const comments = gh.comments.get(42)!;
    assert.equal(comments.length, 1);
    assert.ok(comments[0]!.body.startsWith(MARKER));
    assert.match(comments[0]!.body, /~ update flag new_checkout/);
    assert.doesNotMatch(comments[0]!.body, /checkout_redesign/);
    assert.deepEqual(gh.violations, []);
  });

  test("never duplicates among 150 other comments across pages", async () => {
    for (let i = 0; i < 150; i++) gh.addComment(42, `looks good ${i}`, "reviewer");
    for (const text of ["first", "second"]) {
      const r = await exp(["github", "comment", "--body-file", writeBody(`${text}.md`, `plan ${text}`)]);
      assert.equal(r.exitCode, 0, r.stderr);
    }
    const ours = gh.comments.get(42)!.filter((c) => c.body.includes(MARKER));
    assert.equal(ours.length, 1);
    assert.match(ours[0]!.body, /plan second/);
    assert.equal(gh.comments.get(42)!.length, 151);
    // Each run reads both pages (100 + 51) before deciding.
    const lists = gh.requests.filter((q) => q.method === "GET").map((q) => q.query.page ?? "1");
    assert.deepEqual(lists, ["1", "2", "1", "2"]);
  });

  test("without --plan it validates the workspace and posts the result", async () => {
    const r = await exp(["github", "comment"]);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(gh.comments.get(42)![0]!.body, /### exp plan/);
  });

  test("a 403 prints the plan, then a clear error, and exits 1", async () => {
    gh.failWith(403, "Resource not accessible by integration", /^POST /);
    const r = await exp(["github", "comment", "--plan", writePlan("p403.json", [], "## Plan 403 body\n")]);
    assert.equal(r.exitCode, 1);
    assert.match(r.stdout, /## Plan 403 body/);
    assert.match(
      r.stderr,
      /^error\[EXP7503\]: GitHub API returned 403 while creating the plan comment on pull request #42: Resource not accessible by integration$/m,
    );
    assert.match(r.stderr, /pull-requests: write/);
    noStack(r.stderr);
    assert.equal(gh.comments.get(42), undefined);
  });

  test("a 500 while listing also keeps the plan output and exits 1", async () => {
    gh.failWith(500, "Internal Server Error");
    const r = await exp(["github", "comment", "--plan", writePlan("p500.json", [], "## Plan 500 body\n")]);
    assert.equal(r.exitCode, 1);
    assert.match(r.stdout, /## Plan 500 body/);
    assert.match(r.stderr, /GitHub API returned 500 while listing the comments of pull request #42: Internal Server Error/);
    noStack(r.stderr);
  });

  test("--out writes the markdown to a file even when the API fails", async () => {
    gh.failWith(500, "boom");
    const out = join(tmp, "out", "plan.md");
    const r = await exp(["github", "comment", "--body-file", writeBody("o.md", "kept plan"), "--out", out]);
    assert.equal(r.exitCode, 1);
    assert.equal(r.stdout, "");
    assert.match(await import("node:fs").then((fs) => fs.readFileSync(out, "utf8")), /kept plan/);
  });

  test("a missing variable: one line naming it, exit 1, no request", async () => {
    const names = ["GITHUB_TOKEN", "GITHUB_REPOSITORY", "GITHUB_EVENT_PATH"];
    const body = writeBody("m.md", "x");
    const runs = await Promise.all(names.map((name) => exp(["github", "comment", "--body-file", body], { [name]: undefined })));
    runs.forEach((r, i) => {
      assert.equal(r.exitCode, 1, names[i]);
      const errLines = r.stderr.split("\n").filter((l) => l.startsWith("error["));
      assert.equal(errLines.length, 1, r.stderr);
      assert.match(errLines[0]!, new RegExp(`^error\\[EXP7501\\]: environment variable ${names[i]} is not set`));
      assert.match(r.stdout, /^x$/m, "the plan is still printed");
    });
    assert.equal(gh.requests.length, 0);
  });
});

function writeBody(name: string, text: string): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}

describe("exp github check", () => {
  const many = (n: number, severity: DiagnosticJson["severity"]): DiagnosticJson[] =>
    Array.from({ length: n }, (_, i) => ({
      code: "EXP2004",
      severity,
      message: `unknown attribute "contry" (${i})`,
      file: `experiments/e${i % 7}.yaml`,
      line: i + 1,
      column: 5,
      endLine: i + 1,
      endColumn: 11,
    }));

  test("120 errors: annotations in batches of 50 at repository paths; failure; exit 1", async () => {
    const r = await exp(["github", "check", "--plan", writePlan("c1.json", many(120, "error"), "## checks failed")]);
    assert.equal(r.exitCode, 1, r.stderr);
    assert.match(r.stdout, /## checks failed/);
    assert.equal(gh.checkRuns.length, 1);
    const run = gh.checkRuns[0]!;
    assert.equal(run.name, "exp plan");
    assert.equal(run.head_sha, SHA);
    assert.equal(run.conclusion, "failure");
    assert.deepEqual(run.annotationBatches, [50, 50, 20]);
    assert.equal(run.output.summary, "## checks failed");
    const a = run.output.annotations[99]!;
    assert.deepEqual(
      {
        path: a.path,
        start_line: a.start_line,
        end_line: a.end_line,
        start_column: a.start_column,
        end_column: a.end_column,
        level: a.annotation_level,
      },
      { path: "analytics/exp/experiments/e1.yaml", start_line: 100, end_line: 100, start_column: 5, end_column: 11, level: "failure" },
    );
    assert.deepEqual(gh.violations, []);
  });

  test("warnings only: success, exit 0", async () => {
    const r = await exp(["github", "check", "--plan", writePlan("c2.json", many(3, "warning"))]);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(gh.checkRuns[0]!.conclusion, "success");
    assert.equal(gh.checkRuns[0]!.output.annotations[2]!.annotation_level, "warning");
  });

  test("failed checks (exit code 3) conclude failure and exit 3", async () => {
    const r = await exp(["github", "check", "--plan", writePlan("c3.json", [], "power too low", 3)]);
    assert.equal(r.exitCode, 3, r.stderr);
    assert.equal(gh.checkRuns[0]!.conclusion, "failure");
  });

  test("GITHUB_SHA is the commit when the event has no pull request", async () => {
    const ev = join(tmp, "push.json");
    writeFileSync(ev, JSON.stringify({ ref: "refs/heads/main" }));
    const sha = "a".repeat(40);
    const r = await exp(["github", "check", "--plan", writePlan("c4.json", [])], { GITHUB_EVENT_PATH: ev, GITHUB_SHA: sha });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(gh.checkRuns[0]!.head_sha, sha);
  });

  test("a 500 on the second batch: clear error, plan printed, exit 1", async () => {
    gh.failWith(500, "Server Error", /^PATCH /);
    const r = await exp(["github", "check", "--plan", writePlan("c5.json", many(60, "error"), "## kept")]);
    assert.equal(r.exitCode, 1);
    assert.match(r.stdout, /## kept/);
    assert.match(r.stderr, /GitHub API returned 500 while adding annotations 51–60 to the "exp plan" check run: Server Error/);
    noStack(r.stderr);
  });

  test("a 403 on create: clear error naming the check run, exit 1", async () => {
    gh.failWith(403, "Resource not accessible by integration");
    const r = await exp(["github", "check", "--plan", writePlan("c6.json", many(2, "error"), "## kept 403")]);
    assert.equal(r.exitCode, 1);
    assert.match(r.stdout, /## kept 403/);
    assert.match(
      r.stderr,
      /GitHub API returned 403 while creating the "exp plan" check run for feedfacecafe: Resource not accessible by integration/,
    );
    assert.match(r.stderr, /checks: write/);
    noStack(r.stderr);
  });

  test("a plan file that is not plan JSON is a user error", async () => {
    const p = join(tmp, "bad.json");
    writeFileSync(p, JSON.stringify({ diagnostics: [{ code: "X", severity: "fatal", message: "m" }] }));
    const r = await exp(["github", "check", "--plan", p]);
    assert.equal(r.exitCode, 1);
    assert.match(
      r.stderr,
      /error\[EXP7504\]: diagnostics\[0\] in ".*bad\.json" needs "code", "severity" \(error\|warning\|info\) and "message"/,
    );
    assert.equal(gh.requests.length, 0);
  });
});
