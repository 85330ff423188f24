import { test } from "node:test";
import assert from "node:assert/strict";
import { attributesField, unitField } from "../../src/runtime/unit-request.js";

test("a request names its unit userId or unit, and its attributes context or attributes, never both", () => {
  assert.deepEqual(unitField({ userId: "u1" }), { name: "userId", value: "u1" });
  assert.deepEqual(unitField({ unit: "u2" }), { name: "unit", value: "u2" });
  assert.deepEqual(unitField({ userId: "u1", unit: "u2" }), { problem: 'give only one of "userId" and "unit"' });
  // Null counts as not given, so either spelling may be sent as null beside the other.
  assert.deepEqual(unitField({ userId: null, unit: "u2" }), { name: "unit", value: "u2" });
  assert.deepEqual(unitField({ userId: "u1", unit: null }), { name: "userId", value: "u1" });
  // Neither: the first spelling, with what it holds, for the caller's "is required".
  assert.deepEqual(unitField({}), { name: "userId", value: undefined });
  assert.deepEqual(unitField({ userId: null }), { name: "userId", value: null });
  // Only the object's own fields count.
  assert.deepEqual(unitField(Object.create({ unit: "inherited" }) as Record<string, unknown>), { name: "userId", value: undefined });
  assert.deepEqual(attributesField({ attributes: { country: "US" } }), { name: "attributes", value: { country: "US" } });
  assert.deepEqual(attributesField({ context: {}, attributes: {} }), { problem: 'give only one of "context" and "attributes"' });
  assert.deepEqual(attributesField({ context: { plan: "pro" } }), { name: "context", value: { plan: "pro" } });
});
