import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { compactSegments, DEFAULT_LAYOUT, parquetDir, type ParquetLayout } from "../../../src/runtime/server/compaction.js";
import { loadRecentIds } from "../../../src/runtime/server/recent-ids.js";

async function rows(glob: string, order = "event_id"): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  try {
    return (await c.runAndReadAll(`SELECT * FROM read_parquet('${glob}') ORDER BY "${order}"`)).getRowObjectsJS() as Record<
      string,
      unknown
    >[];
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

const event = (id: string, unit: string, revenue: number) =>
  JSON.stringify({
    id,
    unit_id: unit,
    session_id: null,
    event: "purchase",
    ts: "2026-11-20T10:00:00.000Z",
    value: null,
    properties: { revenue },
  });
const exposure = (id: string, unit: string, variant: string) =>
  JSON.stringify({ id, unit_id: unit, experiment: "checkout_redesign", phase: 1, variant, ts: "2026-11-20T09:00:00.000Z", metadata: null });

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "exp-compact-"));
  mkdirSync(join(dir, "events"));
  mkdirSync(join(dir, "exposures"));
  writeFileSync(join(dir, "events", "events-000001.ndjson"), `${event("e1", "u1", 10)}\n${event("e2", "u2", 2.5)}\n`);
  // A torn last line from a crash: never acknowledged, so it must not reach Parquet.
  writeFileSync(join(dir, "events", "events-000002.ndjson"), `${event("e3", "u1", 4)}\n{"id":"e4","unit_id":"u`);
  writeFileSync(join(dir, "events", "events-000003.ndjson"), `${event("e5", "u3", 1)}\n`);
  writeFileSync(
    join(dir, "exposures", "exposures-000001.ndjson"),
    `${exposure("x1", "u1", "control")}\n${exposure("x2", "u2", "one_page")}\n`,
  );
  return dir;
}

describe("compaction into Parquet", () => {
  test("closed segments become parts with the warehouse columns; the newest segment stays; ids are read back", async () => {
    const dir = dataDir();
    const r = await compactSegments(dir);
    assert.deepEqual(r, {
      exposures: { segments: 0, records: 0, duplicates: 0, quarantined: 0, forgotten: 0, expired: 0 },
      events: { segments: 2, records: 3, duplicates: 0, quarantined: 1, forgotten: 0, expired: 0 },
      identities: { segments: 0, records: 0, duplicates: 0, quarantined: 0, forgotten: 0, expired: 0 },
    });
    // The torn line is kept aside, byte for byte, rather than dropped with its segment.
    assert.equal(readFileSync(join(dir, "quarantine", "events", "events-000002.ndjson"), "utf8"), '{"id":"e4","unit_id":"u\n');
    assert.match(
      readFileSync(join(dir, "quarantine", "events", "events-000002.reasons.ndjson"), "utf8"),
      /"line":2,"reason":"a torn last line/,
    );
    assert.deepEqual(readdirSync(join(dir, "events")), ["events-000003.ndjson"]);
    assert.deepEqual(readdirSync(parquetDir(dir, DEFAULT_LAYOUT, "events")).sort(), ["part-000001.parquet", "part-000002.parquet"]);
    const got = await rows(join(parquetDir(dir, DEFAULT_LAYOUT, "events"), "*.parquet"));
    assert.deepEqual(Object.keys(got[0]!), ["unit_id", "session_id", "event", "ts", "value", "properties", "event_id"]);
    assert.deepEqual(
      got.map((g) => [g.event_id, g.unit_id, JSON.parse(String(g.properties)).revenue]),
      [
        ["e1", "u1", 10],
        ["e2", "u2", 2.5],
        ["e3", "u1", 4],
      ],
    );
    assert.equal((got[0]!.ts as Date).toISOString(), "2026-11-20T10:00:00.000Z");
    const recent = await loadRecentIds(dir, DEFAULT_LAYOUT, "events", 100);
    assert.deepEqual(
      [["e1", "e2", "e3", "e5"].filter((id) => recent.dedup.has(id)), recent.dedup.size, recent.highest],
      [["e1", "e2", "e3", "e5"], 4, 3],
    );
  });

  test("remapped columns and a schema-qualified table name are followed", async () => {
    const dir = dataDir();
    const layout: ParquetLayout = {
      tables: { exposures: "analytics.assignments", events: "analytics.actions" },
      columns: {
        ...DEFAULT_LAYOUT.columns,
        exposures: { ...DEFAULT_LAYOUT.columns.exposures, unit_id: "user_id", variant: "arm", phase: "rollout_phase" },
      },
    };
    const r = await compactSegments(dir, layout, { exposures: 99, events: 99 });
    assert.deepEqual([r.exposures.records, r.events.records], [2, 4]);
    const got = await rows(join(dir, "parquet", "assignments", "*.parquet"), "exposure_id");
    assert.deepEqual(
      got.map((g) => [g.user_id, g.arm, g.experiment, g.rollout_phase, g.exposure_id]),
      [
        ["u1", "control", "checkout_redesign", 1, "x1"],
        ["u2", "one_page", "checkout_redesign", 1, "x2"],
      ],
    );
    const recent = await loadRecentIds(dir, layout, "exposures", 100);
    assert.deepEqual([recent.dedup.has("x1"), recent.dedup.has("x2"), recent.dedup.size], [true, true, 2]);
  });

  test("a crash after the rename but before the segment was removed is finished without duplicating", async () => {
    const dir = dataDir();
    const saved = join(dir, "saved.ndjson");
    copyFileSync(join(dir, "events", "events-000001.ndjson"), saved);
    await compactSegments(dir, DEFAULT_LAYOUT, { events: 2 });
    // The segment reappears as if the unlink never happened; a stale temp part of a dead process lies beside it.
    copyFileSync(saved, join(dir, "events", "events-000001.ndjson"));
    writeFileSync(join(parquetDir(dir, DEFAULT_LAYOUT, "events"), "part-000002.parquet.tmp-999999999"), "half a file");
    const r = await compactSegments(dir, DEFAULT_LAYOUT, { events: 3 });
    assert.equal(r.events.segments, 2);
    assert.equal(existsSync(join(dir, "events", "events-000001.ndjson")), false);
    assert.deepEqual(readdirSync(parquetDir(dir, DEFAULT_LAYOUT, "events")).sort(), ["part-000001.parquet", "part-000002.parquet"]);
    const got = await rows(join(parquetDir(dir, DEFAULT_LAYOUT, "events"), "*.parquet"));
    assert.deepEqual(
      got.map((g) => g.event_id),
      ["e1", "e2", "e3"],
    );
  });
});
