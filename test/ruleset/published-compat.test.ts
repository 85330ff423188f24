import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { DirectoryTarget } from "../../src/plan/target/directory.js";
import { verifyAuditChain } from "../../src/plan/audit-verify.js";
import { verifier } from "../../src/plan/prepare.js";
import { canonicalJson } from "../../src/ruleset/canonical-json.js";
import { rulesetChecksum, rulesetContentChecksum } from "../../src/ruleset/checksum.js";
import { verifyRuleset } from "../../src/ruleset/verify.js";

/**
 * test/fixtures/ruleset-contract/published is a publish folder written by the code before canonical
 * JSON and the checksum moved to one place (two versions of the example workspace, their `current`
 * pointer and audit log; see the folder's README). Rulesets and audit logs on users' disks look like
 * it, so it must keep verifying, and every hash of it must stay what it was.
 */
const FIXTURE = new URL("../fixtures/ruleset-contract/", import.meta.url);
const dir = new URL("published/", FIXTURE).pathname;
const pinned = JSON.parse(readFileSync(new URL("checksums.json", FIXTURE), "utf8")) as {
  rulesets: Record<string, { checksum: string; contentChecksum: string }>;
};

describe("rulesets and audit logs written before the ruleset contract moved", () => {
  test("both stored versions verify and hash to their pinned checksum and content checksum", () => {
    for (const [version, want] of Object.entries(pinned.rulesets)) {
      const ruleset = JSON.parse(readFileSync(`${dir}ruleset.v${version}.json`, "utf8"));
      const verdict = verifyRuleset(ruleset);
      assert.deepEqual(verdict.diagnostics, [], `v${version}`);
      assert.ok(verdict.value);
      assert.equal(ruleset.checksum, want.checksum);
      assert.equal(rulesetChecksum(ruleset), want.checksum);
      assert.equal(rulesetContentChecksum(ruleset), want.contentChecksum);
    }
  });

  test("the publish folder reads back through the directory target with the real verifier", async () => {
    const target = new DirectoryTarget(dir, { verify: verifier });
    const current = await target.current();
    assert.equal(current?.version, 2);
    assert.equal(current?.checksum, pinned.rulesets["2"]!.checksum);
    assert.equal((await target.get(1))?.checksum, pinned.rulesets["1"]!.checksum);
    assert.deepEqual(await target.versions(), [1, 2]);
  });

  test("its audit log still verifies, hash chain and all", async () => {
    const verdict = verifyAuditChain(await new DirectoryTarget(dir).auditText());
    assert.equal(verdict.ok, true, verdict.ok ? "" : verdict.message);
    assert.equal((await new DirectoryTarget(dir).audit()).length, 2);
  });

  test("canonical JSON gives the same text as the three implementations it replaced", () => {
    const cases: [unknown, string][] = [
      [null, "null"],
      [true, "true"],
      [-0, "0"],
      [1.5e300, "1.5e+300"],
      [NaN, "null"],
      ['é\u0000\ud800"\\', '"é\\u0000\\ud800\\"\\\\"'],
      [[1, undefined, null, [undefined]], "[1,null,null,[null]]"],
      [
        { b: 1, a: { d: undefined, c: [], é: 1, Z: 2, a: 3, "10": 4, "9": 5, "": 6 } },
        '{"a":{"":6,"10":4,"9":5,"Z":2,"a":3,"c":[],"é":1},"b":1}',
      ],
      [{ "\ud83d\ude00": 1, "\uffff": 2, ab: 3, a: 4, B: 5 }, '{"B":5,"a":4,"ab":3,"\ud83d\ude00":1,"\uffff":2}'],
    ];
    for (const [input, text] of cases) assert.equal(canonicalJson(input), text);
  });
});
