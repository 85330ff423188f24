import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { compactSegments, DEFAULT_LAYOUT, parquetDir } from "../../../../src/runtime/server/compaction.js";
import { mulberry32 } from "../../../helpers/prng.js";
import { waitUntil } from "../../../helpers/wait.js";

const SEED = 7_301;
const here = new URL(".", import.meta.url).pathname;

function start(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(here, "crash-server.ts"), dataDir], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /READY (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once("exit", (code) => reject(new Error(`the server exited with ${code} before it was ready`)));
  });
}

test("SIGKILL during ingestion and compaction: every acknowledged event survives exactly once", async () => {
  const rand = mulberry32(SEED);
  const dataDir = mkdtempSync(join(tmpdir(), "exp-crash-"));
  const acknowledged = new Set<string>();
  const sent = new Set<string>();
  const unacknowledged: string[][] = [];
  let next = 0;
  for (let round = 0; round < 3; round++) {
    const { child, url } = await start(dataDir);
    const exited = new Promise((r) => child.once("exit", r));
    let killed = false;
    // Retries of batches whose acknowledgement was lost in an earlier crash come first.
    const retries = unacknowledged.splice(0);
    const worker = async () => {
      while (!killed) {
        const ids = retries.pop() ?? Array.from({ length: 20 + Math.floor(rand() * 200) }, () => `ev${next++}`);
        ids.forEach((id) => sent.add(id));
        try {
          const res = await fetch(`${url}/v1/events`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ events: ids.map((id) => ({ eventId: id, userId: `u${id.length}`, eventName: "page_view" })) }),
          });
          assert.equal(res.status, 202);
          await res.json();
          ids.forEach((id) => acknowledged.add(id));
        } catch (err) {
          if (!killed) throw err;
          unacknowledged.push(ids);
        }
      }
    };
    const workers = Array.from({ length: 4 }, worker);
    // Kill once this round has had a seeded number of events acknowledged: the kill lands mid-ingestion
    // and, with compaction every 15 ms, often mid-compaction, however fast the machine runs.
    const target = acknowledged.size + 300 + Math.floor(rand() * 1200);
    const reached = await waitUntil(() => acknowledged.size >= target, 120_000);
    killed = true;
    child.kill("SIGKILL");
    await exited;
    await Promise.all(workers);
    assert.ok(reached, `round ${round}: the server acknowledged ${acknowledged.size} of the ${target} events waited for`);
  }
  // What must hold however the kills fell: finishing the compaction leaves no segment behind, and the
  // Parquet files hold every acknowledged event exactly once and nothing that was never sent.
  await compactSegments(dataDir, DEFAULT_LAYOUT, { exposures: Number.MAX_SAFE_INTEGER, events: Number.MAX_SAFE_INTEGER });
  assert.deepEqual(
    readdirSync(join(dataDir, "events")).filter((f) => readFileSync(join(dataDir, "events", f)).length > 0),
    [],
  );
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  const ids = (await c.runAndReadAll(`SELECT event_id FROM read_parquet('${parquetDir(dataDir, DEFAULT_LAYOUT, "events")}/*.parquet')`))
    .getColumnsJS()[0]!
    .map(String);
  c.closeSync();
  db.closeSync();
  assert.equal(new Set(ids).size, ids.length, "an event was stored twice");
  const stored = new Set(ids);
  for (const id of acknowledged) assert.ok(stored.has(id), `acknowledged ${id} is missing`);
  for (const id of ids) assert.ok(sent.has(id), `${id} was never sent`);
  rmSync(dataDir, { recursive: true, force: true });
});
