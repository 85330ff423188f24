// The data path end to end: a real `exp serve` (built CLI) on loopback ingests assignments,
// exposures and events over HTTP, compacts them into Parquet, and `exp analyze` reads that Parquet
// through a DuckDB `files:` connection. Expected counts and sums are computed here from what was posted.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exampleRepo, exp } from "../../helpers/workspace.js";
import { startServe, stopServe, type Served } from "./serve-process.js";
import { mulberry32 } from "../../helpers/prng.js";
import { waitUntil } from "../../helpers/wait.js";

const SEED = 20261121;

async function post(url: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  assert.ok(res.status === 200 || res.status === 202, `${path} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** True once every record is out of NDJSON: only empty (current) segments are left. */
function allCompacted(dataDir: string): boolean {
  return ["events", "exposures"].every((k) => readdirSync(join(dataDir, k)).every((f) => statSync(join(dataDir, k, f)).size === 0));
}

describe("exp serve → Parquet compaction → exp analyze", () => {
  let dir: string;
  let server: Served | undefined;
  before(() => {
    dir = exampleRepo("exp-serve-e2e-");
    const yaml = readFileSync(join(dir, "exp.yaml"), "utf8");
    writeFileSync(
      join(dir, "exp.yaml"),
      yaml.replace("    prod: {", '    collected: {type: duckdb, files: [".exp/server/parquet/*/*.parquet"]}\n    prod: {'),
    );
    const applied = exp(dir, ["apply", "--auto-approve"]);
    assert.equal(applied.status, 0, applied.stderr);
  });
  after(async () => {
    if (server) await stopServe(server.child);
    rmSync(dir, { recursive: true, force: true });
  });

  test("posted exposures and events come back from exp analyze with the same units and sums", async () => {
    // The server's clock starts at `base`: an exposure is stamped when it is posted (a client may not
    // date it before its token was issued), and the events follow it in the hours after.
    const base = Date.parse("2026-11-10T00:00:00Z");
    server = await startServe(dir, ["--no-auth", "--compact-every", "0.3"], { EXP_NOW: new Date(base).toISOString() });
    const { url } = server;
    const rand = mulberry32(SEED);
    const units: Record<string, number> = {};
    const revenue: Record<string, number> = {};
    const buyers: Record<string, number> = {};
    const events: Record<string, unknown>[] = [];
    for (let i = 0; i < 300; i++) {
      const userId = `user_${i}`;
      const a = await post(url, "/v1/assignments", {
        experimentKey: "checkout_redesign",
        userId,
        context: { country: i % 2 ? "US" : "CA", platform: "web" },
      });
      const exposedAt = base + i * 60_000;
      if (a.inExperiment) {
        const v = String(a.variant);
        const first = await post(url, "/v1/exposures", { exposureToken: a.exposureToken });
        assert.equal(first.accepted, 1);
        // The same exposure sent again is ignored.
        assert.equal((await post(url, "/v1/exposures", { exposureToken: a.exposureToken })).duplicate, true);
        units[v] = (units[v] ?? 0) + 1;
        revenue[v] ??= 0;
        buyers[v] ??= 0;
        const purchases = rand() < 0.35 ? 1 + Math.floor(rand() * 3) : 0;
        if (purchases) buyers[v]!++;
        for (let p = 0; p < purchases; p++) {
          const amount = Math.round(rand() * 10000) / 100;
          revenue[v]! += amount;
          events.push({
            eventId: `${userId}-p${p}`,
            userId,
            eventName: "purchase",
            ts: new Date(exposedAt + (p + 1) * 3_600_000).toISOString(),
            properties: { revenue: amount, currency: "USD" },
          });
        }
      }
      // Every unit also browses; units never exposed add events the analysis must ignore.
      events.push({ eventId: `${userId}-view`, userId, eventName: "page_view", ts: new Date(exposedAt + 1000).toISOString() });
      if (!a.inExperiment && rand() < 0.5)
        events.push({
          eventId: `${userId}-stray`,
          userId,
          eventName: "purchase",
          ts: new Date(exposedAt + 5000).toISOString(),
          properties: { revenue: 999 },
        });
    }
    assert.ok(Object.keys(units).length === 2 && Object.values(units).every((n) => n > 20), JSON.stringify(units));
    let acceptedEvents = 0;
    for (let i = 0; i < events.length; i += 50)
      acceptedEvents += Number((await post(url, "/v1/events", { events: events.slice(i, i + 50) })).accepted);
    const again = await post(url, "/v1/events", { events: events.slice(0, 50) });
    assert.deepEqual([acceptedEvents, again.accepted, again.duplicates], [events.length, 0, 50]);

    const dataDir = join(dir, ".exp", "server");
    assert.ok(await waitUntil(() => allCompacted(dataDir), 20_000, 50), "the segments were not compacted");
    assert.ok(readdirSync(join(dataDir, "parquet", "events")).some((f) => f.endsWith(".parquet")));

    const r = exp(dir, ["analyze", "checkout_redesign", "--connection", "collected", "--format", "json"]);
    assert.equal(r.status, 0, r.stderr);
    const analysis = JSON.parse(r.stdout);
    assert.deepEqual(analysis.units, units);
    assert.equal(analysis.multiple_exposures, 0);
    const rpu = analysis.metrics.find((m: { metric: string }) => m.metric === "revenue_per_user");
    const conversion = analysis.metrics.find((m: { metric: string }) => m.metric === "purchase_conversion");
    for (const v of Object.keys(units)) {
      assert.equal(rpu.variants[v].n, units[v]);
      assert.ok(
        Math.abs(rpu.variants[v].mean * units[v]! - revenue[v]!) < 1e-6,
        `${v}: ${rpu.variants[v].mean * units[v]!} vs ${revenue[v]}`,
      );
      assert.ok(Math.abs(conversion.variants[v].mean * units[v]! - buyers[v]!) < 1e-9, `${v}: buyers`);
    }

    // After a restart the ids already in Parquet still deduplicate, and new segments get fresh numbers.
    await stopServe(server.child);
    server = await startServe(dir, ["--no-auth"]);
    const replay = await post(server.url, "/v1/events", { events: events.slice(50, 100) });
    assert.deepEqual([replay.accepted, replay.duplicates], [0, 50]);
    const late = await post(server.url, "/v1/events", { events: [{ eventId: "late-1", userId: "user_1", eventName: "page_view" }] });
    assert.equal(late.accepted, 1);
    // exp serve keeps to exp.yaml: an event it does not declare is left out of a batch and named.
    const undeclared = await post(server.url, "/v1/events", { events: [{ userId: "user_1", eventName: "page_veiw" }] });
    assert.deepEqual(undeclared.rejected, [{ index: 0, error: 'unknown event "page_veiw"', suggestion: 'did you mean "page_view"?' }]);
    await stopServe(server.child);
    server = undefined;

    // The one-shot command compacts what the stopped server left, including its last segment.
    const c = exp(dir, ["compact", "--include-current", "--format", "json"]);
    assert.equal(c.status, 0, c.stderr);
    assert.deepEqual(JSON.parse(c.stdout).events.records, 1);
    assert.ok(allCompacted(dataDir));
    const parts = readdirSync(join(dataDir, "parquet", "events")).filter((f) => f.endsWith(".parquet"));
    assert.equal(new Set(parts).size, parts.length);
    const after = JSON.parse(exp(dir, ["analyze", "checkout_redesign", "--connection", "collected", "--format", "json"]).stdout);
    assert.deepEqual(after.units, units);
  });

  test("bad --compact-every and a missing data dir are reported in one line, without a stack trace", () => {
    const bad = exp(dir, ["serve", "--no-auth", "--port", "0", "--compact-every", "soon"]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /--compact-every must be a positive number of seconds, not "soon"/);
    const missing = exp(dir, ["compact", "--data-dir", "nowhere"]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /the data dir ".*nowhere" does not exist/);
    assert.doesNotMatch(bad.stderr + missing.stderr, /\n\s+at /);
  });
});
