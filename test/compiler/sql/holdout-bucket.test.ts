import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import pg from "pg";
import { bucketCtes } from "../../../src/compiler/sql/blocks/holdout-bucket.js";
import { bucket } from "../../../src/ruleset/hash.js";
import { startPostgres, type PostgresCluster } from "../../helpers/postgres.js";

// The SQL bucket function against the runtime's golden vectors (test/fixtures/conformance/cases.json).
// A warehouse string is valid UTF-8, so the vectors with lone surrogates (which the runtime encodes as
// U+FFFD) are left out: no warehouse can hold them.
const cases = JSON.parse(readFileSync("test/fixtures/conformance/cases.json", "utf8")) as {
  hashing: { buckets: { seed: string; unit: string; bucket: number }[] };
};
const valid = (s: string) => !/[\ud800-\udfff]/.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ""));
const vectors = cases.hashing.buckets.filter((c) => valid(c.seed) && valid(c.unit));
// More lengths than the vectors have (every tail length, many blocks), checked against the runtime.
const extra = Array.from({ length: 40 }, (_, n) => ({ seed: "holdout:global_2026", unit: `u${"x".repeat(n)}é` }));
const all = [...vectors.map(({ seed, unit }) => ({ seed, unit })), ...extra];

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;
function query(dialect: "duckdb" | "postgres"): string {
  const rows = all.map((c, i) => `SELECT ${i} AS unit_id, ${literal(`${c.seed}/${c.unit}`)} AS s`).join(" UNION ALL ");
  return `WITH RECURSIVE hash_source AS (${rows}),\n${bucketCtes(dialect, "hash_source", "bucketed").join(",\n")}\nSELECT unit_id, bucket FROM bucketed ORDER BY unit_id`;
}
const expected = all.map((c) => bucket(c.seed, c.unit));

describe("bucket(seed, unit) in SQL", () => {
  let cluster: PostgresCluster | undefined;
  before(async () => {
    cluster = await startPostgres();
  });
  after(async () => {
    await cluster?.stop();
  });

  test("the runtime agrees with its golden vectors (the reference this SQL is held to)", () => {
    for (const c of vectors) assert.equal(bucket(c.seed, c.unit), c.bucket, `${c.seed}/${c.unit}`);
    assert.ok(vectors.length >= 60);
  });

  test("DuckDB computes every bucket exactly", async () => {
    const db = await (await DuckDBInstance.create(":memory:")).connect();
    const rows = (await db.runAndReadAll(query("duckdb"))).getRowObjects();
    assert.deepEqual(
      rows.map((r) => Number(r["bucket"])),
      expected,
    );
    db.closeSync();
  });

  test("PostgreSQL computes every bucket exactly", async () => {
    const url = await cluster!.createDatabase("buckets");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const rows = (await client.query(query("postgres"))).rows as { bucket: string }[];
      assert.deepEqual(
        rows.map((r) => Number(r.bucket)),
        expected,
      );
    } finally {
      await client.end();
    }
  });
});
