import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { compileRuleset } from "../../src/compiler/ruleset/compile.js";
import { rulesetChecksum } from "../../src/ruleset/checksum.js";
import type { Condition, Ruleset } from "../../src/ruleset/types.js";
import { MAX_CONDITION_DEPTH, MAX_JSON_DEPTH, verifyRuleset } from "../../src/ruleset/verify.js";
import { shopWorkspace } from "../runtime/fixture.js";

/*
 * `exp serve` verifies every ruleset PUT to it. A 500-level nested "not" took 14 s there (the schema
 * validator's work grows with the square of the depth), 2,000 levels overflowed the stack, and a valid
 * 1,000-term "or" took seconds. Nesting past the limits is now refused before the schema, the checksum
 * or the references look at it, and the schema stops at its first error, which keeps it linear.
 */
const base = compileRuleset(shopWorkspace(), { createdAt: "2026-12-01T00:00:00.000Z", sourceCommit: "abc123" }).value;
const SEGMENT = Object.keys(base.segments)[0]!;

function withSegment(condition: unknown, sign = true): Ruleset {
  const r = structuredClone(base) as Ruleset;
  (r.segments as Record<string, unknown>)[SEGMENT] = condition;
  if (sign) r.checksum = rulesetChecksum(r);
  return r;
}

function nots(n: number): Condition {
  let c: Condition = { op: "true" };
  for (let i = 0; i < n; i++) c = { op: "not", arg: c };
  return c;
}

describe("ruleset depth limits", () => {
  test(`${MAX_CONDITION_DEPTH} nested conditions verify`, () => {
    const v = verifyRuleset(withSegment(nots(MAX_CONDITION_DEPTH - 1)));
    assert.deepEqual(v.diagnostics, []);
  });

  for (const depth of [MAX_CONDITION_DEPTH, 500]) {
    test(`${depth + 1} nested conditions are EXP5010 naming the condition`, () => {
      const v = verifyRuleset(withSegment(nots(depth)));
      assert.equal(v.value, undefined);
      assert.deepEqual(
        v.diagnostics.map((d) => [d.code, d.message]),
        [
          [
            "EXP5010",
            `The condition at "/segments/${SEGMENT}" nests more than ${MAX_CONDITION_DEPTH} levels deep; recompile the ruleset with "exp export --format ruleset", which keeps conditions within the limit.`,
          ],
        ],
      );
    });
  }

  test("100,000 nested conditions in the text of a PUT are refused, not a stack overflow", () => {
    // Unsigned: the depth is refused before the checksum, which would recurse just as deep.
    const text = JSON.stringify(withSegment({ op: "true" }, false)).replace(
      '{"op":"true"}',
      '{"op":"not","arg":'.repeat(100_000) + '{"op":"true"}' + "}".repeat(100_000),
    );
    const v = verifyRuleset(text);
    assert.deepEqual(
      v.diagnostics.map((d) => d.code),
      ["EXP5010"],
    );
  });

  test(`a variant config nested past ${MAX_JSON_DEPTH} levels is EXP5010`, () => {
    const r = structuredClone(base) as Ruleset;
    let config: unknown = 1;
    for (let i = 0; i < MAX_JSON_DEPTH; i++) config = [config];
    Object.values(r.experiments)[0]!.variants[0]!.config = config;
    const v = verifyRuleset(r);
    assert.deepEqual(
      v.diagnostics.map((d) => d.code),
      ["EXP5010"],
    );
    assert.match(v.diagnostics[0]!.message, /nests more than 256 levels deep at "\/experiments\//);
  });

  test("a 10,000-term or verifies", () => {
    const args: Condition[] = Array.from({ length: 10_000 }, (_, i) => ({
      op: "==",
      as: "value",
      args: [
        { op: "attr", name: "country" },
        { op: "lit", value: `C${i}` },
      ],
    }));
    const v = verifyRuleset(withSegment({ op: "or", args }));
    assert.deepEqual(v.diagnostics, []);
    assert.ok(v.value);
  });
});
