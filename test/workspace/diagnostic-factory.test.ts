import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

const SRC = new URL("../../src/", import.meta.url).pathname;
/** The areas whose diagnostics are all made with diagnostic(CODES.x, …). */
const AREAS = ["plan", "dsl", "workspace", "gitops", "analysis", "report", "bandit", "ui"];
/** The publish errors' own conversion to a diagnostic belongs to the error classes. */
const EXEMPT = new Set(["plan/target/errors.ts"]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

test("no diagnostic is written as a literal that restates its code's severity", () => {
  const offenders: string[] = [];
  for (const area of AREAS) {
    for (const file of sources(join(SRC, area))) {
      const rel = relative(SRC, file);
      const text = readFileSync(file, "utf8");
      // Code tables declare the severities; everything else takes them from there.
      if (EXEMPT.has(rel) || text.includes("defineCodes(")) continue;
      text.split("\n").forEach((line, i) => {
        if (/\bseverity:\s*("|'|[\w.[\]]+\.severity\b)/.test(line)) offenders.push(`src/${rel}:${i + 1}: ${line.trim()}`);
      });
    }
  }
  assert.deepEqual(offenders, [], "make these with diagnostic(CODES.x, message, { span, suggestion, related })");
});
