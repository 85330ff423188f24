import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { PYTHON, PYTHON_ENV, REPO } from "./python.js";

test("the Python SDK's own tests and the conformance cases pass (python3 -m unittest discover sdk/python/tests)", () => {
  const r = spawnSync(PYTHON, ["-m", "unittest", "discover", "sdk/python/tests"], {
    cwd: REPO,
    env: PYTHON_ENV,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(r.error, undefined, `cannot run ${PYTHON}: ${r.error?.message}`);
  // unittest reports on stderr; on failure, its report is the message.
  assert.equal(r.status, 0, `${PYTHON} -m unittest failed:\n${r.stderr}\n${r.stdout}`);
  assert.match(r.stderr, /^OK/m);
  const ran = Number(/Ran (\d+) tests?/.exec(r.stderr)?.[1] ?? 0);
  assert.ok(ran >= 7, `only ${ran} Python tests ran`);
});
