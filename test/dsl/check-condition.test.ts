import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { conditionRows, type Row } from "./harness.js";

/** Source in, diagnostics out. Each row names one check; together they cover every condition code. */
const cases: [string, Row[]][] = [
  // names
  [
    'contry == "US"',
    [
      {
        code: "EXP2101",
        message: 'Unknown attribute "contry"; declare it under "attributes" in exp.yaml',
        line: 1,
        column: 1,
        suggestion: 'did you mean "country"?',
      },
    ],
  ],
  [
    "user.country == 1",
    [
      {
        code: "EXP2102",
        message: 'Unknown attribute "user.country": attributes are flat names declared under "attributes" in exp.yaml',
        line: 1,
        column: 1,
      },
    ],
  ],
  // ordering
  ['country < "m"', [{ code: "EXP2104", message: '"<" needs numbers, dates or versions, but "country" is a string', line: 1, column: 1 }]],
  [
    'platform >= "web"',
    [{ code: "EXP2104", message: '">=" needs numbers, dates or versions, but "platform" is an enum', line: 1, column: 1 }],
  ],
  [
    'account_age_days between "a" and 5',
    [{ code: "EXP2104", message: '"between" needs numbers, dates or versions, but "a" is a string', line: 1, column: 26 }],
  ],
  [
    "signup_date < 5",
    [{ code: "EXP2104", message: 'Cannot compare "signup_date" (a date) with 5 (a number) using "<"', line: 1, column: 15 }],
  ],
  [
    'signup_date > "2026-01-01"',
    [
      {
        code: "EXP2104",
        message: 'Cannot compare "signup_date" (a date) with "2026-01-01" (a string) using ">"',
        line: 1,
        column: 15,
        suggestion: 'write date("2026-01-01")',
      },
    ],
  ],
  // equality
  [
    'account_age_days == "10"',
    [{ code: "EXP2105", message: 'Cannot compare "account_age_days" (a number) with "10" (a string) using "=="', line: 1, column: 21 }],
  ],
  [
    "is_employee != 1",
    [{ code: "EXP2105", message: 'Cannot compare "is_employee" (a boolean) with 1 (a number) using "!="', line: 1, column: 16 }],
  ],
  [
    "platform == 1",
    [{ code: "EXP2105", message: 'Cannot compare "platform" (an enum) with 1 (a number) using "=="', line: 1, column: 13 }],
  ],
  [
    'platform == "iso"',
    [
      {
        code: "EXP2106",
        message: '"iso" is not a value of "platform"; it is one of "web", "ios", "android"',
        line: 1,
        column: 13,
        suggestion: 'did you mean "ios"?',
      },
    ],
  ],
  [
    "country == null",
    [
      {
        code: "EXP2123",
        message: 'Test for null with "is null" or "is not null", not "=="',
        line: 1,
        column: 12,
        suggestion: "write country is null",
      },
    ],
  ],
  // membership
  ['country in ["US", 1]', [{ code: "EXP2107", message: 'List element 1 is a number, but "country" is a string', line: 1, column: 19 }]],
  [
    "account_age_days not in [1, true]",
    [{ code: "EXP2107", message: 'List element true is a boolean, but "account_age_days" is a number', line: 1, column: 29 }],
  ],
  ['platform in ["web", 1]', [{ code: "EXP2107", message: 'List element 1 is a number, but "platform" is an enum', line: 1, column: 21 }]],
  [
    'signup_date in [date("2026-01-01"), "2026-01-02"]',
    [
      {
        code: "EXP2107",
        message: 'List element "2026-01-02" is a string, but "signup_date" is a date',
        line: 1,
        column: 37,
        suggestion: 'write date("2026-01-02")',
      },
    ],
  ],
  [
    'app_version in ["1.2.3", "1.2"]',
    [{ code: "EXP2112", message: '"1.2" is not a valid semantic version such as "1.2.3"', line: 1, column: 26 }],
  ],
  [
    'platform not in ["web", "andriod"]',
    [
      {
        code: "EXP2106",
        message: '"andriod" is not a value of "platform"; it is one of "web", "ios", "android"',
        line: 1,
        column: 25,
        suggestion: 'did you mean "android"?',
      },
    ],
  ],
  // string operators
  [
    'account_age_days contains "1"',
    [{ code: "EXP2108", message: '"contains" needs strings, but "account_age_days" is a number', line: 1, column: 1 }],
  ],
  ["country starts_with 1", [{ code: "EXP2108", message: '"starts_with" needs strings, but 1 is a number', line: 1, column: 21 }]],
  [
    'is_employee matches "t"',
    [{ code: "EXP2108", message: '"matches" needs a string, but "is_employee" is a boolean', line: 1, column: 1 }],
  ],
  ['country matches "(US"', [{ code: "EXP2109", message: 'Invalid regular expression "(US": Unterminated group', line: 1, column: 17 }]],
  // logic and arithmetic
  [
    "country and is_employee",
    [{ code: "EXP2110", message: '"and" needs true/false conditions, but "country" is a string', line: 1, column: 1 }],
  ],
  [
    "not account_age_days",
    [{ code: "EXP2110", message: '"not" needs true/false conditions, but "account_age_days" is a number', line: 1, column: 5 }],
  ],
  ["country + 1 > 2", [{ code: "EXP2111", message: '"+" needs numbers, but "country" is a string', line: 1, column: 1 }]],
  ["-country < 1", [{ code: "EXP2111", message: '"-" needs numbers, but "country" is a string', line: 1, column: 2 }]],
  // versions and dates
  ['app_version >= "1.2"', [{ code: "EXP2112", message: '"1.2" is not a valid semantic version such as "1.2.3"', line: 1, column: 16 }]],
  [
    'app_version > semver("v2")',
    [{ code: "EXP2112", message: '"v2" is not a valid semantic version such as "1.2.3"', line: 1, column: 22 }],
  ],
  [
    "app_version == 1",
    [{ code: "EXP2105", message: 'Cannot compare "app_version" (a version) with 1 (a number) using "=="', line: 1, column: 16 }],
  ],
  [
    'signup_date > date("2026-02-30")',
    [{ code: "EXP2113", message: '"2026-02-30" is not a valid date; write YYYY-MM-DD, such as "2026-12-01"', line: 1, column: 20 }],
  ],
  [
    'signup_date > date("12/01/2026")',
    [{ code: "EXP2113", message: '"12/01/2026" is not a valid date; write YYYY-MM-DD, such as "2026-12-01"', line: 1, column: 20 }],
  ],
  // functions
  [
    'segmnt("employees")',
    [
      {
        code: "EXP2114",
        message: 'Unknown function "segmnt"; the functions are segment, semver, date, lower, len, in_experiment',
        line: 1,
        column: 1,
        suggestion: 'did you mean "segment"?',
      },
    ],
  ],
  ['lower(country, "x") == "x"', [{ code: "EXP2115", message: '"lower" takes 1 argument but got 2', line: 1, column: 1 }]],
  ["len() > 1", [{ code: "EXP2115", message: '"len" takes 1 argument but got 0', line: 1, column: 1 }]],
  ['in_experiment("a", "b", "c")', [{ code: "EXP2115", message: '"in_experiment" takes 1 to 2 arguments but got 3', line: 1, column: 1 }]],
  [
    "len(account_age_days) > 1",
    [{ code: "EXP2116", message: '"len" needs a string text, but "account_age_days" is a number', line: 1, column: 5 }],
  ],
  ["semver(1) > app_version", [{ code: "EXP2116", message: '"semver" needs a string version, but 1 is a number', line: 1, column: 8 }]],
  [
    'segment("employes")',
    [
      {
        code: "EXP2117",
        message: 'Unknown segment "employes"; segments are defined in segments/*.yaml',
        line: 1,
        column: 9,
        suggestion: 'did you mean "employees"?',
      },
    ],
  ],
  [
    'in_experiment("checkout_redesing")',
    [
      {
        code: "EXP2118",
        message: 'Unknown experiment "checkout_redesing"',
        line: 1,
        column: 15,
        suggestion: 'did you mean "checkout_redesign"?',
      },
    ],
  ],
  [
    'in_experiment("checkout_redesign", "one_pag")',
    [
      {
        code: "EXP2119",
        message: 'Experiment "checkout_redesign" has no variant "one_pag"; its variants are "control", "one_page"',
        line: 1,
        column: 36,
        suggestion: 'did you mean "one_page"?',
      },
    ],
  ],
  [
    "segment(country)",
    [{ code: "EXP2122", message: 'The name given to "segment" must be a string literal in double quotes', line: 1, column: 9 }],
  ],
  // shape
  [
    "count(purchase) > 1",
    [{ code: "EXP2120", message: 'Aggregate "count(...)" is only allowed in metric expressions, not in a condition', line: 1, column: 1 }],
  ],
  ["country", [{ code: "EXP2121", message: 'A condition must be true or false, but "country" is a string', line: 1, column: 1 }]],
  [
    "account_age_days + 1",
    [{ code: "EXP2121", message: 'A condition must be true or false, but "account_age_days + 1" is a number', line: 1, column: 1 }],
  ],
  [
    "account_age_days > 14d",
    [
      {
        code: "EXP2124",
        message: 'Duration "14d" cannot be used in a condition; compare plain numbers instead',
        line: 1,
        column: 20,
        suggestion: "write 14 with days_since_exposure",
      },
    ],
  ],
];

describe("condition checks as data", () => {
  for (const [src, expected] of cases) {
    test(src, () => assert.deepEqual(conditionRows(src), expected));
  }
});

describe("valid conditions have no diagnostics", () => {
  const valid = [
    'country in ["US", "CA"] and platform != "ios"',
    'is_employee or country == "XX"',
    'segment("employees") and not segment("beta")',
    'app_version >= semver("2.0.0-rc.1") and app_version < "3.0.0"',
    'signup_date between date("2026-01-01") and date("2026-12-31")',
    'lower(country) == "us" and len(country) == 2',
    'lower(platform) starts_with "w"',
    'platform in ["web", "ios"] and platform != "android"',
    'country matches "^[A-Z]{2}$" and country ends_with "S"',
    'in_experiment("checkout_redesign") or in_experiment("search_ranker_v2", "ranker_v2")',
    "account_age_days * 2 - 1 >= 5% and -account_age_days < 0",
    "country is not null and signup_date is null",
    "true",
  ];
  for (const src of valid) test(src, () => assert.deepEqual(conditionRows(src), []));
});

describe("no cascades", () => {
  test("an unknown attribute is reported once, not again by the comparison", () => {
    assert.deepEqual(
      conditionRows('contry < 5 and contry contains "x"').map((r) => [r.code, r.column]),
      [
        ["EXP2101", 1],
        ["EXP2101", 16],
      ],
    );
  });
  test("an unknown function's result is not type-checked again", () => {
    assert.deepEqual(
      conditionRows("foo(country) > 1 and foo(1)").map((r) => r.code),
      ["EXP2114", "EXP2114"],
    );
  });
  test("several independent errors are all reported, in source order", () => {
    assert.deepEqual(
      conditionRows('platform == "iso" or country < 1 or segment("nope")').map((r) => [r.code, r.column]),
      [
        ["EXP2106", 13],
        ["EXP2104", 22],
        ["EXP2117", 45],
      ],
    );
  });
});
