import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { checkCondition, checkMetricExpr, parseCondition, parseMetricExpr, printExpr, type Expr } from "../../src/dsl/index.js";
import { children, MAX_EXPR_HEIGHT, MAX_EXPR_NESTING } from "../../src/dsl/depth.js";
import { makeEnv, originFor } from "./harness.js";

/*
 * Every stage after the lexer recurses on the expression: the parser once per parenthesis or prefix
 * operator, the checks, the printer and the compilers once per level of the tree. A 10,000-term
 * `or` overflowed the stack (the tree was 10,000 levels deep) and a deeply nested expression either
 * overflowed it or ran for seconds. Chains of `and`/`or` are now balanced, and anything nested past
 * the documented limits is one EXP2008 diagnostic from the parser, before anything recurses.
 */
const env = makeEnv();

function height(root: Expr): number {
  let max = 0;
  const stack: [Expr, number][] = [[root, 1]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    max = Math.max(max, top[1]);
    for (const c of children(top[0])) stack.push([c, top[1] + 1]);
  }
  return max;
}

function codesOf(text: string, parse = parseCondition): string[] {
  return parse(text, originFor(text)).diagnostics.map((d) => d.code);
}

describe("long chains of and/or", () => {
  for (const op of ["or", "and"]) {
    test(`a 10,000-term "${op}" parses into a shallow tree, checks, and prints back flat`, () => {
      const text = Array.from({ length: 10_000 }, (_, i) => `account_age_days == ${i}`).join(` ${op} `);
      const r = parseCondition(text, originFor(text));
      assert.deepEqual(r.diagnostics, []);
      assert.ok(height(r.expr!) <= 16, `height ${height(r.expr!)}`);
      assert.deepEqual(checkCondition(r.expr!, env), []);
      assert.equal(printExpr(r.expr!), text);
    });
  }

  test("a parenthesized chain of the same operator joins the chain; of the other one it stays a unit", () => {
    const r = parseCondition("a or (b or c) or (d and e)", originFor("a or (b or c) or (d and e)"));
    assert.equal(printExpr(r.expr!), "a or b or c or d and e");
  });

  test("a 10,000-term sum of aggregates in a metric is refused with EXP2008, not a crash", () => {
    const text = Array.from({ length: 10_000 }, () => "count(click)").join(" + ");
    assert.deepEqual(codesOf(text, parseMetricExpr), ["EXP2008"]);
  });

  test(`an arithmetic chain of ${MAX_EXPR_HEIGHT - 2} terms is accepted`, () => {
    const text = Array.from({ length: MAX_EXPR_HEIGHT - 2 }, () => "count(click)").join(" + ");
    const r = parseMetricExpr(text, originFor(text));
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(checkMetricExpr(r.expr!, env).diagnostics, []);
  });
});

describe("nesting", () => {
  test(`${MAX_EXPR_NESTING} nested "not" are accepted, one more is EXP2008 at the "not" past the limit`, () => {
    const ok = "not ".repeat(MAX_EXPR_NESTING) + "is_employee";
    assert.deepEqual(codesOf(ok), []);
    const deep = "not ".repeat(MAX_EXPR_NESTING + 1) + "is_employee";
    const r = parseCondition(deep, originFor(deep));
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, d.span?.column]),
      [["EXP2008", 1 + 4 * MAX_EXPR_NESTING]],
    );
  });

  for (const [what, text] of [
    ['500 nested "not"', "not ".repeat(500) + "is_employee"],
    ["10,000 nested parentheses", "(".repeat(10_000) + "is_employee" + ")".repeat(10_000)],
    ["10,000 nested lists", "country in " + "[".repeat(10_000) + '"x"' + "]".repeat(10_000)],
    ["10,000 unary minus", "account_age_days > " + "- ".repeat(10_000) + "1"],
    ["nested calls", "len(".repeat(1_000) + "country" + ")".repeat(1_000) + " > 1"],
  ] as const) {
    test(`${what}: one EXP2008`, () => assert.deepEqual(codesOf(text), ["EXP2008"]));
  }

  test("infix not (not in, is not null) and binary minus do not count as nesting", () => {
    const text = Array.from(
      { length: 200 },
      (_, i) => `(country not in ["x${i}"] and country is not null and account_age_days - 1 > 0)`,
    ).join(" or ");
    assert.deepEqual(codesOf(text), []);
  });
});
