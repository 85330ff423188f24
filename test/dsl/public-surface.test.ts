import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const REPO = new URL("../../", import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === "fixtures" ? [] : sources(p);
    return /\.(ts|tsx|mjs)$/.test(e.name) ? [p] : [];
  });
}

test("code outside src/dsl imports the expression language only through src/dsl/index.ts (see its README)", () => {
  const offenders: string[] = [];
  for (const file of ["src", "test", "bench"].flatMap((d) => sources(join(REPO, d)))) {
    const rel = relative(REPO, file);
    // The language's own code and its own tests may reach inside.
    if (rel.startsWith("src/dsl/") || rel.startsWith("test/dsl/")) continue;
    for (const m of readFileSync(file, "utf8").matchAll(/from "(\.[^"]*)"/g)) {
      const target = relative(REPO, resolve(dirname(file), m[1]!));
      if (target.startsWith("src/dsl/") && target !== "src/dsl/index.js") offenders.push(`${rel}: ${m[1]}`);
    }
  }
  assert.deepEqual(offenders, []);
});
