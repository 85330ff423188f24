import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { compileRuleset } from "../../src/compiler/ruleset/compile.js";
import { verifyRuleset } from "../../src/ruleset/verify.js";
import { allocateSlots } from "../../src/compiler/ruleset/slots.js";
import { rulesetChecksum } from "../../src/ruleset/checksum.js";
import { experiment, matches, attr, shopWorkspace, workspace } from "./fixture.js";

describe("ruleset compiler", () => {
  test("the shop workspace compiles to a schema-valid, checksummed ruleset with basis points", () => {
    const { value: ruleset, diagnostics } = compileRuleset(shopWorkspace(), {
      createdAt: "2026-12-01T00:00:00.000Z",
      sourceCommit: "abc123",
    });
    assert.deepEqual(diagnostics, []);
    const v = verifyRuleset(ruleset);
    assert.deepEqual(v.diagnostics, []);
    assert.ok(v.value);
    assert.equal(ruleset.version, 1);
    assert.deepEqual(
      ruleset.experiments.search_ranker_v2!.variants.map((x) => x.weight),
      [3334, 3333, 3333],
    );
    assert.equal(ruleset.experiments.checkout_redesign!.traffic, 5000);
    assert.equal(ruleset.holdouts.global_2026!.traffic, 200);
    assert.deepEqual(ruleset.flags.new_search!.rules[1], {
      kind: "rollout",
      name: "us_rollout",
      variant: "on",
      holdout: true,
      when: {
        op: "==",
        as: "value",
        args: [
          { op: "attr", name: "country" },
          { op: "lit", value: "US" },
        ],
      },
      steps: [
        { at: "2020-06-01T00:00:00Z", traffic: 1000 },
        { at: "2020-06-03T00:00:00Z", traffic: 5000 },
        { at: "2099-01-01T00:00:00Z", traffic: 10000 },
      ],
    });
    assert.deepEqual(ruleset.flags.new_search!.overrides, { user_42: "on", user_77: "on" });
    assert.equal(JSON.stringify(ruleset).includes("description"), false);
  });

  test("checksum ignores createdAt, covers everything else; tampering is caught", () => {
    const a = compileRuleset(shopWorkspace(), { createdAt: "2026-12-01T00:00:00Z" }).value;
    const b = compileRuleset(shopWorkspace(), { createdAt: "2027-01-01T00:00:00Z" }).value;
    assert.equal(a.checksum, b.checksum);
    assert.match(a.checksum, /^[0-9a-f]{64}$/);
    const tampered = structuredClone(a);
    tampered.experiments.checkout_redesign!.traffic = 9000;
    const v = verifyRuleset(tampered);
    assert.equal(v.value, undefined);
    assert.equal(v.diagnostics[0]!.code, "EXP5011");
    assert.equal(rulesetChecksum({ ...tampered, checksum: "x" }), rulesetChecksum(tampered));
  });

  test("schema errors and bad JSON are diagnostics", () => {
    const bad = verifyRuleset({ schemaVersion: 1 });
    assert.equal(bad.value, undefined);
    assert.equal(bad.diagnostics[0]!.code, "EXP5010");
    assert.equal(verifyRuleset("{not json").diagnostics[0]!.code, "EXP5012");
  });

  test("version defaults to previous + 1 and layer allocations are kept", () => {
    const ws = workspace({
      layers: ["l"],
      experiments: [experiment("b", { layer: "l", traffic: 0.2 }), experiment("c", { layer: "l", traffic: 0.3 })],
    });
    const v1 = compileRuleset(ws, { createdAt: "2026-12-01T00:00:00Z" }).value;
    assert.deepEqual(v1.layers.l!.slots, { b: [[0, 2000]], c: [[2000, 5000]] });
    // "a" sorts first but is new: it takes free space after the kept ranges instead of moving b and c.
    ws.experiments.set("a", experiment("a", { layer: "l", traffic: 0.1 }));
    const v2 = compileRuleset(ws, { previous: v1, createdAt: "2026-12-02T00:00:00Z" }).value;
    assert.equal(v2.version, 2);
    assert.deepEqual(v2.layers.l!.slots, { a: [[5000, 6000]], b: [[0, 2000]], c: [[2000, 5000]] });
  });

  test("slot allocation: stop frees, grow takes free first-fit, shrink gives back from the end", () => {
    const first = allocateSlots([
      { experiment: "a", width: 2000 },
      { experiment: "b", width: 3000 },
      { experiment: "c", width: 1000 },
    ]);
    assert.deepEqual(first.slots, { a: [[0, 2000]], b: [[2000, 5000]], c: [[5000, 6000]] });
    const stopped = allocateSlots(
      [
        { experiment: "a", width: 2000 },
        { experiment: "c", width: 1000 },
      ],
      first.slots,
    );
    assert.deepEqual(stopped.slots, { a: [[0, 2000]], c: [[5000, 6000]] });
    const grown = allocateSlots(
      [
        { experiment: "a", width: 5000 },
        { experiment: "c", width: 1000 },
      ],
      stopped.slots,
    );
    assert.deepEqual(grown.slots, { a: [[0, 5000]], c: [[5000, 6000]] });
    const grownAgain = allocateSlots(
      [
        { experiment: "a", width: 5500 },
        { experiment: "c", width: 1000 },
      ],
      grown.slots,
    );
    assert.deepEqual(grownAgain.slots, {
      a: [
        [0, 5000],
        [6000, 6500],
      ],
      c: [[5000, 6000]],
    });
    const shrunk = allocateSlots(
      [
        { experiment: "a", width: 4500 },
        { experiment: "c", width: 1000 },
      ],
      grownAgain.slots,
    );
    assert.deepEqual(shrunk.slots, { a: [[0, 4500]], c: [[5000, 6000]] });
    assert.deepEqual(shrunk.shortfalls, []);
  });

  test("over-capacity is a diagnostic, not a throw", () => {
    const ws = workspace({
      layers: ["l"],
      experiments: [experiment("a", { layer: "l", traffic: 0.7 }), experiment("b", { layer: "l", traffic: 0.5 })],
    });
    const { value: ruleset, diagnostics } = compileRuleset(ws);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.code, "EXP5002");
    assert.match(diagnostics[0]!.message, /"b"/);
    assert.deepEqual(ruleset.layers.l!.slots.b, [[7000, 10000]]);
  });

  test("conditions keep matches for the runtime", () => {
    const ws = workspace({ experiments: [experiment("m", { targeting: matches(attr("email"), "@corp$") })] });
    assert.deepEqual(compileRuleset(ws).value.experiments.m!.targeting, {
      op: "matches",
      arg: { op: "attr", name: "email" },
      pattern: "@corp$",
    });
  });
});

test("verification cross-checks references the schema cannot see", async () => {
  const { rulesetChecksum } = await import("../../src/ruleset/checksum.js");
  const good = compileRuleset(shopWorkspace(), { createdAt: "2026-12-01T00:00:00Z" }).value;
  const bad = structuredClone(good);
  bad.flags.new_search!.default = "of";
  bad.flags.new_search!.rules.push({ kind: "experiment", name: "x", experiment: "nope", map: {} });
  bad.experiments.onboarding!.variants[0]!.weight = 7000;
  bad.segments.broken = { op: "segment", name: "missing" };
  bad.checksum = rulesetChecksum(bad);
  const v = verifyRuleset(bad);
  assert.equal(v.value, undefined);
  assert.deepEqual(
    v.diagnostics.map((d) => d.code),
    ["EXP5003", "EXP5003", "EXP5003", "EXP5003"],
  );
  assert.match(v.diagnostics.map((d) => d.message).join("\n"), /variant "of"[\s\S]*unknown experiment "nope"|weights summing to 9000/);
});
