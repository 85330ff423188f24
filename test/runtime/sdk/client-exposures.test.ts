import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { compileRuleset } from "../../../src/compiler/ruleset/compile.js";
import { createClient } from "../../../src/runtime/client.js";
import { ExposureDedup } from "../../../src/runtime/sdk/exposure-dedup.js";
import { exposureId } from "../../../src/runtime/sdk/exposure-id.js";
import type { Exposure, TrackedEvent } from "../../../src/runtime/sdk/wire.js";
import { experiment, flag, workspace } from "../fixture.js";

const T0 = Date.parse("2026-12-10T00:00:00Z");

/** A flag served entirely from one experiment's variants. */
function experimentFlag(key: string, from: string) {
  const variants = ["control", "treatment", "other"].map((v) => ({ key: v, value: v }));
  return flag(key, {
    type: "string",
    variants,
    default: "other",
    rules: [{ kind: "experiment", name: `from_${from}`, experiment: from, map: {} }],
  });
}

const ruleset = compileRuleset(
  workspace({
    experiments: [
      experiment("pricing", { phase: 3 }),
      experiment("banner", { exposure: "on_view" }),
      experiment("off", { status: "stopped" }),
    ],
    flags: [experimentFlag("pricing_flag", "pricing"), experimentFlag("banner_flag", "banner")],
  }),
  { createdAt: "2026-12-01T00:00:00Z", version: 4 },
).value;

async function client(o: { dedup?: number; clock?: { t: number } } = {}) {
  const exposures: Exposure[] = [];
  const events: TrackedEvent[] = [];
  const clock = o.clock ?? { t: T0 };
  const c = await createClient({
    ruleset,
    now: () => clock.t,
    exposureSink: { exposure: (e) => exposures.push(e) },
    tracker: { track: (e) => events.push(e) },
    exposureDedupSize: o.dedup,
  });
  return { c, exposures, events, clock };
}

describe("SDK exposure logging", () => {
  test("on_assignment: assign logs once per unit × experiment × phase, with the variant, phase, version and time", async () => {
    const { c, exposures } = await client();
    const a = c.assign("pricing", "user_1");
    c.assign("pricing", "user_1");
    a.exposed();
    assert.equal(exposures.length, 1);
    assert.deepEqual(exposures[0], {
      exposureId: exposureId("pricing", 3, "user_1"),
      experimentKey: "pricing",
      userId: "user_1",
      variant: a.variant,
      phase: 3,
      rulesetVersion: 4,
      ts: new Date(T0).toISOString(),
    });
    // Not enrolled, unknown or stopped: nothing.
    c.assign("off", "user_1");
    c.assign("nope", "user_1");
    assert.equal(exposures.length, 1);
  });

  test("a flag served from an on_assignment experiment logs that exposure; evaluating it again does not", async () => {
    const { c, exposures } = await client();
    const r = c.evaluate("pricing_flag", "user_2");
    assert.equal(r.reason, "experiment");
    c.evaluate("pricing_flag", "user_2");
    c.assign("pricing", "user_2");
    assert.equal(exposures.length, 1);
    assert.equal(exposures[0]!.variant, c.assign("pricing", "user_2").variant);
    assert.equal(exposures[0]!.experimentKey, "pricing");
  });

  test("on_view: nothing is logged until exposed(), which is idempotent and stamps the time the variant was seen", async () => {
    const { c, exposures, clock } = await client();
    const a = c.assign("banner", "user_3");
    c.evaluate("banner_flag", "user_3");
    assert.equal(exposures.length, 0);
    clock.t = T0 + 5000;
    a.exposed();
    a.exposed();
    c.assign("banner", "user_3").exposed();
    assert.equal(exposures.length, 1);
    assert.equal(exposures[0]!.ts, new Date(T0 + 5000).toISOString());
    assert.equal(exposures[0]!.variant, a.variant);
  });

  test("the dedup is bounded: past its size the least recently seen is forgotten and logged again, with the same id", async () => {
    const { c, exposures } = await client({ dedup: 2 });
    for (const u of ["a", "b", "a", "c", "a", "b"]) c.assign("pricing", u);
    assert.deepEqual(
      exposures.map((e) => e.userId),
      ["a", "b", "c", "b"],
    );
    assert.equal(exposures[1]!.exposureId, exposures[3]!.exposureId);
    const d = new ExposureDedup(2);
    assert.deepEqual(
      ["x", "y", "x", "z", "y"].map((u) => d.firstTime("e", 1, u)),
      [true, true, false, true, true],
    );
    assert.equal(d.size, 2);
    assert.throws(() => new ExposureDedup(0), /positive integer/);
  });

  test("track: an id per event, the client's clock by default, and a clear error without a tracker or with a bad event", async () => {
    const { c, events } = await client();
    const id = c.track({ userId: "u", eventName: "purchase", value: 12.5, properties: { currency: "EUR" } });
    const other = c.track({ userId: "u", eventName: "purchase", ts: "2026-12-11T00:00:00Z" });
    assert.notEqual(id, other);
    assert.deepEqual(events[0], {
      eventId: id,
      userId: "u",
      eventName: "purchase",
      ts: new Date(T0).toISOString(),
      value: 12.5,
      properties: { currency: "EUR" },
    });
    assert.equal(events[1]!.ts, "2026-12-11T00:00:00.000Z");
    assert.throws(() => c.track({ userId: "", eventName: "x" }), /"userId"/);
    assert.throws(() => c.track({ userId: "u", eventName: "x", value: NaN }), /finite number/);
    const bare = await createClient({ ruleset });
    assert.throws(() => bare.track({ userId: "u", eventName: "x" }), /needs a tracker/);
    // Without a sink, assign still answers exposed() as a no-op.
    bare.assign("banner", "user_3").exposed();
    await bare.close();
  });

  test("close flushes and closes a sink given as both exposure sink and tracker once", async () => {
    const calls: string[] = [];
    const sink = {
      exposure: () => calls.push("exposure"),
      track: () => calls.push("track"),
      flush: async () => void calls.push("flush"),
      close: async () => void calls.push("close"),
    };
    const c = await createClient({ ruleset, exposureSink: sink, tracker: sink });
    await c.close();
    assert.deepEqual(calls, ["flush", "close"]);
  });
});
