import { test } from "node:test";
import assert from "node:assert/strict";
import { DedupIndex } from "../../../src/runtime/server/dedup-index.js";
import { nestsDeeperThan } from "../../../src/runtime/server/json-depth.js";

test("the dedup index holds at least the last `window` ids and at most a generation more", () => {
  const index = new DedupIndex(1000);
  for (let i = 0; i < 10_000; i++) {
    assert.equal(index.add(`id${i}`), true);
    assert.ok(index.size <= 1250, `${index.size} ids held after ${i + 1}`);
  }
  for (let i = 9000; i < 10_000; i++) assert.equal(index.has(`id${i}`), true, `id${i}`);
  assert.equal(index.has("id0"), false);
  assert.equal(index.add("id9999"), false);
  assert.throws(() => new DedupIndex(0), /positive integer/);
});

test("JSON depth is counted in one pass, ignoring brackets inside strings", () => {
  assert.equal(nestsDeeperThan("[[[]]]", 3), false);
  assert.equal(nestsDeeperThan("[[[[]]]]", 3), true);
  assert.equal(nestsDeeperThan(`{"a": "[[[[[[", "b": "\\"{{{{"}`, 1), false);
  assert.equal(nestsDeeperThan(`{"a": [{"b": [1]}]}`, 4), false);
  assert.equal(nestsDeeperThan(`{"a": [{"b": [[1]]}]}`, 4), true);
  assert.equal(nestsDeeperThan("[".repeat(1_000_000), 64), true);
  // Few brackets in all answer at once; many that nest shallowly are walked, mixed kinds count together.
  assert.equal(nestsDeeperThan("[{[", 3), false);
  assert.equal(nestsDeeperThan("[{[{", 3), true);
  assert.equal(nestsDeeperThan("[[],[],{},{}]", 2), false);
  assert.equal(nestsDeeperThan('[[],[],{},{"a":[]}]', 2), true);
});
