import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { findSegmentCycles, type Expr } from "../../src/dsl/index.js";
import type { Origin } from "../../src/workspace/model.js";
import { mustParse } from "./harness.js";

function segments(defs: Record<string, string>): Map<string, { when: Expr; origin: Origin }> {
  return new Map(
    Object.entries(defs).map(([k, v]) => [k, { when: mustParse(v), origin: { file: `segments/${k}.yaml`, values: {}, keys: {} } }]),
  );
}

function cycles(defs: Record<string, string>) {
  return findSegmentCycles(segments(defs)).map((d) => ({
    code: d.code,
    message: d.message,
    at: [d.span?.offset, d.span?.endOffset],
    related: d.related?.length ?? 0,
  }));
}

describe("segment cycles", () => {
  test("a segment that refers to itself", () => {
    assert.deepEqual(cycles({ a: 'country == "US" or segment("a")' }), [
      { code: "EXP2301", message: 'Segment "a" refers to itself (a → a)', at: [19, 31], related: 0 },
    ]);
  });
  test("two segments referring to each other: one diagnostic, at the first segment's call", () => {
    assert.deepEqual(cycles({ b: 'segment("a")', a: 'is_employee and segment("b")' }), [
      { code: "EXP2301", message: "Segments refer to each other in a cycle: a → b → a", at: [16, 28], related: 1 },
    ]);
  });
  test("a three-segment cycle reached from outside it", () => {
    assert.deepEqual(cycles({ entry: 'segment("x")', x: 'segment("y")', y: 'segment("z")', z: 'segment("x") or segment("entry_less")' }), [
      { code: "EXP2301", message: "Segments refer to each other in a cycle: x → y → z → x", at: [0, 12], related: 2 },
    ]);
  });
  test("two separate cycles give two diagnostics", () => {
    assert.deepEqual(
      cycles({ a: 'segment("b")', b: 'segment("a")', c: 'segment("c")' }).map((d) => d.message),
      ["Segments refer to each other in a cycle: a → b → a", 'Segment "c" refers to itself (c → c)'],
    );
  });
  test("shared references without a cycle are fine", () => {
    assert.deepEqual(cycles({ a: 'segment("b") and segment("c")', b: 'segment("c")', c: "is_employee", d: 'segment("nope")' }), []);
  });
});
