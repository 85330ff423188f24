// Issue 10 §3.4: the dedup set is bounded. A server started over a long history (1.5M event ids in
// Parquet parts, plus closed NDJSON segments) holds only its window of recent ids, so its memory
// does not grow with the history; duplicates inside the window are still answered as duplicates,
// and an older duplicate, accepted at the door, is removed by compaction: Parquet holds it once.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { exampleRepo, exp } from "../../../helpers/workspace.js";
import { call, startServe, stopServe, type Served } from "../../../runtime/server/serve-process.js";
import { heapAfterGc, heapPreloadEnv } from "./heap.js";

const PARTS = 150;
const PER_PART = 10_000;
const WINDOW = 50_000;
const part = (n: number) => `part-${String(n).padStart(6, "0")}.parquet`;
const segment = (n: number) => `events-${String(n).padStart(6, "0")}.ndjson`;

/** A data dir with `parts` Parquet parts of PER_PART events each (ids h0, h1, …) and two closed segments after them. */
async function history(root: string, parts: number): Promise<string> {
  const data = mkdtempSync(join(root, "data-"));
  const out = join(data, "parquet", "events");
  mkdirSync(out, { recursive: true });
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  try {
    for (let p = 0; p < parts; p++)
      await c.run(
        `COPY (SELECT 'u' || i AS unit_id, NULL::VARCHAR AS session_id, 'page_view' AS event, TIMESTAMP '2026-11-01 00:00:00' AS ts,
          NULL::DOUBLE AS value, NULL::JSON AS properties, 'h' || (${p * PER_PART} + i) AS event_id FROM range(${PER_PART}) t(i))
          TO '${join(out, part(p + 1))}' (FORMAT parquet)`,
      );
  } finally {
    c.closeSync();
    db.closeSync();
  }
  mkdirSync(join(data, "events"));
  for (const s of [1, 2]) {
    const lines = Array.from(
      { length: 5_000 },
      (_, i) =>
        `{"id":"s${s}-${i}","unit_id":"u${i}","session_id":null,"event":"page_view","ts":"2026-11-02T00:00:00.000Z","value":null,"properties":null}\n`,
    );
    writeFileSync(join(data, "events", segment(parts + s)), lines.join(""));
  }
  return data;
}

async function metric(url: string, name: string): Promise<number> {
  const text = (await call(url, "GET", "/metrics")).text;
  return Number(new RegExp(`^${name} (\\d+)`, "m").exec(text)![1]);
}

let root: string;
let ws: string;
/** Servers started here: stopped after the test even when an assertion left them running. */
const started: Served[] = [];
before(() => {
  root = mkdtempSync(join(tmpdir(), "exp-dedup-window-"));
  ws = exampleRepo("exp-dedup-ws-");
  assert.equal(exp(ws, ["apply", "--auto-approve"]).status, 0);
});
after(async () => {
  for (const srv of started) await stopServe(srv.child);
  rmSync(root, { recursive: true, force: true });
  rmSync(ws, { recursive: true, force: true });
});

test("start-up memory does not grow with history; the window still deduplicates; compaction removes older duplicates", async () => {
  const small = await history(root, 1);
  const long = await history(root, PARTS);
  const serve = async (data: string) => {
    const srv = await startServe(ws, ["--no-auth", "--data-dir", data, "--dedup-window", String(WINDOW)], heapPreloadEnv());
    started.push(srv);
    return srv;
  };
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

  const baseline = await serve(small);
  const baseHeap = await heapAfterGc(baseline);
  const baseRss = await metric(baseline.url, "process_resident_memory_bytes");
  await stopServe(baseline.child);

  const srv = await serve(long);
  const heap = await heapAfterGc(srv);
  const rss = await metric(srv.url, "process_resident_memory_bytes");
  const held = await metric(srv.url, "exp_dedup_ids");
  console.log(
    `dedup window: heap after a full collection ${mb(heap)} MB over ${PARTS * PER_PART + 10_000} ids, ${mb(baseHeap)} MB over ${PER_PART + 10_000}` +
      ` (resident ${mb(rss)} MB vs ${mb(baseRss)} MB); ${held} ids held`,
  );
  // The live heap, not the resident memory: what a process keeps resident depends on when it collected
  // and on DuckDB's buffers, and so on the machine's load. 1.51M ids held would take over 100 MB of
  // heap; the window's 50,000 take a few.
  assert.ok(heap - baseHeap < 24 * 2 ** 20, `heap ${mb(heap)} MB over a long history vs ${mb(baseHeap)} MB`);
  assert.ok(held >= WINDOW && held <= WINDOW + WINDOW / 4 + 1, `${held} ids held`);

  const post = async (ids: string[]) =>
    (
      await call(srv.url, "POST", "/v1/events", {
        body: { events: ids.map((id) => ({ eventId: id, userId: "u1", eventName: "page_view" })) },
      })
    ).json;
  // The newest segment, the older segment and the newest part are inside the window: duplicates.
  const newest = `h${PARTS * PER_PART - 1}`;
  assert.deepEqual(await post(["s2-4999", "s1-0", newest]), { accepted: 0, duplicates: 3, rejected: [] });
  // The oldest ids are outside it: accepted at the door, and removed again at compaction.
  assert.deepEqual(await post(["h0", "h1", "fresh-1"]), { accepted: 3, duplicates: 0, rejected: [] });
  assert.equal(await stopServe(srv.child), 0);

  const c = exp(ws, ["compact", "--data-dir", long, "--include-current", "--format", "json"]);
  assert.equal(c.status, 0, c.stderr);
  const report = JSON.parse(c.stdout).events;
  assert.deepEqual([report.records, report.duplicates, report.quarantined], [10_001, 2, 0]);
  const db = await DuckDBInstance.create(":memory:");
  const conn = await db.connect();
  try {
    const [[rows, distinct, h0]] = (
      await conn.runAndReadAll(
        `SELECT count(*), count(DISTINCT event_id), count(*) FILTER (WHERE event_id = 'h0') FROM read_parquet('${join(long, "parquet", "events")}/*.parquet')`,
      )
    ).getRowsJS() as [[bigint, bigint, bigint]];
    assert.deepEqual([rows, distinct, h0], [BigInt(PARTS * PER_PART + 10_001), BigInt(PARTS * PER_PART + 10_001), 1n]);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
});
