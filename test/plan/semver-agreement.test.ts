import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SourceFile } from "../../src/diagnostics/source.js";
import { checkCondition, DSL_CODES, parseCondition, wholeFileOrigin, type Expr } from "../../src/dsl/index.js";
import { mayOverlap, type SatisfiabilityEnv } from "../../src/plan/checks/satisfiable.js";
import { compileCondition } from "../../src/runtime/condition.js";
import type { Condition } from "../../src/ruleset/types.js";
import { makeEnv } from "../dsl/harness.js";

/**
 * One table of versions that the three places which read versions must agree on: the language's
 * `semver("…")` literal check, the plan's satisfiability checks and the runtime's comparisons.
 */
const VALID = [
  "0.0.0",
  "1.2.3",
  "10.20.30",
  "1.0.0-alpha",
  "1.0.0-alpha.1",
  "1.0.0-0.3.7",
  "1.0.0-x.7.z.92",
  "1.0.0-x-y-z.--",
  "1.0.0-0a.1",
  "1.0.0+20130313144700",
  "1.0.0-beta+exp.sha.5114f85",
  "1.0.0+21AF26D3----117B344092BD",
  "v1.2.3",
  "v1.0.0-rc.1+build.1",
  "99999999999999999999.0.0",
];

const INVALID = [
  "",
  "1",
  "1.2",
  "1.2.3.4",
  "01.2.3",
  "1.02.3",
  "1.2.03",
  "1.0.0-01",
  "1.0.0-alpha.01",
  "1.0.0-",
  "1.0.0-alpha..1",
  "1.0.0+",
  "1.0.0+a..b",
  "1.0.0+.",
  "1.2.3-beta!",
  "V1.2.3",
  "vv1.2.3",
  "=1.2.3",
  " 1.2.3",
  "1.2.3 ",
  "garbage",
];

/** Strictly ascending by SemVer 2.0.0 precedence (semver.org §11, plus numbers beyond 2^53). */
const ASCENDING = [
  "1.0.0-alpha",
  "1.0.0-alpha.1",
  "1.0.0-alpha.beta",
  "1.0.0-beta",
  "1.0.0-beta.2",
  "1.0.0-beta.11",
  "1.0.0-rc.1",
  "1.0.0",
  "1.0.1",
  "1.9.0",
  "1.10.0",
  "2.0.0",
  "10.0.0",
  "9007199254740992.0.0",
  "9007199254740993.0.0",
];

/** Equal precedence: build metadata and the "v" prefix do not count. */
const EQUAL: [string, string][] = [
  ["1.0.0+build.5", "1.0.0"],
  ["1.0.0-rc.1+a", "1.0.0-rc.1+b"],
  ["v2.5.0", "2.5.0"],
];

const planEnv: SatisfiabilityEnv = { attributes: { app_version: "semver" }, segment: () => undefined };
const dslEnv = makeEnv();

function parse(text: string): Expr {
  const r = parseCondition(text, wholeFileOrigin(new SourceFile("t", text)));
  assert.deepEqual(r.diagnostics, [], text);
  return r.expr!;
}

const literal = (v: string) => `semver(${JSON.stringify(v)})`;

/** The three readers, each asked the same questions. */
const readers = {
  language: {
    valid: (v: string) =>
      !checkCondition(parse(`app_version == ${literal(v)}`), dslEnv).some((d) => d.code === DSL_CODES.invalidSemver.code),
  },
  plan: {
    // A version the checks understand makes `== v` and `!= v` provably disjoint; one they do not is opaque.
    valid: (v: string) => !mayOverlap(parse(`app_version == ${literal(v)}`), parse(`app_version != ${literal(v)}`), planEnv),
    less: (a: string, b: string) => !mayOverlap(parse(`app_version >= ${literal(b)}`), parse(`app_version <= ${literal(a)}`), planEnv),
    equal: (a: string, b: string) => !mayOverlap(parse(`app_version == ${literal(a)}`), parse(`app_version != ${literal(b)}`), planEnv),
  },
  runtime: {
    holds(op: "==" | "<", attribute: string, lit: string): boolean {
      const c: Condition = {
        op,
        as: "semver",
        args: [
          { op: "attr", name: "app_version" },
          { op: "lit", value: lit },
        ],
      };
      const t = compileCondition(c, { segment: () => () => false, variantOf: () => null });
      return t("unit", { app_version: attribute }, 0);
    },
    valid: (v: string) => readers.runtime.holds("==", v, v),
    less: (a: string, b: string) => readers.runtime.holds("<", a, b) && !readers.runtime.holds("<", b, a),
    equal: (a: string, b: string) => readers.runtime.holds("==", a, b) && readers.runtime.holds("==", b, a),
  },
};

describe("one semantic-version grammar for the language, the plan checks and the runtime", () => {
  test("valid versions are versions everywhere", () => {
    for (const v of VALID) {
      assert.equal(readers.language.valid(v), true, `language: ${v}`);
      assert.equal(readers.plan.valid(v), true, `plan: ${v}`);
      assert.equal(readers.runtime.valid(v), true, `runtime: ${v}`);
    }
  });

  test("invalid versions are versions nowhere (leading zeros, empty identifiers, whitespace, V)", () => {
    for (const v of INVALID) {
      assert.equal(readers.language.valid(v), false, `language: ${JSON.stringify(v)}`);
      assert.equal(readers.plan.valid(v), false, `plan: ${JSON.stringify(v)}`);
      assert.equal(readers.runtime.valid(v), false, `runtime: ${JSON.stringify(v)}`);
    }
  });

  test("pre-releases, numeric identifiers and big numbers order by SemVer 2.0.0 precedence", () => {
    for (let i = 0; i < ASCENDING.length; i++) {
      for (let j = i + 1; j < ASCENDING.length; j++) {
        const [a, b] = [ASCENDING[i]!, ASCENDING[j]!];
        assert.equal(readers.plan.less(a, b), true, `plan: ${a} < ${b}`);
        assert.equal(readers.plan.less(b, a), false, `plan: not ${b} < ${a}`);
        assert.equal(readers.runtime.less(a, b), true, `runtime: ${a} < ${b}`);
        assert.equal(readers.runtime.holds("==", a, b), false, `runtime: ${a} != ${b}`);
      }
    }
  });

  test("build metadata and the v prefix do not change precedence", () => {
    for (const [a, b] of EQUAL) {
      assert.equal(readers.plan.equal(a, b), true, `plan: ${a} = ${b}`);
      assert.equal(readers.runtime.equal(a, b), true, `runtime: ${a} = ${b}`);
      assert.equal(readers.runtime.less(a, b) || readers.runtime.less(b, a), false, `runtime: neither of ${a}, ${b} is less`);
    }
  });
});
