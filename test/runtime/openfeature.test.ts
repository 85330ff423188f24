import { test } from "node:test";
import assert from "node:assert/strict";
import { OpenFeature } from "@openfeature/server-sdk";
import { ExpProvider } from "../../src/runtime/openfeature.js";
import { createClient } from "../../src/runtime/client.js";
import { compileRuleset } from "../../src/compiler/ruleset/compile.js";
import { bucket } from "../../src/ruleset/hash.js";
import { flag, shopWorkspace } from "./fixture.js";

const ws = shopWorkspace();
ws.flags.set("static_on", flag("static_on", { default: "on" }));
const ruleset = compileRuleset(ws, { createdAt: "2026-12-01T00:00:00Z" }).value;
const T0 = Date.parse("2026-12-10T00:00:00Z");

test("resolution through the OpenFeature API: values, variants, reasons and error codes", async () => {
  await OpenFeature.setProviderAndWait("exp-test", new ExpProvider({ ruleset, now: () => T0 }));
  const client = OpenFeature.getClient("exp-test");

  const staticOn = await client.getBooleanDetails("static_on", false, { targetingKey: "u1" });
  assert.deepEqual([staticOn.value, staticOn.variant, staticOn.reason], [true, "on", "STATIC"]);

  const killed = await client.getBooleanDetails("legacy_mode", false, { targetingKey: "u1" });
  assert.deepEqual([killed.value, killed.reason], [true, "DISABLED"]);

  const many = await client.getNumberDetails("max_results", 0, { targetingKey: "u1", account_age_days: 400, email: "x@y" });
  assert.deepEqual([many.value, many.variant, many.reason, many.flagMetadata.rule], [50, "many", "TARGETING_MATCH", "long_time_users"]);

  const few = await client.getNumberDetails("max_results", 0, { targetingKey: "u1" });
  assert.deepEqual([few.value, few.reason], [10, "DEFAULT"]);

  const sale = await client.getObjectDetails("banner", {}, { targetingKey: "u1", email: "a@corp.example" });
  assert.deepEqual(sale.value, { show: true, text: "Sale", discount: 0.2 });

  let unit = "";
  for (let i = 0; ; i++) if (bucket("holdout:global_2026", (unit = `s${i}`)) >= 200 && bucket("rollout:banner:half", unit) < 5000) break;
  const split = await client.getObjectDetails("banner", {}, { targetingKey: unit });
  assert.deepEqual([split.variant, split.reason], ["sale", "SPLIT"]);

  const layout = await client.getStringDetails("checkout_layout", "x", { targetingKey: "u1", platform: "ios", app_version: "2.1.0" });
  assert.equal(typeof layout.value, "string");

  const missing = await client.getBooleanDetails("no_such_flag", true, { targetingKey: "u1" });
  assert.deepEqual([missing.value, missing.errorCode, missing.reason], [true, "FLAG_NOT_FOUND", "ERROR"]);

  const mismatch = await client.getStringDetails("max_results", "d", { targetingKey: "u1" });
  assert.deepEqual([mismatch.value, mismatch.errorCode], ["d", "TYPE_MISMATCH"]);

  const noKey = await client.getBooleanDetails("new_search", false, {});
  assert.equal(noKey.errorCode, "TARGETING_KEY_MISSING");
  await OpenFeature.clearProviders();
});

test("values match the SDK for the same unit", async () => {
  const sdk = await createClient({ ruleset, now: () => T0 });
  await OpenFeature.setProviderAndWait("exp-same", new ExpProvider(sdk));
  const client = OpenFeature.getClient("exp-same");
  for (let i = 0; i < 200; i++) {
    const attrs = { country: i % 3 ? "US" : "DE", account_age_days: i * 5 };
    const d = await client.getBooleanDetails("new_search", false, { targetingKey: `u${i}`, ...attrs });
    assert.equal(d.value, sdk.evaluate("new_search", `u${i}`, attrs).value);
  }
  await OpenFeature.clearProviders();
});

test("a provider whose ruleset cannot load is not ready: callers get defaults with an error", async () => {
  const bad = { ...ruleset, checksum: "f".repeat(64) };
  await assert.rejects(OpenFeature.setProviderAndWait("exp-bad", new ExpProvider({ ruleset: bad })));
  const d = await OpenFeature.getClient("exp-bad").getBooleanDetails("new_search", true, { targetingKey: "u" });
  assert.equal(d.value, true);
  assert.equal(d.reason, "ERROR");
  assert.ok(d.errorCode === "PROVIDER_FATAL" || d.errorCode === "PROVIDER_NOT_READY" || d.errorCode === "GENERAL", String(d.errorCode));
  await OpenFeature.clearProviders();
});

test("the provider reports PROVIDER_NOT_READY before initialisation", async () => {
  const p = new ExpProvider({ ruleset });
  const d = await p.resolveBooleanEvaluation("new_search", false, { targetingKey: "u" });
  assert.deepEqual([d.value, d.errorCode], [false, "PROVIDER_NOT_READY"]);
});
