// The OpenFeature provider's exposure hook and tracking, through the real OpenFeature server SDK.
import { test } from "node:test";
import assert from "node:assert/strict";
import { OpenFeature } from "@openfeature/server-sdk";
import { ExpProvider } from "../../src/runtime/openfeature.js";
import { compileRuleset } from "../../src/compiler/ruleset/compile.js";
import { exposureId } from "../../src/runtime/sdk/exposure-id.js";
import type { Exposure, TrackedEvent } from "../../src/runtime/sdk/wire.js";
import { shopWorkspace } from "./fixture.js";

const ruleset = compileRuleset(shopWorkspace(), { createdAt: "2026-12-01T00:00:00Z" }).value;
const T0 = Date.parse("2026-12-10T00:00:00Z");

test("the after hook logs the exposure of a flag an experiment served, once; other evaluations and errors log nothing", async () => {
  const exposures: Exposure[] = [];
  const events: TrackedEvent[] = [];
  let closed = 0;
  const provider = new ExpProvider({
    ruleset,
    now: () => T0,
    exposureSink: { exposure: (e) => exposures.push(e), close: async () => void closed++ },
    tracker: { track: (e) => events.push(e) },
  });
  await OpenFeature.setProviderAndWait("exp-exposures", provider);
  const client = OpenFeature.getClient("exp-exposures");

  // new_search's rule "ab" follows search_ranker_v2 (on_assignment) for units its earlier rules pass over.
  let unit = "";
  for (let i = 0; ; i++) {
    const d = await client.getBooleanDetails("new_search", false, { targetingKey: (unit = `of_${i}`), country: "FR" });
    if (d.flagMetadata.expReason === "experiment") break;
    assert.ok(i < 500, "no unit served from the experiment");
  }
  await client.getBooleanDetails("new_search", false, { targetingKey: unit, country: "FR" });
  assert.equal(exposures.length, 1);
  // Resolution alone (no hooks run) logs nothing: the hook does.
  for (let i = 0; i < 50; i++) await provider.resolveBooleanEvaluation("new_search", false, { targetingKey: `quiet_${i}`, country: "FR" });
  assert.equal(exposures.length, 1);
  assert.deepEqual(
    [exposures[0]!.experimentKey, exposures[0]!.userId, exposures[0]!.exposureId],
    ["search_ranker_v2", unit, exposureId("search_ranker_v2", 2, unit)],
  );
  await client.getNumberDetails("max_results", 0, { targetingKey: "u1" });
  await client.getStringDetails("new_search", "x", { targetingKey: "u2" });
  assert.equal(exposures.length, 1);

  client.track("purchase", { targetingKey: unit }, { value: 42.5, currency: "EUR", at: new Date(T0) });
  assert.deepEqual(events, [
    {
      eventId: events[0]!.eventId,
      userId: unit,
      eventName: "purchase",
      value: 42.5,
      properties: { currency: "EUR", at: new Date(T0).toISOString() },
      ts: new Date(T0).toISOString(),
    },
  ]);
  assert.throws(() => provider.track("purchase", {}, {}), /needs a targetingKey/);
  await OpenFeature.clearProviders();
  assert.equal(closed, 1);
});
