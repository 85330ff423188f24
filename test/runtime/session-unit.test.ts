import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { compileRuleset } from "../../src/compiler/ruleset/compile.js";
import { createEvaluator } from "../../src/runtime/evaluator.js";
import { bucket, pickIndex } from "../../src/ruleset/hash.js";
import { ExposureDedup } from "../../src/runtime/sdk/exposure-dedup.js";
import { ExposureLogger } from "../../src/runtime/sdk/exposure-logger.js";
import { exposureId } from "../../src/runtime/sdk/exposure-id.js";
import type { Exposure } from "../../src/runtime/sdk/wire.js";
import { experiment, workspace } from "./fixture.js";

const T0 = Date.parse("2026-12-10T00:00:00Z");
const build = (ws: ReturnType<typeof workspace>) => createEvaluator(compileRuleset(ws, { createdAt: "2026-12-01T00:00:00Z" }).value);
const variantOf = (key: string, id: string) => (pickIndex([5000, 5000], bucket(`variant:${key}:1`, id)) === 0 ? "control" : "treatment");

describe("session-unit experiments (docs/runtime.md#units)", () => {
  const ev = build(workspace({ experiments: [experiment("s", { unit: "session" }), experiment("u")] }));

  test("hash the session id, whatever the user id", () => {
    for (let i = 0; i < 50; i++) {
      const r = ev.assign("s", { userId: "same-user", sessionId: `sess-${i}` }, {}, T0);
      assert.equal(r.hashKey, `sess-${i}`);
      assert.equal(r.variant, variantOf("s", `sess-${i}`));
    }
  });

  test("a user-unit experiment ignores the session id", () => {
    const r = ev.assign("u", { userId: "user-7", sessionId: "sess-1" }, {}, T0);
    assert.equal(r.hashKey, "user-7");
    assert.equal(r.variant, variantOf("u", "user-7"));
  });

  test("without a session id the unit is not enrolled", () => {
    const r = ev.assign("s", "user-7", {}, T0);
    assert.deepEqual([r.inExperiment, r.variant, r.reasons], [false, null, ["running", "no_session_id"]]);
    // evaluateAll answers both experiments for one caller.
    const all = ev.evaluateAll({ userId: "user-7", sessionId: "sess-3" }, {}, T0);
    assert.equal(all.experiments["s"]!.hashKey, "sess-3");
    assert.equal(all.experiments["u"]!.hashKey, "user-7");
  });

  test("the SDK's exposure names the user and the session, with the session's exposure id", () => {
    const sent: Exposure[] = [];
    const logger = new ExposureLogger(ev, { exposure: (e) => sent.push(e) }, new ExposureDedup(100), () => T0);
    const unit = { userId: "user-7", sessionId: "sess-9" };
    const a = ev.assign("s", unit, {}, T0);
    logger.assigned(a, T0, unit);
    logger.assigned(ev.assign("s", { ...unit, sessionId: "sess-10" }, {}, T0), T0, { ...unit, sessionId: "sess-10" });
    assert.deepEqual(
      sent.map((e) => [e.userId, e.sessionId, e.exposureId]),
      [
        ["user-7", "sess-9", exposureId("s", 1, "sess-9")],
        ["user-7", "sess-10", exposureId("s", 1, "sess-10")],
      ],
    );
  });
});
