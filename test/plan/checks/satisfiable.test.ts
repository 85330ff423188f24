import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SourceFile } from "../../../src/diagnostics/source.js";
import { parseCondition, wholeFileOrigin, type Expr } from "../../../src/dsl/index.js";
import { mayHoldTogether, mayOverlap, maySatisfy, type SatisfiabilityEnv } from "../../../src/plan/checks/satisfiable.js";
import type { AttributeType } from "../../../src/workspace/model.js";

function parse(text: string): Expr {
  const r = parseCondition(text, wholeFileOrigin(new SourceFile("t", text)));
  assert.deepEqual(r.diagnostics, [], `parse ${text}`);
  return r.expr!;
}

const attributes: Record<string, AttributeType> = {
  country: "string",
  platform: { enum: ["web", "ios", "android"] },
  app_version: "semver",
  is_employee: "boolean",
  signup_date: "date",
  account_age_days: "number",
};
const segments: Record<string, string> = {
  employees: 'is_employee or country == "XX"',
  staff_in_us: 'segment("employees") and country == "US"',
  loop_a: 'segment("loop_b") and country == "US"',
  loop_b: 'segment("loop_a")',
};
const env: SatisfiabilityEnv = {
  attributes,
  segment: (name) => (segments[name] ? parse(segments[name]) : undefined),
};

describe("mayOverlap: provably disjoint targeting", () => {
  const disjoint: [string, string][] = [
    ['country == "US"', 'country in ["CA", "MX"]'],
    ['app_version < "2.0.0"', 'app_version >= "2.0.0"'],
    ['app_version < semver("2.0.0")', 'app_version >= semver("2.0.0")'],
    ['app_version >= "2.0.0-beta.2" and app_version < "2.0.0"', 'app_version <= "2.0.0-beta.1"'],
    ['platform == "ios"', 'platform != "ios"'],
    ["is_employee", "not is_employee"],
    ["is_employee == true", "is_employee == false"],
    ['segment("employees")', 'not is_employee and country != "XX"'],
    ['segment("staff_in_us")', 'country == "CA"'],
    ["account_age_days between 0 and 30", "account_age_days > 30"],
    ["account_age_days < -1", "account_age_days >= -1"],
    ['country == "US" and platform == "ios"', 'country == "US" and platform == "web"'],
    ['country == "US" or country == "CA"', 'country not in ["US", "CA"]'],
    ['platform in ["web", "ios", "android"] and platform != "web" and platform != "ios"', 'platform != "android"'],
    ['not (country == "US" or platform == "ios")', 'country == "US"'],
    ['signup_date < date("2026-01-01")', 'signup_date >= date("2026-01-01")'],
    // Conditions the test cannot look into still hold or fail alike for one unit.
    ['in_experiment("a") and country == "US"', 'not in_experiment("a")'],
    ['country contains "U"', 'not (country contains "U")'],
    ['segment("unknown")', 'not segment("unknown")'],
    ["country is null", "country is not null"],
    ["country is null", 'country == "US"'],
    ["false", 'country == "US"'],
  ];
  for (const [a, b] of disjoint) {
    test(`${a}  ⟂  ${b}`, () => {
      assert.equal(mayOverlap(parse(a), parse(b), env), false);
      assert.equal(mayOverlap(parse(b), parse(a), env), false, "symmetric");
    });
  }
});

describe("mayOverlap: overlapping or unknown targeting", () => {
  const overlapping: [string | undefined, string | undefined][] = [
    ['country == "US"', 'country in ["US", "MX"]'],
    // Lexically "10.0.0" < "9.0.0"; as versions they overlap.
    ['app_version < "10.0.0"', 'app_version >= "9.0.0"'],
    ["account_age_days between 0 and 30", "account_age_days >= 30"],
    ['platform != "web"', 'platform != "ios"'],
    // A missing platform may satisfy every `!=`, so this is not provably disjoint.
    ['platform != "web" and platform != "ios"', 'platform != "android"'],
    ['country != "US"', 'country != "CA"'],
    ['country == "US"', 'platform == "ios"'],
    ['segment("employees")', 'country == "XX"'],
    // Not understood: assumed to overlap, never claimed disjoint.
    ['country matches "^U"', 'country == "CA"'],
    ['in_experiment("a")', 'not in_experiment("b")'],
    ['country contains "U"', 'country == "CA"'],
    ['lower(country) == "us"', 'lower(country) != "us"'],
    ['segment("loop_a")', 'country == "US"'],
    ["country is not null", 'country == "US"'],
    ['signup_date == date("2026-01-01")', 'signup_date != date("2026-01-01")'],
    [undefined, 'country == "US"'],
    [undefined, undefined],
  ];
  for (const [a, b] of overlapping) {
    test(`${a ?? "(everyone)"}  ∩  ${b ?? "(everyone)"}`, () => {
      assert.equal(mayOverlap(a ? parse(a) : undefined, b ? parse(b) : undefined, env), true);
    });
  }
});

test("maySatisfy proves contradictions, and several conditions are conjoined", () => {
  assert.equal(maySatisfy(parse('country == "US" and country == "CA"'), env), false);
  assert.equal(
    maySatisfy(parse('platform in ["web", "ios", "android"] and platform != "web" and platform != "ios" and platform != "android"'), env),
    false,
  );
  assert.equal(maySatisfy(parse('platform != "web" and platform != "ios" and platform != "android"'), env), true);
  assert.equal(maySatisfy(parse('country == "US" or country == "CA"'), env), true);
  assert.equal(mayHoldTogether([parse("account_age_days > 5"), parse("account_age_days < 10"), parse("account_age_days == 7")], env), true);
  assert.equal(
    mayHoldTogether([parse("account_age_days > 5"), parse("account_age_days < 10"), parse("account_age_days == 10")], env),
    false,
  );
});

test("past the DNF cap the answer is 'may overlap', even for a disjoint pair", () => {
  const wide = Array.from({ length: 12 }, (_, i) => `(a${i} == 1 or b${i} == 1)`).join(" and ");
  // Still disjoint through country, but the first condition has 2^12 terms.
  assert.equal(mayOverlap(parse(`${wide} and country == "US"`), parse('country == "CA"'), env), true);
  assert.equal(mayOverlap(parse('(account_age_days == 1 or platform == "web") and country == "US"'), parse('country == "CA"'), env), false);
});

test("undeclared attributes take their domain from the literals; mixed use is opaque", () => {
  const bare: SatisfiabilityEnv = { segment: () => undefined };
  assert.equal(mayOverlap(parse("score < 3"), parse("score >= 3"), bare), false);
  assert.equal(mayOverlap(parse('tier == "gold"'), parse('tier != "gold"'), bare), false);
  assert.equal(mayOverlap(parse('tier == "5"'), parse("tier != 5"), bare), true);
  assert.equal(mayOverlap(parse('name < "m"'), parse('name >= "m"'), bare), true);
});
