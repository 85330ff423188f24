import type { Condition, Operand } from "../../src/ruleset/types.js";
import { attr, cmp, lit } from "./ruleset-builder.js";

/**
 * The condition cases: each condition is evaluated against every attribute set listed with it.
 * They cover what the runtimes must agree on beyond hashing: JavaScript's strict equality (1 and
 * true apart, 1 and 1.0 equal), missing and wrongly typed attributes, null, semantic versions,
 * dates, UTF-16 string lengths and Unicode lowercasing, and the portable regular expressions.
 */
export interface ConditionCase {
  name: string;
  when: Condition;
  attributes: Record<string, unknown>[];
}

const s = attr("s");
const n = attr("n");
const v = attr("v");
const d = attr("d");
const list = (...items: Operand[]): Operand => ({ op: "list", items });
const lower = (arg: Operand): Operand => ({ op: "lower", arg });
const len = (arg: Operand): Operand => ({ op: "len", arg });
const neg = (arg: Operand): Operand => ({ op: "neg", arg });
const arith = (op: "+" | "-" | "*" | "/", a: Operand, b: Operand): Operand => ({ op, args: [a, b] });
const matches = (pattern: string): Condition => ({ op: "matches", arg: s, pattern });

/** Values of every JSON type, for the "wrongly typed" side of each operator. */
const ODD_VALUES: Record<string, unknown>[] = [
  {},
  { s: null, n: null, v: null, d: null },
  { s: 1, n: "1", v: 1, d: 1 },
  { s: true, n: true, v: true, d: true },
  { s: ["a"], n: [1], v: ["1.0.0"], d: ["2026-01-01"] },
  { s: { a: 1 }, n: { a: 1 }, v: { a: 1 }, d: { a: 1 } },
];
const strings = (...xs: string[]) => [...xs.map((x) => ({ s: x })), ...ODD_VALUES];
const numbers = (...xs: number[]) => [...xs.map((x) => ({ n: x })), ...ODD_VALUES];
const versions = (...xs: string[]) => [...xs.map((x) => ({ v: x })), ...ODD_VALUES];
const dates = (...xs: string[]) => [...xs.map((x) => ({ d: x })), ...ODD_VALUES];

const VERSIONS = [
  "1.9.9",
  "2.0.0",
  "v2.0.0",
  "2.0.0-beta.1",
  "2.0.0+build.5",
  "10.0.0",
  "2.0",
  "V2.0.0",
  " 2.0.0",
  "02.0.0",
  "١.٠.٠",
  "2.0.0-01",
];
// Portable date spellings only (docs/python.md): ISO forms with Z or an offset, and dates alone (UTC).
const DATES = [
  "2026-12-10T00:00:00Z",
  "2026-12-09T23:59:59.999Z",
  "2026-12-10T00:00:00.000+01:00",
  "2026-12-10T01:00:00+01:00",
  "2026-12-10",
  "2026-12",
  "2026",
  "2026-12-10T00:00Z",
  "2026-12-10T00:00:00.0009Z",
  "2026-12-09T24:00:00Z",
  "+002026-12-10T00:00:00Z",
  "2026-13-01",
  "2026-12-10T25:00:00Z",
  "2026-12-10T00:00:60Z",
  "not a date",
  "",
];

export const CONDITION_CASES: ConditionCase[] = [
  { name: "eq_string", when: cmp("==", s, lit("US")), attributes: strings("US", "us", "US ", "") },
  { name: "ne_string", when: cmp("!=", s, lit("US")), attributes: strings("US", "CA", "") },
  { name: "eq_number", when: cmp("==", n, lit(1)), attributes: numbers(1, 1.0, 0, -1, 1.5) },
  { name: "ne_number", when: cmp("!=", n, lit(1)), attributes: numbers(1, 2) },
  { name: "eq_boolean", when: cmp("==", attr("b"), lit(true)), attributes: [{ b: true }, { b: false }, { b: 1 }, { b: "true" }, {}] },
  { name: "eq_null_literal", when: cmp("==", s, lit(null)), attributes: strings("x") },
  { name: "ne_null_literal", when: cmp("!=", s, lit(null)), attributes: strings("x") },
  { name: "lt_number", when: cmp("<", n, lit(10)), attributes: numbers(9, 9.999, 10, 11, -1e300) },
  { name: "le_number", when: cmp("<=", n, lit(10)), attributes: numbers(10, 10.000001) },
  { name: "gt_number", when: cmp(">", n, lit(-0.5)), attributes: numbers(0, -0.5, -1) },
  { name: "ge_number", when: cmp(">=", n, lit(30)), attributes: numbers(30, 29) },
  { name: "lt_string_literal", when: cmp("<", s, lit("m")), attributes: strings("a", "z") },
  {
    name: "eq_attr_attr",
    when: cmp("==", s, attr("t")),
    attributes: [{ s: "x", t: "x" }, { s: 1, t: 1 }, { s: 1, t: true }, { s: null, t: null }, {}, { s: ["x"], t: ["x"] }],
  },
  { name: "eq_attr_itself", when: cmp("==", s, s), attributes: strings("x", "") },
  { name: "lt_attr_attr", when: cmp("<", n, attr("m")), attributes: [{ n: 1, m: 2 }, { n: 2, m: 1 }, { n: "1", m: "2" }, { n: 1 }] },
  {
    name: "in_strings",
    when: { op: "in", as: "value", arg: s, values: [lit("US"), lit("CA")] },
    attributes: strings("US", "CA", "GB", "us"),
  },
  {
    name: "in_mixed_literals",
    when: { op: "in", as: "value", arg: s, values: [lit(1), lit("1"), lit(true), lit(null)] },
    attributes: [{ s: 1 }, { s: 1.0 }, { s: "1" }, { s: true }, { s: false }, { s: 0 }, { s: null }, {}, { s: [1] }],
  },
  {
    name: "in_computed",
    when: { op: "in", as: "value", arg: lower(s), values: [lit("us"), lit(null)] },
    attributes: strings("US", "Us", "ca"),
  },
  {
    name: "in_semver",
    when: { op: "in", as: "semver", arg: v, values: [lit("2.0.0"), lit("3.0.0-rc.1")] },
    attributes: versions(...VERSIONS, "3.0.0-rc.1", "3.0.0-rc.1+x"),
  },
  {
    name: "in_with_attr_values",
    when: { op: "in", as: "value", arg: s, values: [attr("t"), lit("x")] },
    attributes: [{ s: "x" }, { s: "y", t: "y" }, { s: 1, t: 1 }, {}],
  },
  { name: "between_numbers", when: { op: "between", as: "value", args: [n, lit(18), lit(65)] }, attributes: numbers(17, 18, 40, 65, 65.5) },
  {
    name: "between_semver",
    when: { op: "between", as: "semver", args: [v, lit("2.0.0"), lit("5.2.0")] },
    attributes: versions(...VERSIONS, "5.2.0", "5.2.0-beta.1", "5.10.0"),
  },
  ...(["==", "!=", "<", "<=", ">", ">="] as const).map((op) => ({
    name: `semver_${op}`,
    when: cmp(op, v, lit("2.0.0"), "semver"),
    attributes: versions(
      ...VERSIONS,
      "2.0.0-alpha",
      "2.0.0-alpha.1",
      "2.0.0-alpha.beta",
      "2.0.0-beta.11",
      "2.0.0-rc.1",
      "2.0.1",
      "99999999999999999999.0.0",
    ),
  })),
  { name: "semver_prerelease_order", when: cmp("<", v, attr("w"), "semver"), attributes: prereleasePairs() },
  ...(["==", "<", ">="] as const).map((op) => ({
    name: `date_${op}`,
    when: cmp(op, d, lit("2026-12-10T00:00:00Z"), "date"),
    attributes: dates(...DATES),
  })),
  {
    name: "date_between",
    when: { op: "between", as: "date", args: [d, lit("2026-12-01"), lit("2026-12-31T23:59:59.999Z")] },
    attributes: dates(...DATES),
  },
  {
    name: "date_attr_attr",
    when: cmp("==", d, attr("e"), "date"),
    attributes: [
      { d: "2026-12-10", e: "2026-12-10T00:00:00.000Z" },
      { d: "2026", e: "2026-01-01T00:00:00Z" },
      { d: "x", e: "x" },
    ],
  },
  { name: "contains_string", when: { op: "contains", args: [s, lit("ab")] }, attributes: strings("xaby", "ab", "a", "AB") },
  {
    name: "contains_array",
    when: { op: "contains", args: [attr("tags"), lit(1)] },
    attributes: [
      { tags: [1, 2] },
      { tags: [1.0] },
      { tags: ["1"] },
      { tags: [true] },
      { tags: [] },
      { tags: "1" },
      { tags: "x1" },
      {},
      { tags: null },
    ],
  },
  {
    name: "contains_array_null",
    when: { op: "contains", args: [attr("tags"), attr("x")] },
    attributes: [{ tags: [null], x: null }, { tags: [null] }, { tags: ["a"], x: "a" }],
  },
  { name: "contains_list_operand", when: { op: "contains", args: [list(s, lit("z")), lit("z")] }, attributes: strings("a") },
  { name: "contains_astral", when: { op: "contains", args: [s, lit("🙂")] }, attributes: strings("a🙂b", "🙃", "🙂") },
  { name: "starts_with", when: { op: "starts_with", args: [s, lit("test")] }, attributes: strings("tester", "test", "Test", "atest", "") },
  {
    name: "ends_with",
    when: { op: "ends_with", args: [s, lit("@corp.example")] },
    attributes: strings("ann@corp.example", "ann@corp.example.org", "@corp.example"),
  },
  { name: "starts_with_non_ascii", when: { op: "starts_with", args: [s, lit("Jö")] }, attributes: strings("Jöhn", "Jo\u0308hn", "jöhn") },
  {
    name: "ends_with_attr",
    when: { op: "ends_with", args: [s, attr("t")] },
    attributes: [{ s: "abc", t: "bc" }, { s: "abc", t: "" }, { s: "abc", t: 1 }, {}],
  },
  { name: "is_null", when: { op: "is_null", arg: s }, attributes: strings("", "x") },
  { name: "not_is_null", when: { op: "not", arg: { op: "is_null", arg: s } }, attributes: strings("x") },
  {
    name: "prototype_member_is_null",
    when: { op: "is_null", arg: attr("constructor") },
    attributes: [{}, { constructor: null }, { constructor: "x" }],
  },
  {
    name: "prototype_member_itself",
    when: cmp("==", attr("toString"), attr("toString")),
    attributes: [{}, { toString: 1 }, { toString: null }],
  },
  { name: "prototype_member_compared", when: cmp("!=", attr("valueOf"), lit("x")), attributes: [{}, { valueOf: "y" }, { valueOf: "x" }] },
  {
    name: "truthy",
    when: { op: "truthy", arg: attr("b") },
    attributes: [{ b: true }, { b: false }, { b: 1 }, { b: "true" }, { b: [true] }, {}],
  },
  {
    name: "and_or_not",
    when: {
      op: "and",
      args: [
        { op: "or", args: [cmp("==", s, lit("a")), cmp("==", s, lit("b"))] },
        { op: "not", arg: cmp("==", n, lit(1)) },
      ],
    },
    attributes: [{ s: "a" }, { s: "b", n: 1 }, { s: "b", n: 2 }, { s: "c" }],
  },
  {
    name: "and_three",
    when: { op: "and", args: [cmp(">", n, lit(0)), cmp("<", n, lit(10)), cmp("!=", n, lit(5))] },
    attributes: numbers(1, 5, 10),
  },
  {
    name: "or_three",
    when: { op: "or", args: [cmp("==", n, lit(0)), cmp("==", n, lit(5)), cmp("==", s, lit("x"))] },
    attributes: [{ n: 5 }, { s: "x" }, { n: 1 }],
  },
  { name: "empty_and", when: { op: "and", args: [] }, attributes: [{}] },
  { name: "empty_or", when: { op: "or", args: [] }, attributes: [{}] },
  { name: "true", when: { op: "true" }, attributes: [{}] },
  { name: "len_string", when: cmp("==", len(s), attr("units")), attributes: lengthCases() },
  {
    name: "len_array",
    when: cmp(">=", len(attr("tags")), lit(2)),
    attributes: [{ tags: [1, 2] }, { tags: [1] }, { tags: "ab" }, { tags: "🙂" }, { tags: "é" }, { tags: 12 }, {}],
  },
  { name: "lower_unicode", when: cmp("==", lower(s), attr("lowered")), attributes: lowerCases() },
  { name: "lower_non_string", when: { op: "is_null", arg: lower(s) }, attributes: strings("A") },
  { name: "neg", when: cmp("==", neg(n), lit(-3)), attributes: numbers(3, -3, 0) },
  { name: "neg_zero", when: cmp("==", neg(n), lit(0)), attributes: numbers(0) },
  { name: "add", when: cmp("==", arith("+", n, lit(0.2)), lit(0.30000000000000004)), attributes: numbers(0.1, 0.2) },
  {
    name: "subtract",
    when: cmp("<", arith("-", n, attr("m")), lit(0)),
    attributes: [{ n: 1, m: 2 }, { n: 2, m: 1 }, { n: 1, m: "2" }, { n: 1 }],
  },
  { name: "multiply_overflow", when: { op: "is_null", arg: arith("*", n, lit(1e308)) }, attributes: numbers(10, 1, -10) },
  {
    name: "divide_by_zero",
    when: { op: "is_null", arg: arith("/", n, attr("m")) },
    attributes: [
      { n: 1, m: 0 },
      { n: 0, m: 0 },
      { n: -1, m: 0 },
      { n: 1, m: 2 },
      { n: 3, m: -0.5 },
    ],
  },
  {
    name: "divide_compare",
    when: cmp(">=", arith("/", attr("clicks"), attr("views")), lit(0.1)),
    attributes: [
      { clicks: 1, views: 10 },
      { clicks: 1, views: 11 },
      { clicks: 1, views: 0 },
      { clicks: "1", views: 10 },
    ],
  },
  ...REGEX_CASES(),
];

function prereleasePairs(): Record<string, unknown>[] {
  // SemVer 2.0.0's own precedence example, each adjacent pair in both orders.
  const order = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"];
  const pairs: Record<string, unknown>[] = [];
  for (let i = 0; i + 1 < order.length; i++) pairs.push({ v: order[i], w: order[i + 1] }, { v: order[i + 1], w: order[i] });
  pairs.push(
    { v: "1.0.0-2", w: "1.0.0-10" },
    { v: "1.0.0-a", w: "1.0.0-B" },
    { v: "1.0.0-0a", w: "1.0.0-0b" },
    { v: "v1.0.0", w: "1.0.1" },
  );
  return pairs;
}

/** Strings with their JavaScript length (UTF-16 code units), which the runtimes must reproduce. */
function lengthCases(): Record<string, unknown>[] {
  const xs = ["", "abc", "é", "e\u0301", "ユーザー", "🙂", "🙂🙃", "a🙂b", "\ud800", "👩‍👩‍👧"];
  return xs.map((x) => ({ s: x, units: x.length }));
}

/**
 * Strings with their JavaScript lowercase: ASCII, final sigma, dotted capital I, and every
 * character whose lowercase mapping Node's Unicode has and Python 3.11's lacks.
 */
function lowerCases(): Record<string, unknown>[] {
  const xs = ["ABC", "Straße", "ΑΣ", "ΑΣ Α", "AΣb", "İ", "ǅ", "ΌΣΟΣ", "ÀÉÎ", "Ⅻ", "🙂", "\ud800A", ""];
  const newer = [0x1c89, 0xa7cb, 0xa7cc, 0xa7ce, 0xa7d2, 0xa7d4, 0xa7da, 0xa7dc];
  for (let c = 0x10d50; c <= 0x10d65; c++) newer.push(c);
  for (let c = 0x16ea0; c <= 0x16eb8; c++) newer.push(c);
  xs.push(newer.map((c) => String.fromCodePoint(c)).join(""));
  return xs.map((x) => ({ s: x, lowered: x.toLowerCase() }));
}

/** Patterns at the edges of the portable subset (docs/python.md), each against telling subjects. */
function REGEX_CASES(): ConditionCase[] {
  const cases: [string, string[]][] = [
    ["^a.c$", ["abc", "abc\n", "a\nc", "a\u2028c", "aéc", "a🙂c"]],
    ["^.$", ["🙂", "é", "\n", ""]],
    ["^..$", ["🙂", "ab"]],
    ["\\d", ["٣", "3", "x"]],
    ["\\w", ["é", "_", "-"]],
    ["\\W", ["é", "a"]],
    ["\\s", ["\u00a0", "\ufeff", "\u2003", "\u0085", "\u180e", " "]],
    ["^\\S+$", ["a\u00a0", "ab", "\u200b"]],
    ["\\bfoo\\b", ["a foo b", "éfooé", "_foo"]],
    ["\\Bfoo", ["afoo", "foo"]],
    ["x{", ["x{"]],
    ["x{2}", ["xx", "x{2}"]],
    ["x{,2}", ["x{,2}", "xx"]],
    ["a{2,3}$", ["aa", "a"]],
    ["a{3,2}", ["aaa"]],
    ["[]", ["a", ""]],
    ["[^]", ["\n", ""]],
    ["\\A", ["A", "a"]],
    ["\\z\\Z", ["zZ"]],
    ["(?i)a", ["a", "A"]],
    ["a**", ["a"]],
    ["*a", ["a"]],
    ["a)", ["a)"]],
    ["(a", ["a"]],
    ["[b-a]", ["a"]],
    ["\\", ["\\"]],
    ["[🙂]", ["🙂", "\ud83d"]],
    ["^[^a]$", ["🙂", "b"]],
    ["\\u0041\\x42\\cJ", ["AB\n"]],
    ["\\u00g", ["u00g"]],
    ["\\x4", ["x4"]],
    ["[\\b]", ["\b", "b"]],
    ["[a\\-z]", ["-", "b"]],
    ["[\\d_]+$", ["٣", "12_"]],
    ["^(?:ab|cd)+?$", ["abcd", "abc"]],
    ["^(?<word>[a-z]+)-(\\d+)$", ["abc-12", "abc-"]],
    ["foo(?=bar)", ["foobar", "foobaz"]],
    ["foo(?!bar)", ["foobar", "foobaz"]],
    ["^\\/path\\.html$", ["/path.html", "/pathxhtml"]],
    ["@corp\\.example$", ["ann@corp.example", "ann@corp.example\n", "ann@corp.example.org"]],
    ["^test", ["tester", "a test"]],
    ["\\u{41}", ["A", "uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu"]],
    ["\\p{L}", ["p{L}", "a"]],
    ["\\0", ["\u0000", "0"]],
    ["\\e\\é", ["eé"]],
    ["]}", ["]}"]],
    ["$^", [""]],
  ];
  return cases.map(([pattern, subjects], i) => ({ name: `matches_${i}`, when: matches(pattern), attributes: strings(...subjects) }));
}
