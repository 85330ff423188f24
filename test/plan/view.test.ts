import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { SourceFile } from "../../src/diagnostics/source.js";
import { parseCondition, printExpr, wholeFileOrigin } from "../../src/dsl/index.js";
import { lowerCondition } from "../../src/compiler/ruleset/condition.js";
import { conditionSource } from "../../src/plan/condition-source.js";
import type { Change } from "../../src/plan/model.js";
import { fieldView } from "../../src/plan/view-values.js";
import type { AttributeType } from "../../src/workspace/model.js";
import { ATTRIBUTES as DECLARED } from "../dsl/harness.js";

const ATTRIBUTES: Record<string, AttributeType> = { ...DECLARED, email: "string" };

function compiled(text: string) {
  const parsed = parseCondition(text, wholeFileOrigin(new SourceFile("t", text)));
  assert.deepEqual(parsed.diagnostics, [], text);
  const diags: Diagnostic[] = [];
  const c = lowerCondition(parsed.expr!, ATTRIBUTES, diags);
  assert.deepEqual(diags, [], text);
  return { c, canonical: printExpr(parsed.expr!) };
}

describe("a compiled condition is shown as the expression a person wrote", () => {
  const sameAsWritten = [
    'country in ["US", "CA"] and platform != "ios"',
    'is_employee or country == "XX"',
    'segment("employees") and not in_experiment("checkout_redesign", "one_page")',
    'country not in ["US"] or email is not null',
    "not (is_employee or account_age_days < 30)",
    'lower(email) ends_with "@corp.example" and len(country) == 2',
    'email matches "^[a-z]+@corp\\\\.example$"',
    "account_age_days between 7 and 30",
    "account_age_days * 2 + 1 > -3",
    'app_version >= semver("2.0.0-beta.1") and signup_date < date("2026-06-01")',
    "true",
    "false",
  ];
  for (const text of sameAsWritten) {
    test(text, () => {
      const { c, canonical } = compiled(text);
      assert.equal(conditionSource(c), canonical);
    });
  }

  test("a version or date written as a plain string prints in its typed form, which means the same", () => {
    assert.equal(conditionSource(compiled('app_version >= "2.0.0"').c), 'app_version >= semver("2.0.0")');
    assert.equal(conditionSource(compiled('signup_date in ["2026-01-01"]').c), 'signup_date in [date("2026-01-01")]');
  });

  test("percent and duration literals were compiled to numbers and print as numbers", () => {
    assert.equal(conditionSource(compiled("account_age_days > 50%").c), "account_age_days > 0.5");
  });
});

describe("field values are shown in full, in the units of the YAML", () => {
  const change = (kind: Change["kind"], action: Change["action"] = "update"): Change => ({
    address: `${kind}.x`,
    kind,
    key: "x",
    action,
    fieldDiffs: [],
  });

  test("traffic and weights are percentages, not basis points", () => {
    assert.deepEqual(fieldView(change("experiment"), { path: "traffic", before: 5000, after: 1234 }).value, {
      layout: "change",
      before: "50%",
      after: "12.34%",
    });
    assert.deepEqual(fieldView(change("experiment", "create"), { path: "variants.control.weight", after: 5 }).value, {
      layout: "inline",
      text: "0.05%",
    });
    assert.deepEqual(fieldView(change("holdout"), { path: "traffic", before: 200, after: 500 }).value, {
      layout: "change",
      before: "2%",
      after: "5%",
    });
    assert.deepEqual(fieldView(change("layer"), { path: "slots.a", before: [[0, 4000]], after: [[0, 3000]] }).value, {
      layout: "lines",
      lines: [
        { sign: "-", text: "0%–40%" },
        { sign: "+", text: "0%–30%" },
      ],
    });
  });

  test("rollout steps change as a structural diff, one step a line", () => {
    const steps = (...s: [string, number][]) => s.map(([at, traffic]) => ({ at, traffic }));
    const v = fieldView(change("flag"), {
      path: "rules.gradual.steps",
      before: steps(["2026-11-01T00:00:00Z", 1000], ["2026-11-08T00:00:00Z", 5000]),
      after: steps(["2026-11-01T00:00:00Z", 2000], ["2026-11-08T00:00:00Z", 5000], ["2026-11-15T00:00:00Z", 10000]),
    });
    assert.deepEqual(v, {
      sign: "~",
      label: "rules.gradual.steps",
      value: {
        layout: "lines",
        lines: [
          { sign: "-", text: "10% from 2026-11-01T00:00:00Z" },
          { sign: "+", text: "20% from 2026-11-01T00:00:00Z" },
          { sign: " ", text: "50% from 2026-11-08T00:00:00Z" },
          { sign: "+", text: "100% from 2026-11-15T00:00:00Z" },
        ],
      },
    });
  });

  test("a gated step shows as pending until a guard takes it, then with its date", () => {
    const pending = { traffic: 5000, afterUnits: 1000 };
    const v = fieldView(change("flag"), {
      path: "rules.gradual.steps",
      before: [{ at: "2026-11-01T00:00:00Z", traffic: 1000 }, pending],
      after: [
        { at: "2026-11-01T00:00:00Z", traffic: 1000 },
        { ...pending, at: "2026-11-03T00:00:00Z" },
      ],
    });
    assert.deepEqual(v.value, {
      layout: "lines",
      lines: [
        { sign: " ", text: "10% from 2026-11-01T00:00:00Z" },
        { sign: "-", text: "50% pending: after 1000 units per arm with no regression" },
        { sign: "+", text: "50% from 2026-11-03T00:00:00Z" },
      ],
    });
  });

  test("a long value is never cut: it moves to lines of its own", () => {
    const long = { layout: "one_page", copy: "x".repeat(200) };
    const v = fieldView(change("flag"), { path: "variants.b", before: { layout: "classic" }, after: long });
    assert.equal(v.value.layout, "lines");
    const text = JSON.stringify(v.value);
    assert.ok(text.includes("x".repeat(200)), "the whole value is shown");
    assert.doesNotMatch(text, /…/);
    const scalar = fieldView(change("flag"), { path: "default", before: "a".repeat(50), after: "b".repeat(50) });
    assert.deepEqual(scalar.value, {
      layout: "lines",
      lines: [
        { sign: "-", text: JSON.stringify("a".repeat(50)) },
        { sign: "+", text: JSON.stringify("b".repeat(50)) },
      ],
    });
  });

  test("a segment's condition is its `when`", () => {
    const v = fieldView(change("segment", "create"), { path: "", after: compiled('country == "US"').c });
    assert.deepEqual(v, { sign: "+", label: "when", value: { layout: "inline", text: 'country == "US"' } });
  });
});
