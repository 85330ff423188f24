import { test } from "node:test";
import assert from "node:assert/strict";
import { FlagdCore } from "@openfeature/flagd-core";
import { compileRuleset } from "../../src/compiler/ruleset/compile.js";
import { exportFlagd } from "../../src/compiler/ruleset/flagd.js";
import { createEvaluator } from "../../src/runtime/evaluator.js";
import { attr, experiment, flag, matches, shopWorkspace, workspace } from "./fixture.js";
import { randomAttributes, randomUnit, rng } from "./random-units.js";

const UNITS = 100_000;

function resolve(core: FlagdCore, type: string, key: string, ctx: Record<string, unknown>) {
  const c = ctx as never;
  switch (type) {
    case "boolean":
      return core.resolveBooleanEvaluation(key, false, c);
    case "string":
      return core.resolveStringEvaluation(key, "", c);
    case "number":
      return core.resolveNumberEvaluation(key, -1, c);
    default:
      return core.resolveObjectEvaluation(key, {}, c);
  }
}

test(`flagd export agrees with @openfeature/flagd-core on ${UNITS} random units for every flag`, () => {
  const { value: ruleset } = compileRuleset(shopWorkspace(), { createdAt: "2026-12-01T00:00:00Z" });
  const { document, diagnostics } = exportFlagd(ruleset);
  assert.deepEqual(diagnostics, []);
  const core = new FlagdCore();
  core.setConfigurations(JSON.stringify(document));
  const ev = createEvaluator(ruleset);
  const flags = Object.entries(ruleset.flags);
  const r = rng(20261201);
  let compared = 0;
  let agreed = 0;
  const firstMismatch: unknown[] = [];
  const seen = new Map<string, Set<string>>();
  for (let i = 0; i < UNITS; i++) {
    const unit = randomUnit(r, i);
    const attrs = randomAttributes(r);
    const ctx = { ...attrs, targetingKey: unit };
    const at = Date.now();
    for (const [key, f] of flags) {
      const ours = ev.evaluate(key, unit, attrs, at);
      const theirs = resolve(core, f.type, key, ctx);
      compared++;
      let same = theirs.variant === ours.variant;
      if (same) {
        try {
          assert.deepEqual(theirs.value, ours.value);
        } catch {
          same = false;
        }
      }
      if (same) agreed++;
      else if (firstMismatch.length < 5) firstMismatch.push({ key, unit, attrs, ours, theirs });
      let s = seen.get(key);
      if (!s) seen.set(key, (s = new Set()));
      s.add(`${ours.variant}:${ours.reason}`);
    }
  }
  const rate = agreed / compared;
  console.log(JSON.stringify({ agreement: rate, compared, units: UNITS, flags: flags.length }));
  assert.deepEqual(firstMismatch, []);
  assert.equal(rate, 1);
  // The sample must reach every path, or agreement would be hollow.
  // legacy_mode is killed and needs_legacy depends on it: both are constant by design.
  for (const [key, paths] of seen)
    if (key !== "legacy_mode" && key !== "needs_legacy") assert.ok(paths.size >= 2, `flag ${key} reached only ${[...paths]}`);
  assert.ok(seen.get("new_search")!.size >= 6, `new_search paths: ${[...seen.get("new_search")!]}`);
});

test("constructs flagd cannot express are export diagnostics naming the flag and rule", () => {
  const ws = workspace({
    experiments: [experiment("e", { targeting: matches(attr("email"), "@corp$") })],
    flags: [
      flag("f", {
        rules: [
          { kind: "serve", name: "regex", when: matches(attr("email"), "x+"), serve: "on" },
          { kind: "experiment", name: "via_e", experiment: "e", map: { control: "off", treatment: "on" } },
        ],
      }),
    ],
  });
  const { diagnostics } = exportFlagd(compileRuleset(ws).value);
  assert.equal(diagnostics.length, 2);
  assert.ok(diagnostics.every((d) => d.code === "EXP5020"));
  assert.match(diagnostics[0]!.message, /flag "f" rule "regex": "matches"/);
  assert.match(diagnostics[1]!.message, /flag "f" rule "via_e"/);
});

test("non-whole-second rollout steps are reported as inexact", () => {
  const ws = workspace({
    flags: [
      flag("f", {
        rules: [{ kind: "rollout", name: "r", variant: "on", holdout: false, steps: [{ at: "2026-12-01T00:00:00.500Z", percent: 10 }] }],
      }),
    ],
  });
  const { diagnostics } = exportFlagd(compileRuleset(ws).value);
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.severity]),
    [["EXP5021", "warning"]],
  );
});

test("known upstream divergence: flagd-core JS hashes UTF-16 code units, so non-ASCII targeting keys disagree", async () => {
  // docs/hashing.md (and flagd Go) hash UTF-8 bytes; @openfeature/flagd-core 4 uses imurmurhash over
  // charCodeAt values. ASCII keys are identical in both encodings, which is why the agreement
  // above samples ASCII unit ids. This pins the difference so an upstream fix is noticed.
  const { murmur3 } = await import("../../src/ruleset/hash.js");
  const { default: MurmurHash3 } = await import("imurmurhash" as string);
  assert.equal(new MurmurHash3("user_42/abc").result() >>> 0, murmur3("user_42/abc"));
  assert.notEqual(new MurmurHash3("Jöhn").result() >>> 0, murmur3("Jöhn"));
});
