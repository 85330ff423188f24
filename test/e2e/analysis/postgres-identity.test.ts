// The stitched analysis (docs/analysis.md#identity-stitching) on a real PostgreSQL: the same
// population as the CSV test, the same sums expected.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { fetchSufficientStats } from "../../../src/analysis/fetch-stats.js";
import { PostgresWarehouse } from "../../../src/analysis/postgres-warehouse.js";
import { type PostgresCluster, startPostgres } from "../../helpers/postgres.js";
import { loadPopulation, population, WINDOW } from "../../analysis/identity-population.js";
import { makeExperiment, makeMetric, makeWorkspace } from "../../compiler/sql/fixture-workspace.js";

let cluster: PostgresCluster;

describe("identity stitching on PostgreSQL", () => {
  before(async () => {
    cluster = await startPostgres();
  });
  after(async () => {
    await cluster?.stop();
  });

  test("the user's purchases after login count for the anonymous unit, once, within the window", async () => {
    const pop = population();
    const w = await PostgresWarehouse.open(await cluster.createDatabase("identity"));
    try {
      await loadPopulation(w, pop);
      const metric = makeMetric("stitched_revenue", "sum(purchase.value)");
      const base = makeExperiment("signup_wall", ["stitched_revenue"]);
      const experiment = {
        ...base,
        identity: "anonymous" as const,
        analysis: { ...base.analysis, identity_window: { seconds: WINDOW / 1000, text: "2d" } },
      };
      const result = await fetchSufficientStats(w, makeWorkspace({ metrics: [metric], experiments: [experiment] }), experiment);
      assert.deepEqual(result.diagnostics, []);
      const stats = result.metrics.find((m) => m.metric === "stitched_revenue")!.variants;
      for (const [variant, s] of Object.entries(pop.expected)) {
        const got = stats[variant] as { n: number; sum: number; sumSq: number };
        assert.equal(got.n, s.n);
        assert.ok(Math.abs(got.sum - s.sum) < 1e-6, `${variant}: ${got.sum} vs ${s.sum}`);
        assert.ok(Math.abs(got.sumSq - s.sumSq) < 1e-6 * s.sumSq, `${variant}: Σx² ${got.sumSq} vs ${s.sumSq}`);
      }
    } finally {
      await w.close();
    }
  });
});
