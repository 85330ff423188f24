import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { KEYWORDS } from "../../src/dsl/tokens.js";
import { metricParseRows, parseRows, type Row } from "./harness.js";

const E = "EXP2004";

/** Source in, diagnostics out: code, exact message, line, column and end column. */
const cases: [string, Row[]][] = [
  ["a ==", [{ code: E, message: 'Expected an expression after "==" but found end of input', line: 1, column: 5, endColumn: 5 }]],
  ["a == 1 and", [{ code: E, message: 'Expected an expression after "and" but found end of input', line: 1, column: 11, endColumn: 11 }]],
  ["not", [{ code: E, message: 'Expected an expression after "not" but found end of input', line: 1, column: 4, endColumn: 4 }]],
  ["1 +", [{ code: E, message: 'Expected an expression after "+" but found end of input', line: 1, column: 4, endColumn: 4 }]],
  ["(a or b", [{ code: E, message: 'Expected ")" after "b" but found end of input', line: 1, column: 8, endColumn: 8 }]],
  ["a == 1)", [{ code: E, message: 'Unexpected ")"', line: 1, column: 7, endColumn: 8 }]],
  ["a b", [{ code: E, message: 'Unexpected "b"', line: 1, column: 3, endColumn: 4 }]],
  ["a < b < c", [{ code: E, message: 'Unexpected "<"', line: 1, column: 7, endColumn: 8 }]],
  ["== a", [{ code: E, message: 'Expected an expression but found "=="', line: 1, column: 1, endColumn: 3 }]],
  ["and", [{ code: E, message: 'Expected an expression but found "and"', line: 1, column: 1, endColumn: 4 }]],
  ["where", [{ code: E, message: 'Expected an expression but found "where"', line: 1, column: 1, endColumn: 6 }]],
  ["a in 1", [{ code: E, message: 'Expected "[" after "in" but found "1"', line: 1, column: 6, endColumn: 7 }]],
  ["a in [1, 2", [{ code: E, message: 'Expected "]" after "2" but found end of input', line: 1, column: 11, endColumn: 11 }]],
  ["a in [1 2]", [{ code: E, message: 'Expected "]" after "1" but found "2"', line: 1, column: 9, endColumn: 10 }]],
  ["a in [1,]", [{ code: E, message: 'Expected an expression after "," but found "]"', line: 1, column: 9, endColumn: 10 }]],
  ["f(a,)", [{ code: E, message: 'Expected an expression after "," but found ")"', line: 1, column: 5, endColumn: 6 }]],
  ["a.", [{ code: E, message: 'Expected a name after "." but found end of input', line: 1, column: 3, endColumn: 3 }]],
  ["a.and", [{ code: E, message: 'Expected a name after "." but found "and"', line: 1, column: 3, endColumn: 6 }]],
  ["a between 1", [{ code: E, message: 'Expected "and" after "1" but found end of input', line: 1, column: 12, endColumn: 12 }]],
  ["a between 1 or 2", [{ code: E, message: 'Expected "and" after "1" but found "or"', line: 1, column: 13, endColumn: 15 }]],
  ["a is", [{ code: E, message: 'Expected "null" after "is" but found end of input', line: 1, column: 5, endColumn: 5 }]],
  ["a is not", [{ code: E, message: 'Expected "null" after "not" but found end of input', line: 1, column: 9, endColumn: 9 }]],
  ["a matches b", [{ code: E, message: 'Expected a string after "matches" but found "b"', line: 1, column: 11, endColumn: 12 }]],
  ['a == "US', [{ code: "EXP2002", message: "Unterminated string; add the closing double quote", line: 1, column: 6, endColumn: 9 }]],
  ['"ab\\"', [{ code: "EXP2002", message: "Unterminated string; add the closing double quote", line: 1, column: 1, endColumn: 6 }]],
  [
    '"\\q"',
    [
      {
        code: "EXP2003",
        message: 'Invalid escape "\\q" in a string; use JSON escapes such as \\" \\\\ \\n \\u00e9',
        line: 1,
        column: 2,
        endColumn: 4,
      },
    ],
  ],
  ["a == 'x'", [{ code: "EXP2007", message: 'Strings use double quotes: write "x"', line: 1, column: 6, endColumn: 9 }]],
  ["a == 'x", [{ code: "EXP2007", message: 'Unexpected character "\'"; strings use double quotes', line: 1, column: 6, endColumn: 7 }]],
  ["a @ b", [{ code: "EXP2001", message: 'Unexpected character "@"', line: 1, column: 3, endColumn: 4 }]],
  ["a && b", [{ code: "EXP2001", message: 'Unexpected character "&"', line: 1, column: 3, endColumn: 5, suggestion: 'use "and"' }]],
  [
    "a = 1",
    [{ code: "EXP2001", message: 'Unexpected character "="', line: 1, column: 3, endColumn: 4, suggestion: 'use "==" to compare' }],
  ],
  ["", [{ code: "EXP2006", message: "Expected an expression but found end of input", line: 1, column: 1, endColumn: 1 }]],
  [
    "  # only a comment",
    [{ code: "EXP2006", message: "Expected an expression but found end of input", line: 1, column: 19, endColumn: 19 }],
  ],
  [
    "f(a where b)",
    [
      {
        code: "EXP2005",
        message: '"where" is only allowed inside an aggregate such as count(event where ...), not in "f(...)"',
        line: 1,
        column: 5,
        endColumn: 10,
      },
    ],
  ],
  [
    'country == "US" and\n  platform ==',
    [{ code: E, message: 'Expected an expression after "==" but found end of input', line: 2, column: 14, endColumn: 14 }],
  ],
];

describe("syntax errors are data", () => {
  for (const [src, expected] of cases) {
    test(JSON.stringify(src), () => assert.deepEqual(parseRows(src, true), expected));
  }
});

describe("several errors, no cascades", () => {
  test("two independent mistakes are both reported", () => {
    assert.deepEqual(parseRows("x == 1 and and y == 2 or or z"), [
      { code: E, message: 'Expected an expression after "and" but found "and"', line: 1, column: 12 },
      { code: E, message: 'Expected an expression after "or" but found "or"', line: 1, column: 26 },
    ]);
  });
  test("an unclosed parenthesis after an earlier error", () => {
    assert.deepEqual(parseRows("a and and b or (c"), [
      { code: E, message: 'Expected an expression after "and" but found "and"', line: 1, column: 7 },
      { code: E, message: 'Expected ")" after "c" but found end of input', line: 1, column: 18 },
    ]);
  });
  test("an unterminated string produces one error, not a parse error after it", () => {
    assert.equal(parseRows('country in ["US", "CA] and x').length, 1);
  });
  test("a bad character silences the parser errors it causes", () => {
    assert.deepEqual(
      parseRows("a == 1 and b $ c").map((r) => r.code),
      ["EXP2001"],
    );
  });
  test("diagnostics come in source order", () => {
    assert.deepEqual(
      parseRows('a == "x\n  and (b or').map((r) => [r.code, r.line, r.column]),
      [["EXP2002", 1, 6]],
    );
    assert.deepEqual(
      parseRows('(a or b) c == "d\n e').map((r) => [r.code, r.line, r.column]),
      [
        ["EXP2004", 1, 10],
        ["EXP2002", 1, 15],
      ],
    );
  });
  test("no parse result when there are errors", () => {
    assert.ok(parseRows("(((").length >= 1);
  });
});

describe("metric entry point", () => {
  test("a comparison is not a metric", () => {
    assert.deepEqual(metricParseRows("count(a) > 1", true), [{ code: E, message: 'Unexpected ">"', line: 1, column: 10, endColumn: 11 }]);
  });
  test("an unclosed aggregate", () => {
    assert.deepEqual(metricParseRows("count(a", true), [
      { code: E, message: 'Expected ")" after "a" but found end of input', line: 1, column: 8, endColumn: 8 },
    ]);
  });
  test("where needs a condition", () => {
    assert.deepEqual(metricParseRows("count(click where)", true), [
      { code: E, message: 'Expected an expression after "where" but found ")"', line: 1, column: 18, endColumn: 19 },
    ]);
  });
  test("a malformed aggregate with where", () => {
    assert.deepEqual(metricParseRows("sum(1 where x)"), [
      {
        code: "EXP2005",
        message: '"sum" takes one event or event.property before "where", as in sum(purchase.revenue where currency == "USD")',
        line: 1,
        column: 7,
      },
    ]);
  });
});

describe("keywords are reserved", () => {
  for (const kw of KEYWORDS) {
    test(`"${kw}" is not an attribute name`, () => {
      const rows = parseRows(`${kw}.x == 1`);
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.code, E);
    });
  }
});
