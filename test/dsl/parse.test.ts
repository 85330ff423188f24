import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SourceFile } from "../../src/diagnostics/source.js";
import { parseCondition, parseMetricExpr, printExpr, stripSpans, type Expr } from "../../src/dsl/index.js";
import { mustParse, originFor } from "./harness.js";

/** A fully parenthesised rendering, so tests can state the tree's shape in one line. */
function shape(e: Expr): string {
  switch (e.kind) {
    case "binary":
      return `(${shape(e.left)} ${e.op} ${shape(e.right)})`;
    case "unary":
      return `(${e.op} ${shape(e.operand)})`;
    case "in":
      return `(${shape(e.value)} ${e.negated ? "not in" : "in"} ${shape(e.list)})`;
    case "between":
      return `(${shape(e.value)} between ${shape(e.low)} ${shape(e.high)})`;
    case "is_null":
      return `(${shape(e.value)} ${e.negated ? "is not null" : "is null"})`;
    case "matches":
      return `(${shape(e.value)} matches ${JSON.stringify(e.pattern.value)})`;
    case "list":
      return `[${e.items.map(shape).join(" ")}]`;
    case "call":
      return `${e.name}(${e.args.map(shape).join(" ")})`;
    case "aggregate":
      return `${e.fn}{${e.event}${e.property ? "." + e.property : ""}${e.where ? " where " + shape(e.where) : ""}}`;
    default:
      return printExpr(e);
  }
}

describe("precedence", () => {
  const cases: [string, string][] = [
    ["a or b and c", "(a or (b and c))"],
    ["a and b or c", "((a and b) or c)"],
    ["a or b or c", "((a or b) or c)"],
    ["not a and b", "((not a) and b)"],
    ["not a == 1", "(not (a == 1))"],
    ["not not a", "(not (not a))"],
    ["a == 1 + 2 * 3", "(a == (1 + (2 * 3)))"],
    ["1 - 2 - 3", "((1 - 2) - 3)"],
    ["8 / 4 / 2", "((8 / 4) / 2)"],
    ["-a * b", "((- a) * b)"],
    ["- -a", "(- (- a))"],
    ["(a or b) and c", "((a or b) and c)"],
    ["a + b < c * 2", "((a + b) < (c * 2))"],
    ["x between 1 and 2 and y", "((x between 1 2) and y)"],
    ["x between 1 + 1 and 2 * 3 or z", "((x between (1 + 1) (2 * 3)) or z)"],
    ["x not in [1, 2] and not y in []", "((x not in [1 2]) and (not (y in [])))"],
    ["x is not null or x is null", "((x is not null) or (x is null))"],
    ['a contains "b" and c starts_with "d" or e ends_with "f"', '(((a contains "b") and (c starts_with "d")) or (e ends_with "f"))'],
    ['lower(a) matches "^x" and len(b) >= 3', '((lower(a) matches "^x") and (len(b) >= 3))'],
  ];
  for (const [src, expected] of cases) {
    test(src, () => assert.equal(shape(mustParse(src)), expected));
  }
  test("metric entry: aggregates with arithmetic", () => {
    const r = parseMetricExpr("count(click where position <= 5) / count(impression) - 2 * sum(purchase.revenue)", originFor("x"));
    assert.ok(r.expr);
    assert.equal(shape(r.expr), "((count{click where (position <= 5)} / count{impression}) - (2 * sum{purchase.revenue}))");
  });
});

describe("literals", () => {
  test("integers and decimals keep their spelling", () => {
    assert.deepEqual(stripSpans(mustParse("12")), { kind: "number", value: 12, raw: "12" });
    assert.deepEqual(stripSpans(mustParse("3.50")), { kind: "number", value: 3.5, raw: "3.50" });
  });
  test("percent is a fraction", () => {
    assert.deepEqual(stripSpans(mustParse("5%")), { kind: "percent", value: 0.05, raw: "5%" });
    assert.deepEqual(stripSpans(mustParse("12.5%")), { kind: "percent", value: 0.125, raw: "12.5%" });
  });
  test("durations in days, hours and minutes", () => {
    assert.deepEqual(stripSpans(mustParse("14d")), { kind: "duration", amount: 14, unit: "d", seconds: 14 * 86400, raw: "14d" });
    assert.deepEqual(stripSpans(mustParse("6h")), { kind: "duration", amount: 6, unit: "h", seconds: 6 * 3600, raw: "6h" });
    assert.deepEqual(stripSpans(mustParse("30m")), { kind: "duration", amount: 30, unit: "m", seconds: 1800, raw: "30m" });
  });
  test("strings decode JSON escapes", () => {
    assert.deepEqual(stripSpans(mustParse(String.raw`"a\"b\\c\n\u00e9\/"`)), { kind: "string", value: 'a"b\\c\né/' });
    assert.deepEqual(stripSpans(mustParse('""')), { kind: "string", value: "" });
  });
  test("a raw tab inside quotes is a tab", () => {
    assert.deepEqual(stripSpans(mustParse('"a\tb"')), { kind: "string", value: "a\tb" });
    assert.equal(printExpr(mustParse('"a\tb"')), '"a\\tb"');
  });
  test("true, false and null", () => {
    assert.deepEqual(stripSpans(mustParse("true")), { kind: "boolean", value: true });
    assert.deepEqual(stripSpans(mustParse("false")), { kind: "boolean", value: false });
    assert.deepEqual(stripSpans(mustParse("null")), { kind: "null" });
  });
  test("comments run to the end of the line", () => {
    assert.equal(printExpr(mustParse('country == "US" # only the US\n  and is_employee # staff')), 'country == "US" and is_employee');
  });
  test("a keyword prefix is still an identifier", () => {
    assert.deepEqual(stripSpans(mustParse("index")), { kind: "path", segments: [{ name: "index" }] });
    assert.deepEqual(stripSpans(mustParse("nullable")), { kind: "path", segments: [{ name: "nullable" }] });
    assert.deepEqual(stripSpans(mustParse("order_id")), { kind: "path", segments: [{ name: "order_id" }] });
  });
  test("dotted paths and lists", () => {
    assert.deepEqual(stripSpans(mustParse("purchase.revenue")), { kind: "path", segments: [{ name: "purchase" }, { name: "revenue" }] });
    assert.deepEqual(stripSpans(mustParse('["a", 1, true]')), {
      kind: "list",
      items: [
        { kind: "string", value: "a" },
        { kind: "number", value: 1, raw: "1" },
        { kind: "boolean", value: true },
      ],
    });
  });
});

describe("functions and aggregates", () => {
  for (const src of [
    'segment("employees")',
    'semver("1.2.3")',
    'date("2026-12-01")',
    "lower(country)",
    "len(country)",
    'in_experiment("checkout_redesign")',
    'in_experiment("checkout_redesign", "one_page")',
  ]) {
    test(src, () => {
      const e = mustParse(src);
      assert.equal(e.kind, "call");
      assert.equal(printExpr(e), src);
    });
  }
  test("aggregate fields", () => {
    const r = parseMetricExpr('sum(purchase.revenue where currency == "USD")', originFor('sum(purchase.revenue where currency == "USD")'));
    assert.ok(r.expr && r.expr.kind === "aggregate");
    assert.equal(r.expr.fn, "sum");
    assert.equal(r.expr.event, "purchase");
    assert.equal(r.expr.property, "revenue");
    assert.deepEqual([r.expr.fnSpan.column, r.expr.eventSpan.column, r.expr.propertySpan?.column], [1, 5, 14]);
    assert.equal(r.expr.where && printExpr(r.expr.where), 'currency == "USD"');
  });
  test("every aggregate function", () => {
    for (const fn of ["count", "sum", "mean", "min", "max", "count_distinct", "any", "p50", "p90", "p95", "p99"]) {
      const r = parseMetricExpr(`${fn}(purchase.revenue)`, originFor("x".repeat(40)));
      assert.ok(r.expr && r.expr.kind === "aggregate" && r.expr.fn === fn, fn);
    }
  });
  test("an aggregate name with other arguments stays a call", () => {
    const e = mustParse("count(1, 2)");
    assert.equal(e.kind, "call");
  });
});

describe("spans", () => {
  test("nodes cover their source, without surrounding parentheses", () => {
    const src = "(a == 1) and b";
    const e = mustParse(src);
    assert.ok(e.kind === "binary");
    assert.deepEqual([e.span.offset, e.span.endOffset], [1, 14]);
    assert.deepEqual([e.left.span.offset, e.left.span.endOffset], [1, 7]);
    assert.deepEqual([e.opSpan.offset, e.opSpan.endOffset], [9, 12]);
  });
  test("multi-line expressions get line and column", () => {
    const e = mustParse('country == "US"\n  and platform != "ios"');
    assert.ok(e.kind === "binary" && e.right.kind === "binary");
    assert.deepEqual([e.right.span.line, e.right.span.column, e.right.span.endLine, e.right.span.endColumn], [2, 7, 2, 24]);
  });
  test("an expression in the middle of a file maps to file offsets", () => {
    const text = 'segment: staff\nwhen: "is_employee and contry == \\"XX\\""\n';
    const file = new SourceFile("segments/staff.yaml", text);
    // The scalar's content starts after `when: "`; each \" in the file is one character of the expression.
    const expr = 'is_employee and contry == "XX"';
    const start = text.indexOf('"') + 1;
    const toFileOffset = (i: number): number => {
      let f = start;
      for (let k = 0; k < i; k++) f += expr[k] === '"' ? 2 : 1;
      return f;
    };
    const r = parseCondition(expr, { file, toFileOffset });
    assert.ok(r.expr && r.expr.kind === "binary" && r.expr.right.kind === "binary");
    const lit = r.expr.right.right;
    assert.equal(lit.span.file, "segments/staff.yaml");
    assert.equal(text.slice(lit.span.offset, lit.span.endOffset), '\\"XX\\"');
    assert.deepEqual([lit.span.line, lit.span.column], [2, 34]);
    const name = r.expr.right.left;
    assert.equal(text.slice(name.span.offset, name.span.endOffset), "contry");
  });
  test("a syntax error mid-file is reported at file coordinates", () => {
    const text = "experiment: x\ntargeting: country ==\n";
    const file = new SourceFile("experiments/x.yaml", text);
    const start = text.indexOf("country");
    const r = parseCondition("country ==", { file, toFileOffset: (i) => start + i });
    assert.equal(r.expr, undefined);
    assert.deepEqual(
      r.diagnostics.map((d) => [d.message, d.span?.file, d.span?.line, d.span?.column]),
      [['Expected an expression after "==" but found end of input', "experiments/x.yaml", 2, 22]],
    );
  });
});
