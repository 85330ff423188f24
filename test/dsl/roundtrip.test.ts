import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { checkCondition, checkMetricExpr, parseCondition, parseMetricExpr, printExpr, stripSpans } from "../../src/dsl/index.js";
import { makeEnv, originFor } from "./harness.js";
import { randomExpr, rng } from "./random-expr.js";

/**
 * The examples of the user documentation of the language: every line of its exp-condition and exp-metric
 * blocks must parse and type-check (against the example declarations of test/dsl/harness.ts) without a
 * diagnostic, and be in canonical form already.
 */
const LANGUAGE_DOC = readFileSync(new URL("../../docs/language.md", import.meta.url), "utf8");
function docExamples(block: string): string[] {
  const out: string[] = [];
  for (const m of LANGUAGE_DOC.matchAll(new RegExp("^```" + block + "\\n([\\s\\S]*?)^```", "gm")))
    out.push(...m[1]!.split("\n").filter((line) => line.trim() !== ""));
  return out;
}

/** The expressions of the product contract's examples, which the documentation must keep showing. */
const CONTRACT_CONDITIONS = [
  'country in ["US", "CA"] and platform != "ios"',
  'is_employee or country == "XX"',
  'segment("employees")',
  'country == "US"',
];
const CONTRACT_METRICS = [
  "sum(purchase.revenue)",
  "any(purchase)",
  "count(page_view)",
  "count(click where position <= 5) / count(impression)",
  "p95(page_load.latency_ms)",
  "any(app_open where days_since_exposure between 7 and 14)",
];

/** Realistic inputs, written the way people write them (extra spaces, parentheses, comments), with their canonical form. */
const REALISTIC: [string, string][] = [
  ['country in ["US","CA"]   and (platform != "ios")', 'country in ["US", "CA"] and platform != "ios"'],
  ['(is_employee) or (country == "XX")', 'is_employee or country == "XX"'],
  ['app_version >= semver("2.1.0") and not (platform == "web")', 'app_version >= semver("2.1.0") and not platform == "web"'],
  [
    'signup_date >= date("2026-01-01") # new users\n  and account_age_days < 30',
    'signup_date >= date("2026-01-01") and account_age_days < 30',
  ],
  ['lower(country) starts_with "u" or len(country) > 2', 'lower(country) starts_with "u" or len(country) > 2'],
  [
    'in_experiment("checkout_redesign", "one_page") and not segment("employees")',
    'in_experiment("checkout_redesign", "one_page") and not segment("employees")',
  ],
  ["account_age_days between 7 and 30 and country is not null", "account_age_days between 7 and 30 and country is not null"],
  ['country not in ["DE", "FR"] and country matches "^[A-Z]{2}$"', 'country not in ["DE", "FR"] and country matches "^[A-Z]{2}$"'],
  ["(a or b) and (c or d)", "(a or b) and (c or d)"],
  ["a or (b and c)", "a or b and c"],
  ["not (a and b)", "not (a and b)"],
  ["x - (y - z) == (x - y) - z", "x - (y - z) == x - y - z"],
  ["-(a + b) * -c", "-(a + b) * -c"],
  ["(not a) == b", "(not a) == b"],
  ['"tab\\tquote\\"" == x', '"tab\\tquote\\"" == x'],
  ['"\\u00e9" == x', '"é" == x'],
];

const REALISTIC_METRICS: [string, string][] = [
  ['sum( purchase.revenue where currency == "USD" ) / count(purchase)', 'sum(purchase.revenue where currency == "USD") / count(purchase)'],
  [
    "(sum(purchase.revenue) - sum(purchase.value)) / count_distinct(purchase.currency)",
    "(sum(purchase.revenue) - sum(purchase.value)) / count_distinct(purchase.currency)",
  ],
  ["mean(page_load.latency_ms where latency_ms < 60000)", "mean(page_load.latency_ms where latency_ms < 60000)"],
  ["any(app_open where hours_since_exposure between 24 and 48)", "any(app_open where hours_since_exposure between 24 and 48)"],
  ["100 * (count(click) / count(impression))", "100 * (count(click) / count(impression))"],
];

describe("the examples of docs/language.md", () => {
  const env = makeEnv();
  const conditions = docExamples("exp-condition");
  const metrics = docExamples("exp-metric");
  test("show the contract's examples", () => {
    for (const src of CONTRACT_CONDITIONS) assert.ok(conditions.includes(src), `docs/language.md shows ${src}`);
    for (const src of CONTRACT_METRICS) assert.ok(metrics.includes(src), `docs/language.md shows ${src}`);
  });
  for (const src of conditions) {
    test(`condition ${src}`, () => {
      const r = parseCondition(src, originFor(src));
      assert.deepEqual(r.diagnostics, []);
      assert.deepEqual(checkCondition(r.expr!, env), []);
      assert.equal(printExpr(r.expr!), src, "the example is written in canonical form");
    });
  }
  for (const src of metrics) {
    test(`metric ${src}`, () => {
      const r = parseMetricExpr(src, originFor(src));
      assert.deepEqual(r.diagnostics, []);
      assert.deepEqual(checkMetricExpr(r.expr!, env).diagnostics, []);
      assert.equal(printExpr(r.expr!), src, "the example is written in canonical form");
    });
  }
});

describe("realistic expressions print canonically and round-trip", () => {
  for (const [src, canonical] of REALISTIC) {
    test(src, () => {
      const first = parseCondition(src, originFor(src));
      assert.deepEqual(first.diagnostics, []);
      const printed = printExpr(first.expr!);
      assert.equal(printed, canonical);
      const second = parseCondition(printed, originFor(printed));
      assert.deepEqual(stripSpans(second.expr!), stripSpans(first.expr!));
      assert.equal(printExpr(second.expr!), printed);
    });
  }
  for (const [src, canonical] of REALISTIC_METRICS) {
    test(src, () => {
      const first = parseMetricExpr(src, originFor(src));
      assert.deepEqual(first.diagnostics, []);
      const printed = printExpr(first.expr!);
      assert.equal(printed, canonical);
      const second = parseMetricExpr(printed, originFor(printed));
      assert.deepEqual(stripSpans(second.expr!), stripSpans(first.expr!));
    });
  }
});

describe("random corpus", () => {
  const seed = process.env.DSL_SEED ? Number(process.env.DSL_SEED) : Math.floor(Math.random() * 2 ** 31);
  const count = 1500;
  test(`${count} random ASTs: print → parse → equal, print idempotent (seed ${seed})`, (t) => {
    t.diagnostic(`DSL_SEED=${seed}`);
    const next = rng(seed);
    let deepest = 0;
    for (let i = 0; i < count; i++) {
      const expr = randomExpr(next, 1 + (i % 6));
      const printed = printExpr(expr);
      const r = parseCondition(printed, originFor(printed));
      assert.deepEqual(r.diagnostics, [], `case ${i} (seed ${seed}): ${printed}`);
      assert.deepEqual(stripSpans(r.expr!), stripSpans(expr), `case ${i} (seed ${seed}): ${printed}`);
      assert.equal(printExpr(r.expr!), printed, `case ${i} (seed ${seed}) is not idempotent`);
      deepest = Math.max(deepest, printed.length);
    }
    assert.ok(deepest > 100, "the corpus includes long expressions");
  });
});
