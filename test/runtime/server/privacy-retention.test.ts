import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { startServer, type RunningServer } from "../../../src/runtime/server/server.js";
import { storeOptions } from "./fixture.js";
import { query } from "./privacy-fixture.js";

const DAY = 86_400_000;

describe("privacy.retention: compaction purges older data and says how much", () => {
  let srv: RunningServer;
  let dir: string;
  let now = Date.parse("2026-11-10T00:00:00Z");
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "exp-retention-"));
    srv = await startServer(
      {
        ...storeOptions(join(dir, "published")),
        dataDir: join(dir, "data"),
        keys: [],
        noAuth: true,
        tokenSecret: randomBytes(32),
        clock: () => now,
        privacy: { retentionMs: 180 * DAY },
      },
      0,
    );
  });
  after(async () => {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const postAt = async (id: string, daysAgo: number) => {
    const res = await fetch(`${srv.url}/v1/events`, {
      method: "POST",
      body: JSON.stringify({ eventId: id, userId: "u1", eventName: "page_view", ts: new Date(now - daysAgo * DAY).toISOString() }),
    });
    assert.equal(res.status, 202);
  };
  const storedIds = async () =>
    (await query(":memory:", `SELECT event_id FROM read_parquet('${join(dir, "data", "parquet", "events")}/*.parquet') ORDER BY 1`)).map(
      (r) => String(r[0]),
    );

  test("segment lines older than the retention never reach Parquet", async () => {
    await postAt("ancient", 400);
    await postAt("old", 181);
    await postAt("recent", 100);
    await postAt("today", 0);
    const r = await srv.compact();
    assert.deepEqual([r.events.records, r.events.expired, r.events.duplicates], [2, 2, 0]);
    assert.deepEqual(await storedIds(), ["recent", "today"]);
  });

  test("rows already in Parquet are purged once they age past it, and /metrics counts them", async () => {
    now += 90 * DAY;
    await postAt("later", 0);
    const r = await srv.compact();
    assert.deepEqual([r.events.records, r.events.expired], [1, 1]);
    assert.deepEqual(await storedIds(), ["later", "today"]);
    const metrics = await (await fetch(`${srv.url}/metrics`)).text();
    assert.match(metrics, /exp_retention_purged_rows_total 3/);
  });
});
