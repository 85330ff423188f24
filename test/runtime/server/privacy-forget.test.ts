// `exp forget` on what a server with hashed unit ids collected: the unit's rows leave Parquet, the
// segments and a DuckDB warehouse; the audit names it by digest only; and a segment restored later
// cannot bring it back, because compaction applies the tombstones.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createHash, createHmac, randomBytes } from "node:crypto";
import { join } from "node:path";
import { startServer } from "../../../src/runtime/server/server.js";
import { exampleRepo, exp } from "../../helpers/workspace.js";
import { filesUnder, query } from "./privacy-fixture.js";
import { smallRuleset, storeOptions } from "./fixture.js";

const SECRET = "forget-test-secret-0123456789abc";
const ENV = { EXP_UNIT_ID_SECRET: SECRET };
const hmac = (u: string) => createHmac("sha256", SECRET).update(u).digest("hex");

describe("exp forget", () => {
  let dir: string;
  let dataDir: string;
  let backup: string;
  before(async () => {
    dir = exampleRepo("exp-forget-");
    writeFileSync(
      join(dir, "exp.yaml"),
      readFileSync(join(dir, "exp.yaml"), "utf8").replace("hash_unit_ids: false", "hash_unit_ids: true"),
    );
    dataDir = join(dir, ".exp", "server");
    const srv = await startServer(
      {
        ...storeOptions(join(dir, "published")),
        dataDir,
        keys: [],
        noAuth: true,
        tokenSecret: randomBytes(32),
        privacy: { unitIdKey: Buffer.from(SECRET) },
      },
      0,
    );
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${srv.url}${path}`, { method: "POST", body: JSON.stringify(body) });
      assert.ok(res.status < 300, `${path}: ${res.status} ${await res.text()}`);
    };
    await fetch(`${srv.url}/v1/ruleset`, { method: "PUT", headers: { "if-none-match": "*" }, body: JSON.stringify(smallRuleset(1)) });
    const events = (units: string[], tag: string) => ({
      events: units.flatMap((u) => [1, 2, 3].map((i) => ({ eventId: `${tag}-${u}-${i}`, userId: u, eventName: "page_view" }))),
    });
    for (const u of ["alice", "bob"])
      await post("/v1/assignments", { experimentKey: "checkout_redesign", userId: u, context: { country: "US" } });
    await post("/v1/events", events(["alice", "bob"], "first"));
    // Alice's anonymous id and Bob's login: a forgotten unit leaves the identity map from either side.
    await post("/v1/identify", {
      identities: [
        { anonymousId: "anon-1", userId: "alice" },
        { anonymousId: "alice", userId: "carol" },
        { anonymousId: "anon-2", userId: "bob" },
      ],
    });
    // A copy of the first events segment, as a backup would hold it, before compaction removes it.
    const first = readdirSync(join(dataDir, "events")).sort()[0]!;
    backup = join(dir, "backup-events.ndjson");
    copyFileSync(join(dataDir, "events", first), backup);
    await srv.compact();
    await post("/v1/events", events(["alice", "bob"], "second"));
    await srv.compact();
    await post("/v1/events", events(["alice", "bob"], "third"));
    await srv.close();
    const parquet = join(dataDir, "parquet");
    await query(
      join(dir, ".exp", "warehouse.duckdb"),
      `CREATE TABLE exposures AS SELECT * FROM read_parquet('${parquet}/exposures/*.parquet'); CREATE TABLE events AS SELECT * FROM read_parquet('${parquet}/events/*.parquet'); CREATE TABLE identities AS SELECT * FROM read_parquet('${parquet}/identities/*.parquet')`,
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("removes the unit from Parquet, segments and the warehouse, and records it by digest", async () => {
    const r = exp(dir, ["forget", "alice", "--include-current", "--format", "json"], ENV);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.dataDir.events, { parquetRows: 6, segmentLines: 3, quarantinedLines: 0 });
    assert.equal(out.dataDir.exposures.parquetRows, 1);
    assert.deepEqual(out.warehouses, [{ connection: "local", exposures: 1, events: 6, identities: 2 }]);

    const units = async (file: string, table: string) =>
      (await query(file, `SELECT DISTINCT unit_id FROM ${table}`)).map((x) => String(x[0]));
    assert.deepEqual(await units(":memory:", `read_parquet('${dataDir}/parquet/*/*.parquet')`), [hmac("bob")]);
    assert.deepEqual(await units(join(dir, ".exp", "warehouse.duckdb"), "events"), [hmac("bob")]);
    assert.deepEqual(await units(join(dir, ".exp", "warehouse.duckdb"), "identities"), [hmac("bob")]);
    const files = filesUnder(dataDir);
    assert.deepEqual(
      files.filter((f) => readFileSync(f).includes(hmac("alice")) || readFileSync(f).includes("alice")),
      [],
    );
    const audit = readFileSync(join(dataDir, "privacy", "forget-audit.ndjson"), "utf8")
      .trim()
      .split("\n");
    assert.equal(audit.length, 1);
    const record = JSON.parse(audit[0]!);
    assert.deepEqual(record.units, [createHash("sha256").update(hmac("alice")).digest("hex")]);
    assert.equal(record.actor, "test-actor");
  });

  test("a restored segment is compacted without the forgotten unit", async () => {
    const restored = join(dataDir, "events", "events-000001.ndjson");
    mkdirSync(join(dataDir, "events"), { recursive: true });
    copyFileSync(backup, restored);
    assert.ok(readFileSync(restored, "utf8").includes(hmac("alice")));
    const c = exp(dir, ["compact", "--include-current", "--format", "json"], ENV);
    assert.equal(c.status, 0, c.stderr);
    const report = JSON.parse(c.stdout);
    assert.equal(report.events.forgotten, 3);
    const rows = await query(":memory:", `SELECT unit_id, count(*) FROM read_parquet('${dataDir}/parquet/events/*.parquet') GROUP BY ALL`);
    assert.deepEqual(rows, [[hmac("bob"), 9n]]);
  });

  test("a unit is forgotten by the id the application knows, so without the secret it cannot be", () => {
    const r = exp(dir, ["forget", "bob"], { EXP_UNIT_ID_SECRET: "" });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /EXP1040/);
  });
});
