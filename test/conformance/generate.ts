/**
 * Generates the language-neutral conformance cases (test/fixtures/conformance/cases.json, described
 * in its README) from the TypeScript runtime. Every SDK must reproduce every case;
 * test/conformance/cases.test.ts fails when the committed file differs from what this produces now.
 *   node --import tsx test/conformance/generate.ts        (npm run conformance:generate)
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compileRuleset } from "../../src/compiler/ruleset/compile.js";
import { canonicalJson } from "../../src/ruleset/canonical-json.js";
import { bucket, murmur3, pickIndex, weightsToBasisPoints } from "../../src/ruleset/hash.js";
import { compareSemver, parseSemver } from "../../src/ruleset/semver.js";
import type { Ruleset } from "../../src/ruleset/types.js";
import { createEvaluator, type Evaluator } from "../../src/runtime/evaluator.js";
import { mulberry32 } from "../helpers/prng.js";
import { shopWorkspace } from "../runtime/fixture.js";
import { randomAttributes, randomUnit } from "../runtime/random-units.js";
import { createHash } from "node:crypto";
import { CONDITION_CASES } from "./conditions.js";
import { ladderRuleset, STEPS, T_END, T_START } from "./ladder.js";
import { conditionFlag, ruleset } from "./ruleset-builder.js";
import { redirectUrl } from "../../src/runtime/redirect.js";
import { REDIRECT_CASES, splitUrlRuleset } from "./split-url.js";

export const CASES_FILE = fileURLToPath(new URL("../fixtures/conformance/cases.json", import.meta.url));

type Call = "assign" | "evaluate" | "evaluateAll";
export interface Case {
  id: string;
  ruleset: string;
  call: Call;
  key?: string;
  unit: string;
  attributes: Record<string, unknown>;
  at: number;
  expected: unknown;
}

const T0 = Date.parse("2026-12-10T00:00:00Z");
const FIXED_UNITS = ["", "user_42", "Jöhn", "ユーザー", "🙂🙃", "a\ud800b", "user 7", "ıİ"];

/** The first id u0, u1, … that satisfies the predicate: units that land exactly where a case needs them. */
function unitWhere(pred: (u: string) => boolean): string {
  for (let i = 0; i < 2_000_000; i++) if (pred(`u${i}`)) return `u${i}`;
  throw new Error("no unit satisfies the predicate; widen the search");
}

function hashing() {
  const inputs = [
    "",
    "a",
    "ab",
    "abc",
    "abcd",
    "abcde",
    "hello, world",
    "Jöhn",
    "ユーザー",
    "🙂",
    "\ud83d\ude42",
    "a\ud800b",
    "\udc00",
    "\u0000",
    "e\u0301",
    "x".repeat(1000) + "é",
  ];
  const seeds = ["variant:e:1", "traffic:e:3", "layer:checkout", "holdout:h1", "rollout:f:r", "", "variant:ünïcode_key:2", "s".repeat(301)];
  const units = ["", "0", "user_42", "Jöhn", "ユーザー", "🙂🙃", "a\ud800", "\udfff", "a/b", "u".repeat(257), "Ω≈ç√"];
  const weights = [
    [1, 1],
    [1, 1, 1],
    [2, 1],
    [0, 1],
    [1, 2, 3, 4, 5, 6, 7],
    [0.5, 0.25, 0.25],
    [1, 0],
    [3, 3, 3, 3, 3, 3],
    [1, 1, 1, 1, 1, 1, 1],
  ];
  return {
    murmur3: inputs.map((input) => ({ input, hash: murmur3(input) })),
    buckets: seeds.flatMap((seed) => units.map((unit) => ({ seed, unit, bucket: bucket(seed, unit) }))),
    weightsToBasisPoints: weights.map((w) => ({ weights: w, basisPoints: weightsToBasisPoints(w) })),
    picks: weights.flatMap((w) =>
      [0, 1, 3333, 3334, 5000, 9999].map((b) => ({
        basisPoints: weightsToBasisPoints(w),
        bucket: b,
        index: pickIndex(weightsToBasisPoints(w), b),
      })),
    ),
  };
}

function semver() {
  const xs = [
    "1.0.0",
    "v1.0.0",
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-alpha.beta",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0+build.1",
    "1.0.0-0",
    "1.0.0-00",
    "01.0.0",
    "1.0",
    "V1.0.0",
    " 1.0.0",
    "1.0.0-",
    "99999999999999999999.0.0",
    "99999999999999999998.0.0",
    "1.0.0-alpha-x",
    "1.0.0-٣",
    "١.٠.٠",
    "1.2.3-01a",
    "1.0.0-x.7.z.92",
  ];
  return xs.flatMap((a) =>
    xs.map((b) => {
      const pa = parseSemver(a);
      const pb = parseSemver(b);
      return { a, b, order: pa && pb ? compareSemver(pa, pb) : null };
    }),
  );
}

function canonical() {
  const values: unknown[] = [
    { b: 1, a: [1.5, 1e21, 1e-7, 0.000015, 100, 123456789012345680000, -2.5e-10, 5e-324, 0.1, 2 ** 53] },
    { "\uffff": 1, "🙂": 2, é: 3, Z: 4, a: 5, "": 6 },
    { text: '\u0000\u001f"\\\n\t\b\f\r\u2028\u007fé🙂/', lone: "\ud800x" },
    { nested: { z: [{ y: null, x: true }, false], a: {} }, empty: [] },
    null,
    "plain",
    -0,
  ];
  return values.map((value) => {
    const text = canonicalJson(value);
    return { value, canonical: text, sha256: createHash("sha256").update(text, "utf8").digest("hex") };
  });
}

function conditionCases(): { ruleset: Ruleset; cases: Case[] } {
  const flags = Object.fromEntries(CONDITION_CASES.map((c) => [c.name, conditionFlag(c.when)]));
  const rs = ruleset({ flags });
  const ev = createEvaluator(rs);
  const cases = CONDITION_CASES.flatMap((c) =>
    c.attributes.map((attributes, i) =>
      evaluateCase(ev, "conditions", `condition/${c.name}/${i}`, "evaluate", c.name, "u", attributes, T0),
    ),
  );
  return { ruleset: rs, cases };
}

function ladderCases(rs: Ruleset): Case[] {
  const ev = createEvaluator(rs);
  const start = Date.parse(T_START);
  const end = Date.parse(T_END);
  const inH1 = unitWhere((u) => bucket("holdout:h1", u) < 1000);
  const inH2Only = unitWhere((u) => bucket("holdout:h1", u) >= 1000 && bucket("holdout:h2", u) < 500);
  const free = (u: string) => bucket("holdout:h1", u) >= 1000 && bucket("holdout:h2", u) >= 500;
  const atLayer = (b: number) => unitWhere((u) => free(u) && bucket("layer:checkout", u) === b);
  const atRollout = (b: number) => unitWhere((u) => free(u) && bucket("rollout:rollout:gradual", u) === b);
  const inTraffic = unitWhere((u) => free(u) && bucket("traffic:traffic_25:3", u) < 2500);
  const outTraffic = unitWhere((u) => free(u) && bucket("traffic:traffic_25:3", u) >= 2500);
  const units = [...FIXED_UNITS, inH1, inH2Only, inTraffic, outTraffic];
  const layerUnits = [0, 2999, 3000, 5999, 6000, 6999, 7000, 9999].map(atLayer);
  const rolloutUnits = [0, 999, 1000, 4999, 5000, 9999].map(atRollout);
  const times = [start - 1, start, T0, end - 1, end];
  const stepTimes = STEPS.flatMap((s) => [Date.parse(s) - 1, Date.parse(s)]);
  const attributeSets: Record<string, unknown>[] = [
    {},
    { country: "US", platform: "web" },
    { country: "CA", platform: "ios", is_employee: true },
    { country: "XX", platform: "android" },
    { country: ["US"], platform: null, is_employee: "true" },
  ];
  const cases: Case[] = [];
  const push = (call: Call, key: string | undefined, unit: string, attributes: Record<string, unknown>, at: number) =>
    cases.push(evaluateCase(ev, "ladder", `ladder/${call}/${key ?? "*"}/${cases.length}`, call, key, unit, attributes, at));

  for (const key of [...Object.keys(rs.experiments), "no_such_experiment"])
    for (const unit of units) for (const attributes of attributeSets.slice(0, 3)) push("assign", key, unit, attributes, T0);
  for (const key of ["scheduled", "open_start", "overridden"]) for (const at of times) push("assign", key, units[1]!, {}, at);
  for (const key of ["lay_a", "lay_b", "exempt"]) for (const unit of [...layerUnits, inH1]) push("assign", key, unit, {}, T0);
  for (const key of ["targeted", "follows"])
    for (const attributes of attributeSets) for (const unit of units.slice(0, 4)) push("assign", key, unit, attributes, T0);
  for (const key of [...Object.keys(rs.flags), "no_such_flag"])
    for (const unit of units) for (const attributes of attributeSets) push("evaluate", key, unit, attributes, T0);
  for (const key of ["rollout", "rollout_free"])
    for (const at of stepTimes) for (const unit of [...rolloutUnits, inH1]) push("evaluate", key, unit, { country: "US" }, at);
  for (const key of ["fall_through", "in_exp"])
    for (const at of times) for (const unit of layerUnits) push("evaluate", key, unit, { platform: "ios", is_employee: true }, at);
  for (const unit of [...units, ...layerUnits])
    for (const attributes of attributeSets) push("evaluateAll", undefined, unit, attributes, T0);
  return cases;
}

/** The shop workspace of the runtime tests, compiled: units drawn at random (seed 20261210), every result. */
function shopCases(rs: Ruleset): Case[] {
  const ev = createEvaluator(rs);
  const r = mulberry32(20261210);
  const cases: Case[] = [];
  for (let i = 0; i < 200; i++) {
    const unit = i % 10 === 0 ? FIXED_UNITS[(i / 10) % FIXED_UNITS.length]! : randomUnit(r, i);
    const at = [T0, Date.parse("2020-06-02T00:00:00Z"), Date.parse("2020-06-03T00:00:00Z"), Date.parse("2022-01-01T00:00:00Z")][i % 4]!;
    cases.push(evaluateCase(ev, "shop", `shop/${i}`, "evaluateAll", undefined, unit, randomAttributes(r), at));
  }
  return cases;
}

/** Split-URL assignments (enrolled in either variant, outside the traffic, paused, no url) and whole units. */
function splitUrlCases(rs: Ruleset): Case[] {
  const ev = createEvaluator(rs);
  const cases: Case[] = [];
  const units = [...FIXED_UNITS, ...Array.from({ length: 12 }, (_, i) => `visitor_${i}`)];
  for (const key of Object.keys(rs.experiments))
    for (const unit of units)
      cases.push(evaluateCase(ev, "split_url", `split_url/assign/${key}/${cases.length}`, "assign", key, unit, {}, T0));
  for (const unit of units.slice(0, 4))
    cases.push(evaluateCase(ev, "split_url", `split_url/evaluateAll/${cases.length}`, "evaluateAll", undefined, unit, {}, T0));
  return cases;
}

/** Where the redirect helper sends each visitor (null: stay). */
function redirects() {
  return REDIRECT_CASES.map((c) => ({ ...c, expected: redirectUrl(c, c.currentUrl) }));
}

function evaluateCase(
  ev: Evaluator,
  rulesetName: string,
  id: string,
  call: Call,
  key: string | undefined,
  unit: string,
  attributes: Record<string, unknown>,
  at: number,
): Case {
  const expected =
    call === "assign"
      ? ev.assign(key!, unit, attributes, at)
      : call === "evaluate"
        ? ev.evaluate(key!, unit, attributes, at)
        : ev.evaluateAll(unit, attributes, at);
  // Through JSON, as every other runtime reads it.
  return {
    id,
    ruleset: rulesetName,
    call,
    ...(key === undefined ? {} : { key }),
    unit,
    attributes,
    at,
    expected: JSON.parse(JSON.stringify(expected)),
  };
}

export function generateCases() {
  const conditions = conditionCases();
  const ladder = ladderRuleset();
  const splitUrl = splitUrlRuleset();
  const shop = compileRuleset(shopWorkspace(), { createdAt: "2026-12-01T00:00:00.000Z" }).value;
  return {
    description: "exp conformance cases: every runtime must reproduce every value here (README.md beside this file).",
    generator: "test/conformance/generate.ts",
    hashVersion: 1,
    hashing: hashing(),
    semver: semver(),
    canonicalJson: canonical(),
    rulesets: { conditions: conditions.ruleset, ladder, shop, split_url: splitUrl },
    cases: [...conditions.cases, ...ladderCases(ladder), ...shopCases(shop), ...splitUrlCases(splitUrl)],
    redirects: redirects(),
  };
}

/** One array element or ruleset a line: diffs of a regenerated file show which cases moved. */
export function formatCases(cases: ReturnType<typeof generateCases>): string {
  const lines = ["{"];
  const entries = Object.entries(cases);
  entries.forEach(([key, value], i) => {
    const comma = i < entries.length - 1 ? "," : "";
    if (Array.isArray(value))
      lines.push(` ${JSON.stringify(key)}: [`, value.map((v) => `  ${JSON.stringify(v)}`).join(",\n"), ` ]${comma}`);
    else if (value && typeof value === "object") {
      const inner = Object.entries(value);
      lines.push(` ${JSON.stringify(key)}: {`);
      inner.forEach(([k, v], j) => {
        if (Array.isArray(v))
          lines.push(
            `  ${JSON.stringify(k)}: [`,
            v.map((x) => `   ${JSON.stringify(x)}`).join(",\n"),
            `  ]${j < inner.length - 1 ? "," : ""}`,
          );
        else lines.push(`  ${JSON.stringify(k)}: ${JSON.stringify(v)}${j < inner.length - 1 ? "," : ""}`);
      });
      lines.push(` }${comma}`);
    } else lines.push(` ${JSON.stringify(key)}: ${JSON.stringify(value)}${comma}`);
  });
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = formatCases(generateCases());
  writeFileSync(CASES_FILE, text);
  console.log(`wrote ${CASES_FILE} (${text.length} bytes)`);
}
