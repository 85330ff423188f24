// Keyed hashing of unit ids end to end: a real `exp serve` with `privacy.hash_unit_ids: true`
// ingests exposures and events, compaction writes Parquet, a DuckDB warehouse is built from it, and
// no file anywhere holds a raw unit id, while `exp analyze` still joins exposures to events.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exampleRepo, exp } from "../../helpers/workspace.js";
import { filesUnder, query } from "./privacy-fixture.js";
import { call, startServe, stopServe, type Served } from "./serve-process.js";

const SECRET = "a-unit-id-secret-of-32-bytes-xyz";
const ENV = { EXP_UNIT_ID_SECRET: SECRET };

/** Every file under `dir` that holds one of `ids` byte for byte, with the id found. */
function rawIdsIn(dir: string, ids: readonly string[]): string[] {
  return filesUnder(dir).flatMap((f) => {
    const bytes = readFileSync(f);
    return ids.filter((id) => bytes.includes(Buffer.from(id))).map((id) => `${f}: ${id}`);
  });
}

describe("privacy.hash_unit_ids: the server stores keyed hashes only", () => {
  let dir: string;
  let server: Served | undefined;
  before(() => {
    dir = exampleRepo("exp-privacy-hash-");
    const yaml = readFileSync(join(dir, "exp.yaml"), "utf8")
      .replace("hash_unit_ids: false", "hash_unit_ids: true")
      .replace("    prod: {", '    collected: {type: duckdb, files: [".exp/server/parquet/*/*.parquet"]}\n    prod: {');
    writeFileSync(join(dir, "exp.yaml"), yaml);
    const applied = exp(dir, ["apply", "--auto-approve"], ENV);
    assert.equal(applied.status, 0, applied.stderr);
  });
  after(async () => {
    if (server) await stopServe(server.child);
    rmSync(dir, { recursive: true, force: true });
  });

  test("without the secret, validate and serve say which variable to set, and nothing starts", () => {
    const v = exp(dir, ["validate"], { EXP_UNIT_ID_SECRET: "" });
    assert.equal(v.status, 1);
    assert.match(v.stdout, /EXP1040/);
    assert.match(v.stdout, /"privacy\.unit_id_secret" reads the environment variable "EXP_UNIT_ID_SECRET"/);
    const s = exp(dir, ["serve", "--no-auth", "--port", "0"], { EXP_UNIT_ID_SECRET: "" });
    assert.equal(s.status, 1);
    assert.match(s.stderr, /EXP1040/);
    assert.doesNotMatch(s.stderr, /\n\s+at /);
    const short = exp(dir, ["validate"], { EXP_UNIT_ID_SECRET: "short" });
    assert.equal(short.status, 1);
    assert.match(short.stdout, /EXP9130/);
    assert.equal(exp(dir, ["validate"], ENV).status, 0);
  });

  test("no raw unit id in segments, Parquet, quarantine, logs or a warehouse; analysis still joins", async () => {
    const base = Date.parse("2026-11-10T00:00:00Z");
    server = await startServe(dir, ["--no-auth"], { ...ENV, EXP_NOW: new Date(base).toISOString() });
    const raw: string[] = [];
    const exposed: Record<string, number> = {};
    for (let i = 0; i < 60; i++) {
      const userId = `rawunit${i}qz`;
      raw.push(userId);
      const a = await call(server.url, "POST", "/v1/assignments", {
        body: { experimentKey: "checkout_redesign", userId, context: { country: "US", platform: "web" } },
      });
      assert.equal(a.status, 200, a.text);
      if (a.json!.inExperiment) {
        const x = await call(server.url, "POST", "/v1/exposures", { body: { exposureToken: a.json!.exposureToken } });
        assert.equal(x.status, 202, x.text);
        const v = String(a.json!.variant);
        exposed[v] = (exposed[v] ?? 0) + 1;
      }
      // The event id carries the unit id, as clients' ids often do: it must not leak it either.
      const e = await call(server.url, "POST", "/v1/events", {
        body: {
          eventId: `${userId}-buy`,
          userId,
          eventName: "purchase",
          ts: new Date(base + 3_600_000).toISOString(),
          properties: { revenue: 10 },
        },
      });
      assert.equal(e.status, 202, e.text);
    }
    const dataDir = join(dir, ".exp", "server");
    await stopServe(server.child);
    const log = server.stderr();
    server = undefined;
    const c = exp(dir, ["compact", "--include-current", "--format", "json"], ENV);
    assert.equal(c.status, 0, c.stderr);
    assert.equal(JSON.parse(c.stdout).events.records, 60);

    const parquet = join(dataDir, "parquet");
    const units = (await query(":memory:", `SELECT DISTINCT unit_id FROM read_parquet('${parquet}/*/*.parquet')`)).map((r) => String(r[0]));
    const hashed = new Set(raw.map((u) => createHmac("sha256", SECRET).update(u).digest("hex")));
    assert.equal(units.length, 60);
    assert.ok(
      units.every((u) => hashed.has(u)),
      "every stored unit id is the HMAC of a posted one",
    );

    const warehouse = join(dir, ".exp", "warehouse-from-server.duckdb");
    await query(
      warehouse,
      `CREATE TABLE exposures AS SELECT * FROM read_parquet('${parquet}/exposures/*.parquet'); CREATE TABLE events AS SELECT * FROM read_parquet('${parquet}/events/*.parquet'); CHECKPOINT`,
    );
    assert.deepEqual(rawIdsIn(dataDir, raw), []);
    assert.deepEqual(rawIdsIn(join(dir, ".exp"), raw), []);
    assert.deepEqual(
      raw.filter((u) => log.includes(u)),
      [],
    );

    const r = exp(dir, ["analyze", "checkout_redesign", "--connection", "collected", "--format", "json"], ENV);
    assert.equal(r.status, 0, r.stderr);
    const analysis = JSON.parse(r.stdout);
    assert.deepEqual(analysis.units, exposed);
    const conversion = analysis.metrics.find((m: { metric: string }) => m.metric === "purchase_conversion");
    for (const v of Object.keys(exposed)) assert.equal(conversion.variants[v].mean, 1, `${v}: every exposed unit's purchase joins`);
  });
});
