import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";

// A merge resolved in a hurry can leave its markers in a file no compiler reads (docs, YAML, Python):
// no tracked file may hold a line that starts like one.

const ROOT = new URL("../../", import.meta.url).pathname;

test("no tracked file holds a merge-conflict marker", () => {
  let found = "";
  try {
    // -I skips binary files; exit 1 (no match) is the passing case.
    found = execFileSync("git", ["grep", "-nI", "-E", "^(<{7}|>{7})( |$)", "--", "."], { cwd: ROOT, encoding: "utf8" });
  } catch (err) {
    const status = (err as { status?: number }).status;
    assert.equal(status, 1, `git grep failed: ${String(err)}`);
  }
  assert.equal(found, "", `merge-conflict markers:\n${found}`);
});
