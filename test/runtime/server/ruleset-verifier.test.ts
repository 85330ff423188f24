import { test } from "node:test";
import assert from "node:assert/strict";
import { RulesetVerifier } from "../../../src/runtime/server/ruleset-verifier.js";
import { smallRuleset } from "./fixture.js";

// The budget leaves room for a loaded machine; a verification that never ends ("stall", in the test's
// worker) stands for one over any budget, so the outcome does not depend on how fast the machine is.
test("the verifier thread answers each ruleset; one over the time budget is refused, the server's loop keeps turning, and the next gets a fresh worker", async () => {
  const verifier = new RulesetVerifier(2_000, new URL("./stalling-verify-worker.ts", import.meta.url));
  try {
    const good = smallRuleset(1);
    assert.deepEqual(await verifier.check(JSON.stringify(good)), { ok: true });
    const tampered = await verifier.check(JSON.stringify({ ...good, checksum: "0".repeat(64) }));
    assert.equal(tampered.ok, false);
    assert.match(!tampered.ok ? tampered.message : "", /altered after compilation/);
    const notJson = await verifier.check("{not json");
    assert.match(!notJson.ok && notJson.status === 400 ? notJson.message : "", /not valid JSON/);
    let turns = 0;
    const ticking = setInterval(() => turns++, 10);
    const [late, next] = await Promise.all([verifier.check("stall"), verifier.check(JSON.stringify(good))]);
    clearInterval(ticking);
    // The stalled verification ran off this thread: its timers kept firing meanwhile.
    assert.ok(turns > 0, "the event loop turned while a verification was stalled");
    assert.deepEqual(late, { ok: false, status: 400, message: "the ruleset took longer than 2000 ms to verify; simplify its conditions" });
    assert.deepEqual(next, { ok: true });
  } finally {
    await verifier.close();
  }
});
