import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

// The repository must run from a plain clone: no code, test or script may reach for files kept beside
// it (the design notes and conformance vectors it was built from). Vectors live in test/fixtures/vectors/
// and the product contract in docs/. .ci/run proves the rest by running the suite from a fresh clone.

const ROOT = new URL("../../", import.meta.url).pathname;
const SCANNED = ["src", "test", "scripts", "bench", ".ci", ".github"];
// Spelled in pieces so that this file does not match itself.
const OUTSIDE = [".." + "/shared", "shared" + "/design", "external" + "-tests"];

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, out);
    else out.push(path);
  }
  return out;
}

test("no file under src, test, scripts, bench or CI names a path outside the repository", () => {
  const offenders: string[] = [];
  for (const top of SCANNED) {
    for (const path of files(join(ROOT, top))) {
      const text = readFileSync(path, "latin1");
      for (const needle of OUTSIDE) if (text.includes(needle)) offenders.push(`${relative(ROOT, path)}: "${needle}"`);
    }
  }
  assert.deepEqual(offenders, [], "vendor the file into test/fixtures (with its origin and license) or docs/ instead");
});
