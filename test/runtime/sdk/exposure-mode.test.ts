// The `exposure:` mode of an experiment travels into the ruleset: only on_view is written (absent
// means on_assignment, so unchanged workspaces keep their checksums), and every verifier accepts it.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { compileRuleset } from "../../../src/compiler/ruleset/compile.js";
import { verifyRuleset } from "../../../src/ruleset/verify.js";
import { rulesetChecksum } from "../../../src/ruleset/checksum.js";
import { exposureMode } from "../../../src/runtime/sdk/exposure-mode.js";
import { experiment, workspace } from "../fixture.js";
import { PYTHON, PYTHON_ENV } from "../../conformance/python.js";

function compiled() {
  const ws = workspace({
    experiments: [experiment("banner", { exposure: "on_view" }), experiment("pricing", { exposure: "on_assignment" })],
  });
  return compileRuleset(ws, { createdAt: "2026-12-01T00:00:00.000Z" }).value;
}

describe("the exposure mode in the ruleset", () => {
  test("on_view is written, on_assignment is left out, and both read back as their mode", () => {
    const r = compiled();
    assert.equal(r.experiments.banner!.exposure, "on_view");
    assert.equal(Object.hasOwn(r.experiments.pricing!, "exposure"), false);
    assert.equal(exposureMode(r.experiments.banner!), "on_view");
    assert.equal(exposureMode(r.experiments.pricing!), "on_assignment");
    assert.deepEqual(verifyRuleset(r).diagnostics, []);
  });

  test("the schema refuses a mode it does not know", () => {
    const r = compiled();
    (r.experiments.banner as { exposure: string }).exposure = "on_click";
    r.checksum = rulesetChecksum(r);
    const v = verifyRuleset(r);
    assert.equal(v.value, undefined);
    assert.match(JSON.stringify(v.diagnostics), /exposure/);
  });

  test("the Python SDK verifies a ruleset that carries the field, and refuses an unknown mode", () => {
    const script = [
      "import json, sys",
      "from exp_sdk.verify import verify_ruleset",
      "for text in sys.stdin.read().split('\\n\\n'):",
      "    r, d = verify_ruleset(text)",
      "    print(json.dumps([r is not None, [x.message for x in d]]))",
    ].join("\n");
    const good = compiled();
    const bad = compiled();
    (bad.experiments.banner as { exposure: string }).exposure = "on_click";
    bad.checksum = rulesetChecksum(bad);
    const run = spawnSync(PYTHON, ["-c", script], {
      input: `${JSON.stringify(good)}\n\n${JSON.stringify(bad)}`,
      env: PYTHON_ENV,
      encoding: "utf8",
    });
    assert.equal(run.status, 0, run.stderr);
    const [first, second] = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as [boolean, string[]]);
    assert.deepEqual(first, [true, []]);
    assert.equal(second![0], false);
    assert.match(second![1].join(" "), /exposure/);
  });

  test("the Python client hands on_assignment exposures to its sink at assign, and on_view ones only when exposed() confirms them", () => {
    const script = [
      "import sys",
      "from exp_sdk import Client",
      "class Sink:",
      "    def __init__(self): self.seen = []",
      "    def exposure(self, record): self.seen.append(record['experimentKey'])",
      "    def flush(self): pass",
      "sink = Sink()",
      "c = Client.from_ruleset(sys.stdin.read(), exposures=sink)",
      "c.assign('pricing', 'u1')",
      "b = c.assign('banner', 'u1')",
      "print(','.join(sink.seen))",
      "c.exposed(b)",
      "print(','.join(sink.seen))",
    ].join("\n");
    const run = spawnSync(PYTHON, ["-c", script], { input: JSON.stringify(compiled()), env: PYTHON_ENV, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.stdout.trim().split("\n"), ["pricing", "pricing,banner"]);
  });
});
