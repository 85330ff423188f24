import { test } from "node:test";
import assert from "node:assert/strict";
import { runInNewContext } from "node:vm";
import { build } from "esbuild";
import { compileRuleset } from "../../src/compiler/ruleset/compile.js";
import { createEvaluator } from "../../src/runtime/evaluator.js";
import { shopWorkspace } from "./fixture.js";

/** The browser-safe part of the ruleset contract (src/ruleset/README.md); checksum.ts and verify.ts are Node-only. */
const BROWSER_SAFE_RULESET = ["types.ts", "hash.ts", "semver.ts", "canonical-json.ts", "references.ts", "codes.ts"];

/** Bundles `entry` for a browser and returns the files it pulled in and the code. */
async function browserBundle(entry: string): Promise<{ inputs: string[]; code: string }> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    platform: "browser",
    format: "iife",
    globalName: "expRuntime",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const inputs = Object.keys(out.metafile!.inputs);
  assert.ok(
    inputs.every((f) => !f.startsWith("node:") && !f.includes("node_modules")),
    `unexpected inputs: ${inputs.join(", ")}`,
  );
  for (const imp of Object.values(out.metafile!.inputs).flatMap((i) => i.imports)) assert.ok(!imp.path.startsWith("node:"), imp.path);
  const code = out.outputFiles[0]!.text;
  assert.doesNotMatch(code, /require\(|process\.|Buffer/);
  return { inputs, code };
}

test("the evaluator bundles for the browser with no node: imports and evaluates the same in a bare vm context", async () => {
  const { inputs, code } = await browserBundle(new URL("../../src/runtime/evaluator.ts", import.meta.url).pathname);
  assert.ok(
    !inputs.some((f) => /src\/ruleset\/(checksum|verify)\.ts$/.test(f)),
    `the evaluator pulls in Node-only ruleset code: ${inputs.join(", ")}`,
  );
  const ruleset = compileRuleset(shopWorkspace(), { createdAt: "2026-12-01T00:00:00Z" }).value;
  // A context with only ECMAScript globals: no require, process, Buffer or TextEncoder.
  const sandbox: Record<string, unknown> = { rulesetJson: JSON.stringify(ruleset) };
  runInNewContext(
    `${code}
    var ev = expRuntime.createEvaluator(JSON.parse(rulesetJson));
    var out = [];
    for (var i = 0; i < 500; i++) {
      var attrs = { country: i % 2 ? "US" : "CA", platform: i % 3 ? "web" : "ios", app_version: "2." + (i % 12) + ".0", account_age_days: i };
      out.push(JSON.stringify([ev.evaluateAll("unit-" + i + (i % 7 ? "" : "ü"), attrs, Date.UTC(2026, 11, 10))]));
    }
    var result = JSON.stringify(out);`,
    sandbox,
  );
  const ours = createEvaluator(ruleset);
  const expected = Array.from({ length: 500 }, (_, i) => {
    const attrs = { country: i % 2 ? "US" : "CA", platform: i % 3 ? "web" : "ios", app_version: `2.${i % 12}.0`, account_age_days: i };
    return JSON.stringify([ours.evaluateAll(`unit-${i}${i % 7 ? "" : "ü"}`, attrs, Date.UTC(2026, 11, 10))]);
  });
  assert.deepEqual(JSON.parse(sandbox.result as string), expected);
});

test("the browser-safe part of src/ruleset bundles with no node: or npm imports", async () => {
  for (const file of BROWSER_SAFE_RULESET) await browserBundle(new URL(`../../src/ruleset/${file}`, import.meta.url).pathname);
});
