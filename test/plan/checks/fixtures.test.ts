import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadWorkspace } from "../../../src/workspace/load.js";
import { runPlanChecks, lastChangedFromGit, type CheckContext, type SlotRange } from "../../../src/plan/checks/index.js";
import type { ExperimentStatus } from "../../../src/workspace/model.js";
import { assertTableSeverities } from "../../workspace/table-severity.js";

/**
 * Diagnostics as data: each folder under test/fixtures/plan-checks/ is a workspace overlay on
 * _base/ plus case.json (see the README there); the exact set of diagnostics is asserted.
 */
const FIXTURES = fileURLToPath(new URL("../../fixtures/plan-checks/", import.meta.url));
const DAY_MS = 86_400_000;

interface Case {
  now: string;
  published?: Record<string, { status: ExperimentStatus; phase: number }>;
  allocations?: Record<string, Record<string, SlotRange[]>>;
  git?: Record<string, number>;
  dirty?: string[];
  expected: Expected[];
}
interface Expected {
  code: string;
  severity: string;
  file: string;
  line: number;
  column: number;
  /** Checked only when the case lists them: "file:line:column" of each related span. */
  related?: string[];
}

function git(dir: string, args: string[], date?: Date): void {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: "Fixture",
    GIT_AUTHOR_EMAIL: "fixture@example.com",
    GIT_COMMITTER_NAME: "Fixture",
    GIT_COMMITTER_EMAIL: "fixture@example.com",
  };
  if (date) Object.assign(env, { GIT_AUTHOR_DATE: date.toISOString(), GIT_COMMITTER_DATE: date.toISOString() });
  execFileSync("git", ["-c", "commit.gpgsign=false", ...args], { cwd: dir, env, stdio: "pipe" });
}

/** A repository whose listed files were last committed the given number of days before now. */
function backdate(dir: string, now: Date, ages: Record<string, number>, dirty: string[]): void {
  git(dir, ["init", "-q"]);
  const oldest = Math.max(400, ...Object.values(ages)) + 1;
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "-m", "initial"], new Date(now.getTime() - oldest * DAY_MS));
  for (const [file, days] of Object.entries(ages).sort(([, a], [, b]) => b - a)) {
    appendFileSync(join(dir, file), `# touched ${days} days ago\n`);
    git(dir, ["add", file]);
    git(dir, ["commit", "-q", "-m", `touch ${file}`], new Date(now.getTime() - days * DAY_MS));
  }
  for (const file of dirty) appendFileSync(join(dir, file), "# edited, not committed\n");
}

async function runCase(name: string): Promise<{ actual: Expected[]; expected: Expected[] }> {
  const src = join(FIXTURES, name);
  const spec = JSON.parse(readFileSync(join(src, "case.json"), "utf8")) as Case;
  const dir = mkdtempSync(join(tmpdir(), `plan-checks-${name}-`));
  try {
    cpSync(join(FIXTURES, "_base"), dir, { recursive: true });
    cpSync(src, dir, { recursive: true, filter: (p) => !p.endsWith("case.json") });
    const now = new Date(spec.now);
    if (spec.git) backdate(dir, now, spec.git, spec.dirty ?? []);
    const loaded = await loadWorkspace(dir);
    const loadErrors = loaded.diagnostics.filter((d) => d.severity === "error");
    assert.deepEqual(loadErrors, [], `fixture ${name} must load cleanly`);
    const ws = loaded.value!;
    const published: CheckContext["published"] = { experiments: new Map(), flags: new Map() };
    for (const e of ws.experiments.values()) {
      const p = spec.published ? spec.published[e.key] : { status: e.status, phase: e.phase };
      if (p) published.experiments.set(e.key, { ...p, schedule: e.schedule });
    }
    const ctx: CheckContext = {
      desired: ws,
      published,
      now,
      ...(spec.allocations
        ? { allocations: new Map(Object.entries(spec.allocations).map(([l, m]) => [l, new Map(Object.entries(m))])) }
        : {}),
      ...(spec.git ? { lastChanged: await lastChangedFromGit(dir, undefined, now) } : {}),
    };
    const diags = runPlanChecks(ctx);
    assertTableSeverities([...loaded.diagnostics, ...diags], name);
    for (const d of diags) {
      assert.ok(d.span, `${d.code} has a span`);
      assert.ok(d.message.length > 0 && !d.message.includes("undefined"), `${d.code}: ${d.message}`);
    }
    const key = (x: Expected) => `${x.file}:${x.line}:${x.column}:${x.code}`;
    const expected = [...spec.expected].sort((a, b) => key(a).localeCompare(key(b)));
    const actual = diags
      .map((d) => ({
        code: d.code,
        severity: d.severity,
        file: d.span!.file,
        line: d.span!.line,
        column: d.span!.column,
        related: (d.related ?? []).map((r) => `${r.span.file}:${r.span.line}:${r.span.column}`),
      }))
      .sort((a, b) => key(a).localeCompare(key(b)))
      .map((a, i): Expected =>
        expected[i]?.related ? a : { code: a.code, severity: a.severity, file: a.file, line: a.line, column: a.column },
      );
    return { actual, expected };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const cases = readdirSync(FIXTURES).filter((n) => !n.startsWith("_") && existsSync(join(FIXTURES, n, "case.json")));

describe("plan checks: fixtures", () => {
  test("there are fixtures", () => assert.ok(cases.length >= 15, `${cases.length} cases`));
  for (const name of cases) {
    test(name, async () => {
      const { actual, expected } = await runCase(name);
      assert.deepEqual(actual, expected);
    });
  }
});
