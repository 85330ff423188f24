import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { checkCondition, checkMetricExpr, parseCondition, parseMetricExpr } from "../../src/dsl/index.js";
import { makeEnv, originFor } from "./harness.js";

/*
 * Names in expressions are looked up in tables that are plain objects (the declarations a caller
 * passes in, the function table): "constructor", "toString" or "__proto__" must be unknown names
 * like any other, not Object.prototype's members (which crashed the checks or typed a name as a
 * function).
 */
const env = makeEnv();

function conditionCodes(text: string): string[] {
  const r = parseCondition(text, originFor(text));
  assert.deepEqual(r.diagnostics, []);
  return checkCondition(r.expr!, env).map((d) => `${d.code} ${d.message}`);
}

function metricCodes(text: string): string[] {
  const r = parseMetricExpr(text, originFor(text));
  assert.deepEqual(r.diagnostics, []);
  return checkMetricExpr(r.expr!, env).diagnostics.map((d) => `${d.code} ${d.message}`);
}

describe("names that Object.prototype also has", () => {
  for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"]) {
    test(`attribute ${name}`, () => {
      assert.deepEqual(conditionCodes(`${name} == 1`), [`EXP2101 Unknown attribute "${name}"; declare it under "attributes" in exp.yaml`]);
    });
    test(`function ${name}()`, () => {
      const codes = conditionCodes(`${name}(country) == "x"`);
      assert.equal(codes.length, 1);
      assert.match(codes[0]!, new RegExp(`^EXP2114 Unknown function "${name}"`));
    });
    test(`event ${name} and property ${name}`, () => {
      assert.deepEqual(metricCodes(`count(${name})`), [`EXP2202 Unknown event "${name}"; declare it under "events" in exp.yaml`]);
      assert.deepEqual(metricCodes(`sum(purchase.${name})`), [
        `EXP2103 Unknown property "${name}" of event "purchase"; declare it under "events.purchase" in exp.yaml`,
      ]);
      assert.deepEqual(metricCodes(`count(purchase where ${name} > 1)`), [
        `EXP2103 Unknown property "${name}" of event "purchase"; declare it under "events.purchase" in exp.yaml`,
      ]);
    });
  }

  test("declared under such a name, it is found", () => {
    const declared = {
      ...env,
      attributes: { ...env.attributes, constructor: "number" as const },
      events: { ...env.events, constructor: { toString: "number" as const } },
    };
    const c = parseCondition("constructor > 1", originFor("constructor > 1"));
    assert.deepEqual(checkCondition(c.expr!, declared), []);
    const m = parseMetricExpr("sum(constructor.toString)", originFor("sum(constructor.toString)"));
    assert.deepEqual(checkMetricExpr(m.expr!, declared).diagnostics, []);
  });
});
