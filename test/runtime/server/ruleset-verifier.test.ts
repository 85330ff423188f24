import { test } from "node:test";
import assert from "node:assert/strict";
import { rulesetChecksum } from "../../../src/ruleset/checksum.js";
import type { Condition } from "../../../src/ruleset/types.js";
import { RulesetVerifier } from "../../../src/runtime/server/ruleset-verifier.js";
import { smallRuleset } from "./fixture.js";

// The budget leaves room for a loaded machine; the slow ruleset takes tens of seconds to verify.
test("the verifier thread answers each ruleset; one over the time budget is refused and the next gets a fresh worker", async () => {
  const verifier = new RulesetVerifier(2_000);
  try {
    const good = smallRuleset(1);
    assert.deepEqual(await verifier.check(JSON.stringify(good)), { ok: true });
    const tampered = await verifier.check(JSON.stringify({ ...good, checksum: "0".repeat(64) }));
    assert.equal(tampered.ok, false);
    assert.match(!tampered.ok ? tampered.message : "", /altered after compilation/);
    const notJson = await verifier.check("{not json");
    assert.match(!notJson.ok && notJson.status === 400 ? notJson.message : "", /not valid JSON/);
    const slow = smallRuleset(2);
    let c: Condition = slow.experiments.checkout_redesign!.targeting!;
    for (let i = 0; i < 26; i++) c = i % 2 ? { op: "not", arg: c } : { op: "or", args: [c, c] };
    slow.experiments.checkout_redesign!.targeting = c;
    slow.checksum = rulesetChecksum(slow);
    const [late, next] = await Promise.all([verifier.check(JSON.stringify(slow)), verifier.check(JSON.stringify(good))]);
    assert.deepEqual(late, { ok: false, status: 400, message: "the ruleset took longer than 2000 ms to verify; simplify its conditions" });
    assert.deepEqual(next, { ok: true });
  } finally {
    await verifier.close();
  }
});
