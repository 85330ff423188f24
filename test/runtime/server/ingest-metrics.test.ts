// /metrics counts what ingestion saw: duplicates per kind, and the lag of each record's `ts` behind the
// server's clock as a histogram (a pinned clock, so the buckets each record falls in are known).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { serverLog } from "../../../src/runtime/server/server-log.js";
import type { RunningServer } from "../../../src/runtime/server/server.js";
import { loopbackServer, postJson, smallRuleset } from "./fixture.js";
import { parsePrometheusText } from "./prometheus-text.js";

const NOW = Date.parse("2026-12-01T12:00:00Z");
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();

describe("ingest lag and duplicates in /metrics", () => {
  let dir: string;
  let srv: RunningServer;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "exp-ingest-metrics-"));
    srv = await loopbackServer(dir, smallRuleset(1), { clock: () => NOW, log: serverLog(() => {}) });
  });
  after(async () => {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("each event's lag lands in its bucket, and a repeated id counts as a duplicate", async () => {
    const post = async (events: unknown[]) => {
      const r = await postJson(srv.url, "/v1/events", { events });
      assert.equal(r.status, 202, JSON.stringify(r.json));
      return r.json;
    };
    const event = (id: string, ts: string) => ({ eventId: id, userId: "u1", eventName: "purchase", ts });
    assert.deepEqual(await post([event("e1", ago(0)), event("e2", ago(10)), event("e3", ago(7200))]), {
      accepted: 3,
      duplicates: 0,
      rejected: [],
    });
    assert.equal((await post([event("e3", ago(7200))])).duplicates, 1);

    const families = parsePrometheusText(await (await fetch(`${srv.url}/metrics`)).text());
    const value = (family: string, name: string, labels: Record<string, string>) =>
      families.get(family)?.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    assert.equal(families.get("exp_ingest_lag_seconds")?.type, "histogram");
    const bucket = (le: string) => value("exp_ingest_lag_seconds", "exp_ingest_lag_seconds_bucket", { kind: "events", le });
    // Lags 0, 10, 7200 and the duplicate's 7200 again.
    assert.deepEqual([bucket("1"), bucket("15"), bucket("3600"), bucket("21600"), bucket("+Inf")], [1, 2, 2, 4, 4]);
    assert.equal(value("exp_ingest_lag_seconds", "exp_ingest_lag_seconds_sum", { kind: "events" }), 14410);
    assert.equal(value("exp_ingest_lag_seconds", "exp_ingest_lag_seconds_count", { kind: "exposures" }), 0);
    assert.equal(value("exp_ingest_duplicates_total", "exp_ingest_duplicates_total", { kind: "events" }), 1);
    assert.equal(value("exp_ingest_duplicates_total", "exp_ingest_duplicates_total", { kind: "exposures" }), 0);
  });
});
