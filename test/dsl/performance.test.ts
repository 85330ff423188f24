import { test } from "node:test";
import assert from "node:assert/strict";
import { CstParser, Lexer } from "chevrotain";

/*
 * A workspace of 1,000 experiments must validate in well under 2 s, and what would break that is a
 * parser or lexer built per expression (tens of milliseconds each) instead of once. This test counts
 * the builds instead of timing them, so a slow machine cannot fail it and a fast one cannot hide the
 * regression; the speed itself is measured by bench/validate (`BENCH=validate npm run bench`).
 *
 * Chevrotain parsers run performSelfAnalysis once in their constructor, so counting its calls counts
 * parsers built. A lexer reads every token type's PATTERN when it is built, and never while it
 * tokenizes, so counting reads of one token's PATTERN counts lexers built.
 */
let parsersBuilt = 0;
// performSelfAnalysis is protected: reach it through the prototype every parser inherits.
const parserPrototype = CstParser.prototype as unknown as { performSelfAnalysis(this: CstParser): void };
const selfAnalysis = parserPrototype.performSelfAnalysis;
parserPrototype.performSelfAnalysis = function () {
  parsersBuilt++;
  selfAnalysis.call(this);
};
// Imported after the counter is in place, so the build at import time is counted too.
const { checkCondition, checkMetricExpr, parseCondition, parseMetricExpr } = await import("../../src/dsl/index.js");
const { ExprGrammar } = await import("../../src/dsl/grammar.js");
const { Identifier } = await import("../../src/dsl/tokens.js");
const { makeEnv, originFor } = await import("./harness.js");

let lexerReads = 0;
const identifierPattern = Identifier.PATTERN;
Object.defineProperty(Identifier, "PATTERN", {
  configurable: true,
  get: () => (lexerReads++, identifierPattern),
});

const env = makeEnv();
function validate(i: number): void {
  const cond = `country in ["US", "CA", "C${i}"] and platform != "ios" and (account_age_days > ${i} or segment("employees")) and app_version >= "1.${i}.0"`;
  const c = parseCondition(cond, originFor(cond));
  assert.deepEqual(checkCondition(c.expr!, env), []);
  const metric = `count(click where position <= ${i % 10}) / count(impression)`;
  const m = parseMetricExpr(metric, originFor(metric));
  assert.equal(checkMetricExpr(m.expr!, env).kind, "ratio");
}

test("the expression parser is built once, when the language is loaded", () => {
  assert.equal(parsersBuilt, 1);
});

test("1,000 targeting conditions and 1,000 metrics parse and check without building a parser or a lexer", () => {
  for (let i = 0; i < 1000; i++) validate(i);
  assert.equal(parsersBuilt, 1, "a parser was built while parsing");
  assert.equal(lexerReads, 0, "a lexer was built while parsing");
});

test("the counters see a parser and a lexer being built", () => {
  const before = { parsersBuilt, lexerReads };
  new ExprGrammar();
  new Lexer([Identifier], { positionTracking: "onlyOffset" });
  assert.equal(parsersBuilt, before.parsersBuilt + 1);
  assert.ok(lexerReads > before.lexerReads);
});
