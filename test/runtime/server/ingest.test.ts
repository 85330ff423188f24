import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { DuckDBInstance } from "@duckdb/node-api";
import { startServer, type RunningServer } from "../../../src/runtime/server/server.js";
import { storeOptions } from "./fixture.js";

function ndjsonIds(dir: string): string[] {
  return readdirSync(dir).flatMap((f) =>
    readFileSync(join(dir, f), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { id: string }).id),
  );
}

async function parquetIds(dir: string): Promise<string[]> {
  const files = readdirSync(dir).filter((f) => f.endsWith(".parquet"));
  if (files.length === 0) return [];
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  try {
    const r = await c.runAndReadAll(`SELECT event_id FROM read_parquet([${files.map((f) => `'${join(dir, f)}'`).join(", ")}])`);
    return (r.getColumnsJS()[0] ?? []).map(String);
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

describe("event ingestion over HTTP: group commit and compaction under load", () => {
  let srv: RunningServer;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "exp-ingest-"));
    srv = await startServer(
      {
        ...storeOptions(join(dir, "published")),
        dataDir: join(dir, "data"),
        keys: [],
        noAuth: true,
        tokenSecret: randomBytes(32),
      },
      0,
    );
  });
  after(async () => {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const postBatch = async (ids: string[]) => {
    const res = await fetch(`${srv.url}/v1/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ events: ids.map((id) => ({ eventId: id, userId: `u_${id}`, eventName: "page_view" })) }),
    });
    assert.equal(res.status, 202);
    return (await res.json()) as { accepted: number; duplicates: number };
  };

  test("concurrent batches share fsyncs; each record is stored once", async () => {
    // 60 batches of 100 over 4,000 distinct ids: batch b covers ids [b*66, b*66+100), so neighbours overlap.
    const batches = Array.from({ length: 60 }, (_, b) => Array.from({ length: 100 }, (_, i) => `e${(b * 66 + i) % 4000}`));
    const distinct = new Set(batches.flat());
    const acks = await Promise.all(batches.map(postBatch));
    assert.equal(
      acks.reduce((a, r) => a + r.accepted, 0),
      distinct.size,
    );
    assert.equal(
      acks.reduce((a, r) => a + r.duplicates, 0),
      6000 - distinct.size,
    );
    const stored = ndjsonIds(join(dir, "data", "events"));
    assert.deepEqual(new Set(stored), distinct);
    assert.equal(stored.length, distinct.size);
    const stats = srv.ingestStats().events;
    assert.equal(stats.batches, 60);
    assert.ok(stats.fsyncs < stats.batches, `${stats.fsyncs} fsyncs for ${stats.batches} batches`);
  });

  test("compaction while batches keep arriving loses and doubles nothing", async () => {
    const before = new Set([...ndjsonIds(join(dir, "data", "events"))]);
    const ids = Array.from({ length: 40 }, (_, b) => Array.from({ length: 50 }, (_, i) => `c${b}-${i}`));
    const posting = Promise.all(
      ids.map(async (batch, b) => {
        await new Promise((r) => setTimeout(r, b % 10));
        return postBatch(batch);
      }),
    );
    const first = srv.compact();
    const acks = await posting;
    await first;
    await srv.compact();
    assert.equal(
      acks.reduce((a, r) => a + r.accepted, 0),
      2000,
    );
    const inParquet = await parquetIds(join(dir, "data", "parquet", "events"));
    const left = ndjsonIds(join(dir, "data", "events"));
    const all = [...inParquet, ...left];
    assert.equal(left.length, 0);
    assert.equal(all.length, before.size + 2000);
    assert.equal(new Set(all).size, all.length);
    // Already compacted ids are still recognised as duplicates by the running server.
    assert.deepEqual(await postBatch(ids[0]!), { accepted: 0, duplicates: 50, rejected: [] });
  });
});
