import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_LAYOUT } from "../../../src/runtime/server/compaction.js";
import { loadRecentIds } from "../../../src/runtime/server/recent-ids.js";
import { SegmentSink } from "../../../src/runtime/server/sink.js";

const lines = (dir: string) =>
  readdirSync(dir)
    .sort()
    .flatMap((f) => readFileSync(join(dir, f), "utf8").split("\n").filter(Boolean))
    .map((l) => JSON.parse(l) as { id: string; n: number });

describe("segment sink with group commit", () => {
  test("many concurrent batches: all durable on resolve, duplicates dropped, fewer fsyncs than batches", async () => {
    const dir = mkdtempSync(join(tmpdir(), "exp-sink-"));
    const sink = await SegmentSink.open(dir, "events");
    const batches = Array.from({ length: 200 }, (_, b) => Array.from({ length: 50 }, (_, i) => ({ id: `e${(b * 50 + i) % 9000}`, n: b })));
    const accepted = await Promise.all(batches.map((batch) => sink.append(batch)));
    // Ids e0..e999 occur twice (batches 180-199 repeat them): each is accepted exactly once.
    assert.equal(
      accepted.reduce((a, b) => a + b, 0),
      9000,
    );
    const written = lines(dir);
    assert.equal(written.length, 9000);
    assert.equal(new Set(written.map((r) => r.id)).size, 9000);
    assert.equal(sink.stats.batches, 200);
    assert.ok(sink.stats.fsyncs < sink.stats.batches, `${sink.stats.fsyncs} fsyncs for ${sink.stats.batches} batches`);
    await sink.close();
  });

  test("a reopened sink knows the ids already written and numbers its segment after them", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "exp-sink-"));
    const dir = join(dataDir, "exposures");
    const first = await SegmentSink.open(dir, "exposures");
    assert.equal(await first.append([{ id: "a" }, { id: "b" }]), 2);
    await first.close();
    // The server reads the recent ids back from the data dir; "c" stands for one already in Parquet.
    const recent = await loadRecentIds(dataDir, DEFAULT_LAYOUT, "exposures", 100);
    recent.dedup.add("c");
    const second = await SegmentSink.open(dir, "exposures", { dedup: recent.dedup, firstSegment: 5 });
    assert.equal(second.currentSegment, 5);
    assert.equal(await second.append([{ id: "a" }, { id: "c" }, { id: "d" }]), 1);
    await second.close();
    assert.deepEqual(readdirSync(dir).sort(), ["exposures-000001.ndjson", "exposures-000005.ndjson"]);
    assert.deepEqual(
      lines(dir).map((r) => r.id),
      ["a", "b", "d"],
    );
  });

  test("roll closes a non-empty segment between commits and skips an empty one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "exp-sink-"));
    const sink = await SegmentSink.open(dir, "events");
    const pending = sink.append([{ id: "x" }]);
    assert.equal(await sink.roll(), 1);
    assert.equal(await pending, 1);
    assert.equal(await sink.roll(), undefined);
    assert.equal(sink.currentSegment, 2);
    await sink.append([{ id: "y" }]);
    await sink.close();
    assert.deepEqual(readFileSync(join(dir, "events-000001.ndjson"), "utf8").trim(), '{"id":"x"}');
    assert.deepEqual(readFileSync(join(dir, "events-000002.ndjson"), "utf8").trim(), '{"id":"y"}');
  });
});
