import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { compileExperimentSql } from "../../../src/compiler/sql/index.js";
import { makeExperiment, makeMetric, makeWorkspace } from "./fixture-workspace.js";

describe("session experiments in SQL (docs/analysis.md#session-experiments)", () => {
  const perSession = { ...makeMetric("purchases", "count(purchase)"), unit: "session" };
  const perUser = { ...makeMetric("revenue", "sum(purchase.value)"), unit: "user" };
  const sessionExperiment = { ...makeExperiment("s", ["purchases", "revenue"]), unit: "session" };
  const compile = (e = sessionExperiment) =>
    compileExperimentSql({
      workspace: makeWorkspace({ metrics: [perSession, perUser], experiments: [e] }),
      experiment: e,
      dialect: "duckdb",
    });

  test("units are sessions, and events join on their session", () => {
    const c = compile();
    assert.deepEqual(c.diagnostics, []);
    const batch = c.batch!;
    assert.match(batch.sql, /SELECT x\."session_id" AS unit_id, MIN\(x\."unit_id"\) AS user_id/);
    assert.match(batch.sql, /x\."session_id" IS NOT NULL/);
    assert.match(batch.sql, /GROUP BY x\."session_id"/);
    assert.match(batch.sql, /ON e\."session_id" = f\.unit_id/);
    // Only the session metric rides in the batch; the user-level one has its clustered query.
    assert.deepEqual(
      batch.columns.map((m) => [m.metric, m.shape]),
      [["purchases", "mean"]],
    );
    const revenue = c.metrics.find((m) => m.metric === "revenue")!;
    assert.equal(revenue.shape, "clustered");
    assert.match(revenue.sql, /-- exp:user_clusters/);
    assert.match(revenue.sql, /GROUP BY variant, user_id/);
    assert.match(revenue.sql, /LEFT JOIN user_clusters AS k ON k\.user_id = c\.user_id AND k\.variant = \$\d+/);
    assert.ok(revenue.params.includes("control"));
  });

  test("a user experiment is unchanged: units and events by unit_id", () => {
    const e = makeExperiment("u", ["revenue"]);
    const c = compileExperimentSql({
      workspace: makeWorkspace({ metrics: [perUser], experiments: [e] }),
      experiment: e,
      dialect: "duckdb",
    });
    assert.doesNotMatch(c.batch!.sql, /session_id|user_id/);
    assert.match(c.batch!.sql, /ON e\."unit_id" = f\.unit_id/);
  });
});
