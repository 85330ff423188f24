// ops/grafana/exp-serve.json is a Grafana dashboard over what `exp serve` exposes at /metrics: it has
// the shape Grafana imports, and every series its PromQL names is one a real server's /metrics has
// (scraped after some traffic), so a renamed or misspelt series fails here rather than on a blank panel.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { serverLog } from "../../src/runtime/server/server-log.js";
import type { RunningServer } from "../../src/runtime/server/server.js";
import { parsePrometheusText } from "../runtime/server/prometheus-text.js";
import { loopbackServer, postJson, smallRuleset } from "../runtime/server/fixture.js";

const DASHBOARD = new URL("../../ops/grafana/exp-serve.json", import.meta.url);

interface Target {
  refId: string;
  expr: string;
  datasource?: { type: string; uid: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type: string; uid: string };
  targets?: Target[];
}
interface Dashboard {
  title: string;
  uid: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string; query?: string | { query: string }; definition?: string }[] };
  annotations: { list: { expr?: string }[] };
}

// PromQL words that are not series: aggregation operators (a "by" may sit between one and its "("),
// grouping modifiers and set operators. Functions are told by the "(" after them.
const NOT_SERIES = new Set([
  ...["sum", "avg", "min", "max", "count", "group", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values"],
  ...["by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset"],
]);

/** The series names a PromQL expression reads. */
function seriesNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, "")
    .replace(/\[[^\]]*\]/g, "")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, "$1")
    .replace(/\$\w+/g, "");
  const names: string[] = [];
  for (const m of bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = m[0];
    const before = bare[m.index! - 1];
    if (before !== undefined && /[0-9.]/.test(before)) continue; // the exponent of 1e3, the unit of 5m
    if (NOT_SERIES.has(word) || /^\s*\(/.test(bare.slice(m.index! + word.length))) continue;
    names.push(word);
  }
  return names;
}

/** Every PromQL expression of the dashboard: panel targets, the template variables' label_values() and annotations. */
function expressions(d: Dashboard): string[] {
  const out = d.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
  for (const v of d.templating.list) {
    const q = typeof v.query === "string" ? v.query : v.query?.query;
    const series = q && /^label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(q)?.[1];
    if (series) out.push(series);
  }
  for (const a of d.annotations.list) if (a.expr) out.push(a.expr);
  return out;
}

describe("the Grafana dashboard for exp serve", () => {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, "utf8")) as Dashboard;

  test("the series-name reader finds names and skips functions, labels, ranges and modifiers", () => {
    assert.deepEqual(
      seriesNames(
        'histogram_quantile(0.95, sum by (le, route) (rate(exp_request_duration_seconds_bucket{route=~"/v1.*"}[$__rate_interval])))',
      ),
      ["exp_request_duration_seconds_bucket"],
    );
    assert.deepEqual(
      seriesNames("sum by (experiment) (a_total) / on (experiment) group_left sum by (experiment) (b_units) * 1e3 > bool 0"),
      ["a_total", "b_units"],
    );
  });

  test("is a dashboard Grafana imports: title, uid, schema version, panels on the 24-column grid with unique ids and queries", () => {
    assert.equal(typeof dashboard.title, "string");
    assert.match(dashboard.uid, /^[a-zA-Z0-9_-]{1,40}$/);
    assert.ok(Number.isInteger(dashboard.schemaVersion) && dashboard.schemaVersion >= 30);
    assert.ok(dashboard.panels.length > 0);
    const ids = dashboard.panels.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length, "panel ids are unique");
    for (const p of dashboard.panels) {
      const { h, w, x, y } = p.gridPos;
      assert.ok([h, w, x, y].every(Number.isInteger) && w >= 1 && x >= 0 && x + w <= 24 && y >= 0 && h >= 1, `${p.title}: gridPos`);
      assert.ok(p.title.length > 0);
      if (p.type === "row") continue;
      assert.ok(["timeseries", "stat", "gauge", "table", "bargauge"].includes(p.type), `${p.title}: panel type ${p.type}`);
      assert.equal(p.datasource?.type, "prometheus", `${p.title}: datasource`);
      assert.ok(p.targets && p.targets.length > 0, `${p.title}: targets`);
      const refs = p.targets.map((t) => t.refId);
      assert.equal(new Set(refs).size, refs.length, `${p.title}: refIds are unique`);
      for (const t of p.targets) assert.ok(t.expr.trim().length > 0, `${p.title}: an empty query`);
    }
    // The datasource is a variable, so the dashboard imports into any Grafana with a Prometheus.
    assert.ok(dashboard.templating.list.some((v) => v.type === "datasource" && v.query === "prometheus"));
  });

  test("plots request rate, latency quantiles per route, assignments and exposures per experiment and variant, ingest lag, late records and duplicates", () => {
    const all = expressions(dashboard).join("\n");
    assert.match(all, /histogram_quantile\(0\.99, sum by \(le, method, route\) \(rate\(exp_request_duration_seconds_bucket/);
    assert.match(all, /sum by \(method, route\) \(rate\(exp_requests_total/);
    assert.match(all, /sum by \(experiment, variant\) \(rate\(exp_assignments_total/);
    assert.match(all, /sum by \(experiment, variant\) \(rate\(exp_variant_exposures_total/);
    assert.match(all, /histogram_quantile\(0\.95, sum by \(le, kind\) \(rate\(exp_ingest_lag_seconds_bucket/);
    assert.match(all, /exp_ingest_lag_seconds_bucket\{le="3600"\}/);
    for (const series of [
      "exp_events_total",
      "exp_dedup_ids",
      "exp_ingest_duplicates_total",
      "exp_consent_dropped_total",
      "exp_compaction_failures_total",
    ])
      assert.ok(seriesNames(all).includes(series), series);
  });

  describe("against a running server's /metrics", () => {
    let dir: string;
    let srv: RunningServer;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), "exp-grafana-"));
      srv = await loopbackServer(dir, smallRuleset(1), { log: serverLog(() => {}) });
    });
    after(async () => {
      await srv.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test("every series the dashboard reads is one the server exposes", async () => {
      // Traffic first: the per-route, per-variant and histogram series appear once something was counted.
      for (let i = 0; i < 5; i++) {
        const r = await postJson(srv.url, "/v1/assignments", {
          experimentKey: "checkout_redesign",
          userId: `u${i}`,
          context: { country: "US" },
        });
        assert.equal(r.status, 200, JSON.stringify(r.json));
      }
      const events = await postJson(srv.url, "/v1/events", { eventId: "e-1", userId: "u1", eventName: "purchase", value: 1 });
      assert.equal(events.status, 202, JSON.stringify(events.json));
      const families = parsePrometheusText(await (await fetch(`${srv.url}/metrics`)).text());
      const exposed = new Set([...families.values()].flatMap((f) => f.samples.map((s) => s.name)));
      assert.ok(exposed.has("exp_request_duration_seconds_bucket") && exposed.has("exp_variant_exposures_total"));
      const used = [...new Set(expressions(dashboard).flatMap(seriesNames))].sort();
      assert.ok(used.length >= 10, used.join(", "));
      assert.deepEqual(
        used.filter((s) => !exposed.has(s)),
        [],
        `series the dashboard reads but /metrics does not have (it has ${[...exposed].sort().join(", ")})`,
      );
    });
  });
});
