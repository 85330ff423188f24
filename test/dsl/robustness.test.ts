import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { checkCondition, checkMetricExpr, parseCondition, parseMetricExpr, printExpr } from "../../src/dsl/index.js";
import { allCodes } from "../../src/diagnostics/codes.js";
import { makeEnv, originFor } from "./harness.js";
import { randomExpr, rng } from "./random-expr.js";

const SEEDS = [
  'country in ["US", "CA"] and platform != "ios"',
  'app_version >= semver("2.0.0") or not (signup_date between date("2026-01-01") and date("2026-02-01"))',
  "count(click where position <= 5) / count(impression)",
  'any(app_open where days_since_exposure between 7 and 14) - sum(purchase.revenue where currency == "USD") * 5%',
];
const PIECES = [
  "\r",
  "\t",
  '"\r"',
  "(",
  ")",
  "[",
  "]",
  ",",
  ".",
  '"',
  "and",
  "or",
  "not",
  "==",
  "<",
  "between",
  "is",
  "null",
  "where",
  "-",
  "*",
  "@",
  "#",
  "\n",
  " ",
  "'",
];

describe("robustness", () => {
  const seed = process.env.DSL_SEED ? Number(process.env.DSL_SEED) : Math.floor(Math.random() * 2 ** 31);
  test(`mangled input never throws and every diagnostic has a finite span inside the text (seed ${seed})`, (t) => {
    t.diagnostic(`DSL_SEED=${seed}`);
    const next = rng(seed);
    let withErrors = 0;
    for (let i = 0; i < 1000; i++) {
      let text = SEEDS[i % SEEDS.length]!;
      for (let k = 0; k < 1 + Math.floor(next() * 3); k++) {
        const at = Math.floor(next() * (text.length + 1));
        const cut = next() < 0.5 ? Math.floor(next() * 4) : 0;
        const piece = next() < 0.7 ? PIECES[Math.floor(next() * PIECES.length)]! : "";
        text = text.slice(0, at) + piece + text.slice(at + cut);
      }
      for (const parse of [parseCondition, parseMetricExpr]) {
        const r = parse(text, originFor(text));
        assert.ok(
          r.expr !== undefined || r.diagnostics.length > 0,
          `case ${i}: neither a tree nor a diagnostic for ${JSON.stringify(text)}`,
        );
        if (r.diagnostics.length) withErrors++;
        assert.ok(r.diagnostics.length <= 6, `case ${i}: ${r.diagnostics.length} diagnostics for ${JSON.stringify(text)} is a cascade`);
        for (const d of r.diagnostics) {
          const s = d.span!;
          const fields = [s.line, s.column, s.endLine, s.endColumn, s.offset, s.endOffset];
          assert.ok(fields.every(Number.isFinite), `case ${i}: non-finite span for ${JSON.stringify(text)}: ${d.message}`);
          assert.ok(
            s.offset >= 0 && s.endOffset <= text.length && s.offset <= s.endOffset,
            `case ${i}: span out of range for ${JSON.stringify(text)}`,
          );
          assert.ok(!/NaN|undefined|\[object|\n|\r/.test(d.message), `case ${i}: ${JSON.stringify(d.message)}`);
        }
      }
    }
    assert.ok(withErrors > 500, "the mangling produces plenty of broken input");
  });

  test(`the checks accept any tree the parser can produce (seed ${seed})`, () => {
    const env = makeEnv();
    const next = rng(seed + 1);
    for (let i = 0; i < 800; i++) {
      const text = printExpr(randomExpr(next, 1 + (i % 5)));
      const r = parseCondition(text, originFor(text));
      assert.ok(r.expr, text);
      for (const d of [...checkCondition(r.expr, env), ...checkMetricExpr(r.expr, env).diagnostics]) {
        assert.ok(d.span && Number.isFinite(d.span.offset), `${text}: ${d.message}`);
        assert.match(d.code, /^EXP2\d{3}$/);
        assert.ok(!/NaN|undefined|\[object/.test(d.message), `${text}: ${d.message}`);
      }
    }
  });

  test("every code of the expression language is registered once with a title", () => {
    const dsl = allCodes().filter((c) => c.code.startsWith("EXP2"));
    assert.ok(dsl.length >= 40);
    assert.equal(new Set(dsl.map((c) => c.code)).size, dsl.length);
    for (const c of dsl) assert.ok(c.title.length > 5, c.code);
  });
});
