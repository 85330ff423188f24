// The two-shard test cluster itself: a Distributed table over MergeTree tables on both shards
// spreads rows by cityHash64(unit_id), and a query through it sees every row once.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CLICKHOUSE_CLUSTER, startClickHouse, type ClickHouseCluster } from "../../helpers/clickhouse.js";

let cluster: ClickHouseCluster;
before(async () => {
  cluster = await startClickHouse();
});
after(async () => {
  await cluster?.stop();
});

test("inserts through a Distributed table land on both shards and read back whole", async () => {
  assert.equal(cluster.shards.length, 2);
  for (const i of [0, 1]) {
    await cluster.query("CREATE TABLE default.units_local (unit_id String, n UInt32) ENGINE = MergeTree ORDER BY unit_id", i);
  }
  await cluster.query(
    `CREATE TABLE default.units AS default.units_local ENGINE = Distributed(${CLICKHOUSE_CLUSTER}, default, units_local, cityHash64(unit_id))`,
  );
  const rows = Array.from({ length: 200 }, (_, i) => `('u${i}', ${i})`).join(",");
  // Synchronous so that the rows are on the shards when the insert returns.
  await cluster.query(`INSERT INTO default.units VALUES ${rows}`, 0, { insert_distributed_sync: 1 });

  const perShard = await Promise.all(
    [0, 1].map(async (i) => Number((await cluster.query("SELECT count() FROM default.units_local", i)).trim())),
  );
  assert.ok(
    perShard.every((n) => n > 0),
    `every shard holds rows: ${perShard.join(", ")}`,
  );
  assert.equal(perShard[0]! + perShard[1]!, 200);
  assert.equal((await cluster.query("SELECT count(), sum(n) FROM default.units")).trim(), `200\t${(199 * 200) / 2}`);
  // The same unit always goes to the same shard: the key the analysis relies on to sum units locally.
  const onShard = await Promise.all(
    [0, 1].map(async (i) => (await cluster.query("SELECT unit_id FROM default.units_local ORDER BY unit_id", i)).trim().split("\n")),
  );
  assert.equal(new Set([...onShard[0]!, ...onShard[1]!]).size, 200);
});
