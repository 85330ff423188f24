// The server's side of exposure logging: SDK exposures checked against the served ruleset and
// deduplicated by their id, server-logged exposures at POST /v1/assignments (and `trigger: false`),
// and the SDK's HTTP sink delivering to a real server in this process.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { startServer, type RunningServer } from "../../../src/runtime/server/server.js";
import { createClient } from "../../../src/runtime/client.js";
import { createHttpSink } from "../../../src/runtime/sdk/http-sink.js";
import { exposureId } from "../../../src/runtime/sdk/exposure-id.js";
import { rulesetChecksum } from "../../../src/ruleset/checksum.js";
import type { Ruleset } from "../../../src/ruleset/types.js";
import { smallRuleset, storedExposures, storeOptions } from "../server/fixture.js";

const T0 = Date.parse("2026-12-10T00:00:00Z");

function ruleset(): Ruleset {
  const r = smallRuleset(1);
  r.experiments.banner = { ...r.experiments.checkout_redesign!, targeting: undefined, exposure: "on_view", phase: 2 };
  delete r.experiments.banner.targeting;
  r.checksum = rulesetChecksum(r);
  return r;
}

describe("exposures logged by an SDK and by the server", () => {
  let srv: RunningServer;
  let dir: string;
  const clock = { t: T0 };
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${srv.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "exp-sdk-exposures-"));
    srv = await startServer(
      {
        ...storeOptions(join(dir, "published")),
        dataDir: join(dir, "data"),
        keys: [],
        noAuth: true,
        tokenSecret: randomBytes(32),
        clock: () => clock.t,
      },
      0,
    );
    const put = await fetch(`${srv.url}/v1/ruleset`, { method: "PUT", headers: { "if-none-match": "*" }, body: JSON.stringify(ruleset()) });
    assert.equal(put.status, 200, await put.text());
  });
  after(async () => {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("POST /v1/assignments logs on_assignment exposures with the SDK's id, not on_view ones, and not with trigger: false", async () => {
    const a = await post("/v1/assignments", { experimentKey: "checkout_redesign", userId: "srv_1", context: { country: "US" } });
    assert.equal(a.json.exposureLogged, true);
    assert.match(String(a.json.exposureId), /^[0-9a-f]{32}$/, "the answer names the exposure it logged");
    assert.equal(
      (await post("/v1/assignments", { experimentKey: "checkout_redesign", userId: "srv_1", context: { country: "US" } })).json
        .exposureLogged,
      true,
    );
    const quiet = await post("/v1/assignments", {
      experimentKey: "checkout_redesign",
      userId: "srv_2",
      context: { country: "US" },
      trigger: false,
    });
    assert.equal(quiet.json.exposureLogged, false);
    const view = await post("/v1/assignments", { experimentKey: "banner", userId: "srv_3" });
    assert.deepEqual([view.json.inExperiment, view.json.exposureLogged], [true, false]);
    const outside = await post("/v1/assignments", { experimentKey: "checkout_redesign", userId: "srv_4", context: { country: "FR" } });
    assert.equal(outside.json.exposureLogged, false);
    assert.equal((await post("/v1/assignments", { experimentKey: "checkout_redesign", userId: "srv_5", trigger: "no" })).status, 400);
    const stored = storedExposures(join(dir, "data")).filter((e) => e.unit_id.startsWith("srv_"));
    assert.deepEqual(
      stored.map((e) => [e.id, e.unit_id, e.variant]),
      [[exposureId("checkout_redesign", 1, "srv_1"), "srv_1", a.json.variant]],
    );
  });

  test("SDK exposures: checked against the ruleset, rejected one by one, deduplicated by exposureId; bad shapes get 400", async () => {
    const good = (unit: string, variant: string | undefined, over: Record<string, unknown> = {}) => ({
      exposureId: exposureId("banner", 2, unit),
      experimentKey: "banner",
      userId: unit,
      variant,
      phase: 2,
      rulesetVersion: 1,
      ts: new Date(T0 - 1000).toISOString(),
      ...over,
    });
    const variantOf = async (u: string) =>
      String((await post("/v1/assignments", { experimentKey: "banner", userId: u, trigger: false })).json.variant);
    const v1 = await variantOf("sdk_1");
    const wrong = v1 === "control" ? "one_page" : "control";
    const r = await post("/v1/exposures", {
      exposures: [
        good("sdk_1", v1),
        good("sdk_2", await variantOf("sdk_2")),
        good("sdk_1", wrong, { exposureId: "other" }),
        good("sdk_3", "control", { phase: 1 }),
        good("sdk_4", "control", { experimentKey: "nope" }),
        good("sdk_5", await variantOf("sdk_5"), { ts: new Date(T0 + 3_600_000).toISOString() }),
      ],
    });
    assert.equal(r.status, 202, JSON.stringify(r.json));
    assert.deepEqual([r.json.accepted, r.json.duplicates], [2, 0]);
    const rejected = r.json.rejected as { index: number; error: string }[];
    assert.deepEqual(
      rejected.map((x) => x.index),
      [2, 3, 4, 5],
    );
    assert.match(rejected[0]!.error, /gives the unit variant ".*", not ".*"/);
    assert.match(rejected[1]!.error, /is in phase 2, not 1/);
    assert.match(rejected[2]!.error, /no experiment "nope"/);
    assert.match(rejected[3]!.error, /later than the server's clock/);
    // The same exposure again, in any batch, is a duplicate; a single exposure object works too.
    const again = await post("/v1/exposures", good("sdk_1", v1));
    assert.deepEqual([again.status, again.json.accepted, again.json.duplicates], [202, 0, 1]);
    for (const body of [
      { exposures: [] },
      { exposures: [good("x", "control", { phase: -1 })] },
      { exposures: [good("x", "control", { ts: "yesterday" })] },
      { exposures: 3 },
    ])
      assert.equal((await post("/v1/exposures", body)).status, 400, JSON.stringify(body));
    const stored = storedExposures(join(dir, "data")).filter((e) => e.unit_id.startsWith("sdk_"));
    assert.deepEqual(stored.map((e) => e.unit_id).sort(), ["sdk_1", "sdk_2"]);
    assert.equal(stored.find((e) => e.unit_id === "sdk_1")!.ts, new Date(T0 - 1000).toISOString());
  });

  test("a client with the HTTP sink: its exposures and events reach the server once, and close() flushes them", async () => {
    const sink = createHttpSink({ url: srv.url, flushIntervalMs: 50 });
    const c = await createClient({ url: srv.url, pollIntervalMs: 0, now: () => clock.t, exposureSink: sink, tracker: sink });
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const a = c.assign("checkout_redesign", `app_${i}`, { country: "US" });
      c.assign("checkout_redesign", `app_${i}`, { country: "US" });
      ids.push(c.track({ userId: `app_${i}`, eventName: "purchase", value: i }));
      c.assign("banner", `app_${i}`).exposed();
      assert.equal(a.inExperiment, true);
    }
    await c.close();
    const s = sink.stats();
    assert.deepEqual([s.exposures.acknowledged, s.exposures.rejected, s.events.acknowledged, s.events.queued], [80, 0, 40, 0]);
    const stored = storedExposures(join(dir, "data")).filter((e) => e.unit_id.startsWith("app_"));
    assert.equal(stored.length, 80);
    const events = readdirSync(join(dir, "data", "events")).flatMap((f) =>
      readFileSync(join(dir, "data", "events", f), "utf8")
        .split("\n")
        .filter(Boolean),
    );
    assert.deepEqual(events.map((l) => (JSON.parse(l) as { id: string }).id).filter((id) => ids.includes(id)).length, 40);
  });
});
