import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { canonicalJson } from "../../src/ruleset/canonical-json.js";
import { bucket, murmur3, pickIndex, weightsToBasisPoints } from "../../src/ruleset/hash.js";
import { compareSemver, parseSemver } from "../../src/ruleset/semver.js";
import { verifyRuleset } from "../../src/ruleset/verify.js";
import { createEvaluator } from "../../src/runtime/evaluator.js";
import { redirectUrl } from "../../src/runtime/redirect.js";
import { CASES_FILE, formatCases, generateCases, type Case } from "./generate.js";

const committed = readFileSync(CASES_FILE, "utf8");
const cases = JSON.parse(committed);

test("the committed conformance cases are exactly what the generator produces now", () => {
  // On a deliberate change of the runtime: npm run conformance:generate, then review the diff.
  const now = formatCases(generateCases());
  if (now !== committed) {
    const a = committed.split("\n");
    const b = now.split("\n");
    const first = a.findIndex((line, i) => line !== b[i]);
    assert.fail(
      `test/fixtures/conformance/cases.json is stale from line ${first + 1}:\n  committed: ${a[first]?.slice(0, 300)}\n  now:       ${b[first]?.slice(0, 300)}\nRegenerate it with "npm run conformance:generate" and review the diff.`,
    );
  }
});

test("the cases cover every call and the tricky ground the README lists", () => {
  const ids: string[] = cases.cases.map((c: Case) => c.id);
  for (const prefix of [
    "condition/matches_",
    "condition/len_string",
    "condition/lower_unicode",
    "condition/date_",
    "condition/semver_",
    "ladder/assign/scheduled",
    "ladder/assign/lay_a",
    "ladder/evaluate/rollout",
    "ladder/evaluate/cycle_a",
    "ladder/evaluate/killed",
    "ladder/evaluateAll",
    "shop/",
    "split_url/assign/landing",
    "split_url/evaluateAll",
  ])
    assert.ok(
      ids.some((id) => id.startsWith(prefix)),
      prefix,
    );
  assert.ok(cases.cases.length > 2000);
  assert.ok(
    cases.cases.some((c: Case) => typeof (c.expected as { url?: unknown }).url === "string"),
    "an assignment with a url",
  );
  assert.ok(cases.redirects.some((r: { expected: unknown }) => r.expected === null));
  assert.ok(cases.redirects.some((r: { expected: unknown }) => typeof r.expected === "string"));
  assert.ok(
    cases.cases.some((c: Case) => /[^\x00-\x7f]/.test(c.unit)),
    "non-ASCII unit ids",
  );
});

test("the TypeScript runtime reproduces the hashing, semver and canonical JSON vectors", () => {
  for (const v of cases.hashing.murmur3) assert.equal(murmur3(v.input), v.hash);
  for (const v of cases.hashing.buckets) assert.equal(bucket(v.seed, v.unit), v.bucket);
  for (const v of cases.hashing.weightsToBasisPoints) assert.deepEqual(weightsToBasisPoints(v.weights), v.basisPoints);
  for (const v of cases.hashing.picks) assert.equal(pickIndex(v.basisPoints, v.bucket), v.index);
  for (const v of cases.semver) {
    const a = parseSemver(v.a);
    const b = parseSemver(v.b);
    assert.equal(a && b ? compareSemver(a, b) : null, v.order, `${v.a} vs ${v.b}`);
  }
  for (const v of cases.canonicalJson) {
    assert.equal(canonicalJson(v.value), v.canonical);
    assert.equal(createHash("sha256").update(v.canonical, "utf8").digest("hex"), v.sha256);
  }
});

test("the TypeScript redirect helper reproduces every redirect case", () => {
  for (const r of cases.redirects) assert.equal(redirectUrl(r, r.currentUrl), r.expected, r.name);
});

test("the TypeScript runtime verifies every case ruleset and reproduces every case", () => {
  const evaluators = Object.fromEntries(
    Object.entries(cases.rulesets).map(([name, r]) => {
      const v = verifyRuleset(r);
      assert.ok(v.value, `${name}: ${v.diagnostics.map((d) => d.message).join("; ")}`);
      return [name, createEvaluator(v.value)];
    }),
  );
  for (const c of cases.cases as Case[]) {
    const ev = evaluators[c.ruleset]!;
    const got =
      c.call === "assign"
        ? ev.assign(c.key!, c.unit, c.attributes, c.at)
        : c.call === "evaluate"
          ? ev.evaluate(c.key!, c.unit, c.attributes, c.at)
          : ev.evaluateAll(c.unit, c.attributes, c.at);
    assert.deepEqual(JSON.parse(JSON.stringify(got)), c.expected, c.id);
  }
});
