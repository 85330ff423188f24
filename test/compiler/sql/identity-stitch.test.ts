import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { compileExperimentSql } from "../../../src/compiler/sql/index.js";
import type { Experiment } from "../../../src/workspace/model.js";
import { makeExperiment, makeMetric, makeSettings, makeWorkspace } from "./fixture-workspace.js";

describe("identity stitching in SQL (docs/analysis.md#identity-stitching)", () => {
  const revenue = makeMetric("revenue", "sum(purchase.value)");
  const p90 = { ...makeMetric("p90_value", "p90(purchase.value)") };
  const base = makeExperiment("signup", ["revenue", "p90_value"]);
  const anonymous: Experiment = {
    ...base,
    identity: "anonymous",
    analysis: { ...base.analysis, identity_window: { seconds: 7200, text: "2h" } },
  };
  const compile = (experiment: Experiment, dialect: "duckdb" | "postgres", settings = makeSettings(), asOf?: string) =>
    compileExperimentSql({
      workspace: makeWorkspace({ settings, metrics: [revenue, p90], experiments: [experiment] }),
      experiment,
      dialect,
      asOf,
    });

  test("postgres: the latest mapping of each exposed anonymous id, its window, and events joined through unit_ids", () => {
    const c = compile(anonymous, "postgres", makeSettings(), "2026-12-01");
    assert.deepEqual(c.diagnostics, []);
    const sql = c.batch!.sql;
    assert.match(sql, /-- exp:identity_map\nidentity_map AS \(/);
    assert.match(sql, /ROW_NUMBER\(\) OVER \(PARTITION BY i\."anonymous_id" ORDER BY i\."ts" DESC, i\."unit_id" DESC\) AS latest/);
    assert.match(
      sql,
      /FROM "identities" AS i\n    WHERE i\."anonymous_id" IN \(SELECT unit_id FROM first_exposure\) AND i\."ts" < CAST\(\$\d+::text AS TIMESTAMP\)/,
    );
    assert.match(sql, /WHERE latest = 1 AND anonymous_id <> user_id/);
    assert.match(sql, /SELECT anonymous_id, user_id, mapped_at, mapped_at \+ INTERVAL '7200 seconds'\n  FROM identity_map/);
    assert.match(sql, /JOIN unit_ids AS k ON k\.unit_id = f\.unit_id\n  JOIN "events" AS e ON e\."unit_id" = k\.event_unit_id/);
    assert.match(
      sql,
      /\(k\.mapped_at IS NULL OR \(e\."ts" >= k\.mapped_at AND e\."ts" < k\.mapped_until AND NOT EXISTS \(SELECT 1 FROM "events" AS d WHERE d\."unit_id" = k\.unit_id AND d\."event_id" = e\."event_id"\)\)\)/,
    );
    // The quantile's event-level scan reads through the same map.
    const q = c.metrics.find((m) => m.metric === "p90_value")!.sql;
    assert.match(q, /-- exp:unit_ids/);
    assert.match(q, /JOIN unit_ids AS k/);
  });

  test("the identities table and its columns follow exp.yaml's remapping", () => {
    const settings = makeSettings();
    settings.warehouse.tables.identities = "crm.login_map";
    settings.warehouse.columns.identities = { anonymous_id: "device_id", unit_id: "account_id", ts: "logged_in_at" };
    const sql = compile(anonymous, "duckdb", settings).batch!.sql;
    assert.match(sql, /SELECT i\."device_id" AS anonymous_id, i\."account_id" AS user_id, i\."logged_in_at" AS mapped_at/);
    assert.match(sql, /FROM "crm"\."login_map" AS i/);
    assert.match(sql, /mapped_at \+ INTERVAL '7200 seconds'/);
  });

  test("the window defaults to 30 days", () => {
    const sql = compile({ ...anonymous, analysis: base.analysis }, "duckdb").batch!.sql;
    assert.match(sql, /mapped_at \+ INTERVAL '2592000 seconds'/);
  });

  test("identity: user and a session experiment read the events directly", () => {
    for (const e of [base, { ...anonymous, identity: "user" as const }, { ...anonymous, unit: "session" }]) {
      const c = compile(e, "postgres");
      for (const q of [c.batch?.sql ?? "", ...c.metrics.map((m) => m.sql)]) assert.doesNotMatch(q, /identity_map|unit_ids|identities/);
    }
  });
});
