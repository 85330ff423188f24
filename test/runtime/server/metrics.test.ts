import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { ServerMetrics } from "../../../src/runtime/server/metrics.js";
import { routeTemplate } from "../../../src/runtime/server/router.js";
import { startServer, type RunningServer } from "../../../src/runtime/server/server.js";
import { parsePrometheusText, type Family } from "./prometheus-text.js";
import { smallRuleset, storeOptions } from "./fixture.js";

const value = (f: Family | undefined, name: string, labels: Record<string, string>) =>
  f?.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe("the Prometheus exposition", () => {
  test("the strict parser refuses what the format does not allow (a raw route regex, a bad name, an unfinished histogram)", () => {
    assert.throws(() => parsePrometheusText('x_total{route="/v1/ruleset/versions/(\\d+)"} 1\n'), /escape/);
    assert.throws(() => parsePrometheusText("1x 1\n"), /metric name/);
    assert.throws(() => parsePrometheusText('# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n'), /\+Inf/);
    assert.throws(() => parsePrometheusText('a 1\nb 1\na{x="y"} 1\n'), /one group/);
    assert.throws(() => parsePrometheusText("a 1\na 2\n"), /repeated/);
  });

  test("label values are escaped: any route or key reads back exactly", () => {
    const m = new ServerMetrics();
    const hostile = 'a"b\\c\nd';
    m.request("GET", hostile, 200, 0.002);
    m.assigned(hostile, "on");
    const families = parsePrometheusText(m.render());
    assert.equal(value(families.get("exp_requests_total"), "exp_requests_total", { route: hostile, status: "200" }), 1);
    assert.equal(value(families.get("exp_assignments_total"), "exp_assignments_total", { experiment: hostile, variant: "on" }), 1);
  });

  test("a latency histogram per route: cumulative buckets, a sum and a count", () => {
    const m = new ServerMetrics();
    for (const seconds of [0.0005, 0.003, 0.003, 0.2, 30]) m.request("POST", "/v1/evaluate", 200, seconds);
    const h = parsePrometheusText(m.render()).get("exp_request_duration_seconds")!;
    assert.equal(h.type, "histogram");
    const bucket = (le: string) => value(h, "exp_request_duration_seconds_bucket", { route: "/v1/evaluate", le });
    assert.deepEqual([bucket("0.001"), bucket("0.005"), bucket("0.25"), bucket("10"), bucket("+Inf")], [1, 3, 4, 4, 5]);
    assert.equal(value(h, "exp_request_duration_seconds_count", { route: "/v1/evaluate" }), 5);
    assert.ok(Math.abs(value(h, "exp_request_duration_seconds_sum", { route: "/v1/evaluate" })! - 30.2065) < 1e-9);
  });

  test("requests alternating between routes, methods and statuses are each counted in their own series", () => {
    const m = new ServerMetrics();
    const seen = [
      ["POST", "/v1/assignments", 200],
      ["POST", "/v1/assignments", 200],
      ["POST", "/v1/assignments", 400],
      ["POST", "/v1/assignments", 200],
      ["GET", "/v1/assignments", 200],
      ["POST", "/v1/evaluate", 200],
      ["POST", "/v1/assignments", 200],
    ] as const;
    for (const [method, route, status] of seen) m.request(method, route, status, 0.002);
    const families = parsePrometheusText(m.render());
    const count = (method: string, route: string, status: string) =>
      value(families.get("exp_requests_total"), "exp_requests_total", { method, route, status });
    assert.deepEqual(
      [
        count("POST", "/v1/assignments", "200"),
        count("POST", "/v1/assignments", "400"),
        count("GET", "/v1/assignments", "200"),
        count("POST", "/v1/evaluate", "200"),
      ],
      [4, 1, 1, 1],
    );
    const latency = (method: string, route: string) =>
      value(families.get("exp_request_duration_seconds"), "exp_request_duration_seconds_count", { method, route });
    assert.deepEqual([latency("POST", "/v1/assignments"), latency("GET", "/v1/assignments"), latency("POST", "/v1/evaluate")], [5, 1, 1]);
  });

  test("route templates name the parts a route's regex captures", () => {
    assert.equal(routeTemplate("/v1/ruleset/versions/(?<version>\\d+)"), "/v1/ruleset/versions/{version}");
    assert.equal(routeTemplate("/v1/experiments/(?<key>[a-z][a-z0-9_]*)/summary"), "/v1/experiments/{key}/summary");
    assert.equal(routeTemplate("/v1/ruleset"), "/v1/ruleset");
  });
});

describe("GET /metrics of a running server", () => {
  let srv: RunningServer;
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), "exp-metrics-"));
    srv = await startServer(
      { ...storeOptions(join(dir, "published")), dataDir: join(dir, "data"), keys: [], noAuth: true, tokenSecret: randomBytes(32) },
      0,
    );
    const put = await fetch(`${srv.url}/v1/ruleset`, { method: "PUT", body: JSON.stringify(smallRuleset(1)) });
    assert.equal(put.status, 200, await put.text());
  });
  after(() => srv.close());

  test("parses strictly, with route templates, latency per route, and assignments and exposures per variant", async () => {
    assert.equal((await fetch(`${srv.url}/v1/ruleset/versions/1`)).status, 200);
    assert.equal((await fetch(`${srv.url}/v1/ruleset/versions/9`)).status, 404);
    const enrolled: Record<string, number> = {};
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${srv.url}/v1/assignments`, {
        method: "POST",
        body: JSON.stringify({ experimentKey: "checkout_redesign", userId: `u${i}`, context: { country: i < 15 ? "US" : "FR" } }),
      });
      const r = (await res.json()) as { variant: string | null; inExperiment: boolean };
      if (r.inExperiment) enrolled[r.variant!] = (enrolled[r.variant!] ?? 0) + 1;
    }
    const all = await fetch(`${srv.url}/v1/evaluate`, {
      method: "POST",
      body: JSON.stringify({ userId: "u0", context: { country: "US" } }),
    });
    const u0 = ((await all.json()) as { experiments: Record<string, { variant: string }> }).experiments.checkout_redesign!.variant;
    enrolled[u0] = enrolled[u0]! + 1;

    const res = await fetch(`${srv.url}/metrics`);
    assert.match(res.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusText(await res.text());
    const requests = families.get("exp_requests_total")!;
    const versions = { method: "GET", route: "/v1/ruleset/versions/{version}" };
    assert.equal(value(requests, "exp_requests_total", { ...versions, status: "200" }), 1);
    assert.equal(value(requests, "exp_requests_total", { ...versions, status: "404" }), 1);
    for (const s of requests.samples) assert.doesNotMatch(s.labels.route!, /[()\\]/, "a route label is a template, not a regex");
    const latency = families.get("exp_request_duration_seconds")!;
    assert.equal(value(latency, "exp_request_duration_seconds_count", versions), 2);
    assert.equal(value(latency, "exp_request_duration_seconds_count", { method: "POST", route: "/v1/assignments" }), 20);

    const assignments = families.get("exp_assignments_total")!;
    const exposures = families.get("exp_variant_exposures_total")!;
    const units = families.get("exp_variant_exposed_units")!;
    assert.ok(Object.keys(enrolled).length > 0, "some units were enrolled");
    for (const [variant, n] of Object.entries(enrolled)) {
      const labels = { experiment: "checkout_redesign", variant };
      assert.equal(value(assignments, "exp_assignments_total", labels), n, `assignments to ${variant}`);
      // POST /v1/evaluate does not log an exposure; every enrolled POST /v1/assignments does.
      const viaAssignments = n - (variant === u0 ? 1 : 0);
      assert.equal(value(exposures, "exp_variant_exposures_total", labels), viaAssignments, `exposures of ${variant}`);
      assert.equal(value(units, "exp_variant_exposed_units", labels), viaAssignments, `units exposed to ${variant}`);
    }
  });
});
