// The SDK's data path end to end: an app that uses only the package's public SDK (createClient,
// createHttpSink, assign, track) against a real `exp serve` on loopback. The server is SIGKILLed
// halfway through and restarted on the same port and data dir; the sink's retries deliver
// everything, and each exposure and event is stored once. Then `exp compact` and `exp analyze`
// read the server's Parquet and find the effect planted in the conversions.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { createClient, createHttpSink } from "../../../../src/index.js";
import { DEFAULT_LAYOUT, parquetDir } from "../../../../src/runtime/server/compaction.js";
import { idColumn } from "../../../../src/runtime/server/parquet-layout.js";
import { exampleRepo, exp } from "../../../helpers/workspace.js";
import { mulberry32 } from "../../../helpers/prng.js";
import { waitUntil } from "../../../helpers/wait.js";
import { keysFile, startServe, stopServe, type Served } from "../../../runtime/server/serve-process.js";

const SEED = 20261206;
const UNITS = 2400;
const KEY = "sdk-app-key";
/** Conversion rates per variant: the effect the analysis must find. */
const CONVERSION: Record<string, number> = { control: 0.3, one_page: 0.45 };

/** Every id in the Parquet of one kind, duplicates included. */
async function storedIds(dataDir: string, kind: "events" | "exposures"): Promise<string[]> {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  try {
    const col = idColumn(DEFAULT_LAYOUT, kind);
    const r = await c.runAndReadAll(`SELECT "${col}" FROM read_parquet('${join(parquetDir(dataDir, DEFAULT_LAYOUT, kind), "*.parquet")}')`);
    return (r.getColumnsJS()[0] ?? []).map(String);
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

describe("the SDK against exp serve, through a crash, into exp analyze", () => {
  let dir: string;
  let server: Served | undefined;
  before(() => {
    dir = exampleRepo("exp-sdk-e2e-");
    const yaml = readFileSync(join(dir, "exp.yaml"), "utf8");
    writeFileSync(
      join(dir, "exp.yaml"),
      yaml.replace("    prod: {", '    collected: {type: duckdb, files: [".exp/server/parquet/*/*.parquet"]}\n    prod: {'),
    );
    const applied = exp(dir, ["apply", "--auto-approve"]);
    assert.equal(applied.status, 0, applied.stderr);
  });
  // The SDK's timers are unref'd so that an app can exit; while the server is down nothing else
  // may hold the test's event loop open, so the test holds it itself until it is done.
  const keepAlive = setInterval(() => {}, 1_000);
  after(async () => {
    clearInterval(keepAlive);
    if (server) await stopServe(server.child);
    rmSync(dir, { recursive: true, force: true });
  });

  test("every exposure and event is acknowledged and stored exactly once, and the planted effect is found", async () => {
    // One clock for the app and the server: the server starts at EXP_NOW and lets it run, so a
    // restart starts it where the app's clock is.
    const base = Date.parse("2026-11-10T00:00:00Z");
    const startedAt = Date.now();
    const now = () => base + (Date.now() - startedAt);
    const keys = keysFile(dir, { app: { key: KEY, scopes: ["evaluate", "ingest"] } });
    const serve = (port: string) => startServe(dir, ["--keys", keys, "--port", port], { EXP_NOW: new Date(now()).toISOString() });
    server = await serve("0");
    const port = new URL(server.url).port;
    const url = server.url;

    const problems: string[] = [];
    const sink = createHttpSink({
      url,
      headers: { authorization: `Bearer ${KEY}` },
      batchSize: 100,
      flushIntervalMs: 20,
      baseDelayMs: 20,
      maxDelayMs: 400,
      maxAttempts: 1_000,
      onDrop: (kind, n) => problems.push(`dropped ${n} ${kind}`),
      onError: (kind, m) => problems.push(`${kind}: ${m}`),
    });
    const client = await createClient({
      url,
      headers: { authorization: `Bearer ${KEY}` },
      pollIntervalMs: 0,
      now,
      exposureSink: sink,
      tracker: sink,
    });

    const rand = mulberry32(SEED);
    const enrolled: Record<string, number> = {};
    const eventIds: string[] = [];
    let killedAt = -1;
    for (let i = 0; i < UNITS; i++) {
      const userId = `user_${i}`;
      const a = client.assign("checkout_redesign", userId, { country: i % 3 ? "US" : "CA", platform: "web" });
      eventIds.push(client.track({ userId, eventName: "page_view" }));
      if (a.inExperiment) {
        enrolled[a.variant!] = (enrolled[a.variant!] ?? 0) + 1;
        if (rand() < CONVERSION[a.variant!]!)
          eventIds.push(
            client.track({ userId, eventName: "purchase", ts: now() + 3_600_000, properties: { revenue: 20 + Math.floor(rand() * 80) } }),
          );
      }
      // Let the sink talk to the server while the app runs.
      if (i % 100 === 99) await new Promise((r) => setImmediate(r));
      if (i === UNITS / 2) {
        // Mid-run, once the server has acknowledged some events (how many the sink delivered by now
        // depends on the machine's speed, so wait for the condition, not a count of yields), with
        // batches in flight: the server dies without a word.
        assert.ok(await waitUntil(() => sink.stats().events.acknowledged > 0, 120_000), "the server acknowledged no event before the kill");
        server.child.removeAllListeners("exit");
        const exited = new Promise((r) => server!.child.once("exit", r));
        server.child.kill("SIGKILL");
        await exited;
        killedAt = sink.stats().events.acknowledged;
      }
    }
    assert.ok(killedAt > 0 && killedAt < eventIds.length, `the kill came mid-run (${killedAt} of ${eventIds.length} events acknowledged)`);
    // Nothing can be delivered while the server is down: the sink keeps the records and retries.
    assert.ok(await waitUntil(() => sink.stats().events.retries > 0, 20_000), "the sink never retried");
    server = await serve(port);
    await client.close();

    const exposures = Object.values(enrolled).reduce((a, b) => a + b, 0);
    const stats = sink.stats();
    assert.deepEqual(problems, []);
    assert.deepEqual(
      [stats.exposures.acknowledged, stats.exposures.queued, stats.exposures.givenUp, stats.exposures.dropped, stats.exposures.rejected],
      [exposures, 0, 0, 0, 0],
    );
    assert.deepEqual(
      [stats.events.acknowledged, stats.events.queued, stats.events.givenUp, stats.events.dropped, stats.events.rejected],
      [eventIds.length, 0, 0, 0, 0],
    );

    await stopServe(server.child);
    server = undefined;
    const compacted = exp(dir, ["compact", "--include-current", "--format", "json"]);
    assert.equal(compacted.status, 0, compacted.stderr);

    const dataDir = join(dir, ".exp", "server");
    const storedEvents = await storedIds(dataDir, "events");
    assert.equal(storedEvents.length, eventIds.length, "an event was lost or stored twice");
    assert.deepEqual([...storedEvents].sort(), [...eventIds].sort());
    const storedExposures = await storedIds(dataDir, "exposures");
    assert.equal(storedExposures.length, exposures, "an exposure was lost or stored twice");
    assert.equal(new Set(storedExposures).size, exposures);

    const r = exp(dir, ["analyze", "checkout_redesign", "--connection", "collected", "--format", "json"], {
      EXP_NOW: new Date(base + 2 * 86_400_000).toISOString(),
    });
    assert.equal(r.status, 0, r.stderr);
    const analysis = JSON.parse(r.stdout);
    assert.deepEqual(analysis.units, enrolled);
    assert.equal(analysis.multiple_exposures, 0);
    const conversion = analysis.metrics.find((m: { metric: string }) => m.metric === "purchase_conversion");
    for (const [v, rate] of Object.entries(CONVERSION))
      assert.ok(Math.abs(conversion.variants[v].mean - rate) < 0.06, `${v}: ${JSON.stringify(conversion.variants[v])}`);
    const lift = conversion.comparisons.find((c: { variant: string }) => c.variant === "one_page");
    assert.ok(lift.significant === true && lift.diff > 0.08 && lift.diff < 0.22, JSON.stringify(lift));
  });
});
