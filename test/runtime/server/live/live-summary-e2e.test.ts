// Live statistics end to end: a real `exp serve` (the built CLI) on loopback ingests planted
// exposures and events; its summary survives restarts (rebuilt from the segments, then from the
// Parquet parts) and agrees with `exp analyze` on the same data where the two define the same thing
// (method sequential, no CUPED).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { LiveSummary } from "../../../../src/runtime/server/live/summary.js";
import { exampleRepo, exp } from "../../../helpers/workspace.js";
import { mulberry32 } from "../../../helpers/prng.js";
import { startServe, stopServe, type Served } from "../serve-process.js";

const SEED = 20261206;
const EXPERIMENT = "checkout_redesign";

async function post(url: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  assert.ok(res.status === 200 || res.status === 202, `${path} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function summary(url: string): Promise<LiveSummary> {
  const res = await fetch(`${url}/v1/experiments/${EXPERIMENT}/summary`);
  assert.equal(res.status, 200);
  return (await res.json()) as LiveSummary;
}

const close = (a: number | null, b: number | null, what: string) =>
  assert.ok(a !== null && b !== null && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

/** Deep equality with numbers equal to 1e-9 relative: sums rebuilt in another order round differently. */
function assertSameSummary(actual: unknown, expected: unknown, path = "summary"): void {
  if (typeof expected === "number" && typeof actual === "number") return close(actual, expected, path);
  if (typeof expected !== "object" || expected === null) return assert.equal(actual, expected, path);
  assert.ok(typeof actual === "object" && actual !== null, path);
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), path);
  for (const [k, v] of Object.entries(expected)) assertSameSummary((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
}

describe("live summary of exp serve", () => {
  let dir: string;
  let server: Served | undefined;
  before(() => {
    dir = exampleRepo("exp-live-summary-");
    const yaml = readFileSync(join(dir, "exp.yaml"), "utf8");
    writeFileSync(
      join(dir, "exp.yaml"),
      yaml
        .replace("    prod: {", '    collected: {type: duckdb, files: [".exp/server/parquet/*/*.parquet"]}\n    prod: {')
        .replace(/srm_threshold: [0-9.]+/, "srm_threshold: 0.01"),
    );
    // What the server computes live: sequential inference, no pre-period.
    const file = join(dir, "experiments", `${EXPERIMENT}.yaml`);
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(/^analysis: .*$/m, "analysis: {method: sequential, alpha: 0.05, correction: bh, cuped: false}"),
    );
    const applied = exp(dir, ["apply", "--auto-approve"]);
    assert.equal(applied.status, 0, applied.stderr);
  });
  after(async () => {
    if (server) await stopServe(server.child);
    rmSync(dir, { recursive: true, force: true });
  });

  test("planted data: the summary survives restarts and matches exp analyze; a planted regression fails its guardrail", async () => {
    const base = Date.parse("2026-11-10T00:00:00Z");
    server = await startServe(dir, ["--no-auth"], { EXP_NOW: new Date(base).toISOString() });
    const rand = mulberry32(SEED);
    const events: Record<string, unknown>[] = [];
    const units: Record<string, number> = {};
    for (let i = 0; i < 400; i++) {
      const userId = `user_${i}`;
      const a = await post(server.url, "/v1/assignments", {
        experimentKey: EXPERIMENT,
        userId,
        context: { country: "US", platform: "web" },
        trigger: false,
      });
      if (!a.inExperiment) continue;
      const v = String(a.variant);
      assert.equal((await post(server.url, "/v1/exposures", { exposureToken: a.exposureToken })).accepted, 1);
      units[v] = (units[v] ?? 0) + 1;
      const at = (h: number) => new Date(base + h * 3_600_000).toISOString();
      const purchases = rand() < (v === "one_page" ? 0.45 : 0.3) ? 1 + Math.floor(rand() * 2) : 0;
      for (let p = 0; p < purchases; p++)
        events.push({
          eventId: `${userId}-p${p}`,
          userId,
          eventName: "purchase",
          ts: at(p + 1),
          properties: { revenue: Math.round(rand() * 9000) / 100 + 10 },
        });
      // The planted regression: the one-page checkout errs far more often.
      const errors = (v === "one_page" ? 3 : 1) + (rand() < 0.3 ? 1 : 0);
      for (let k = 0; k < errors; k++)
        events.push({ eventId: `${userId}-e${k}`, userId, eventName: "checkout_error", ts: at(2), properties: { step: "pay" } });
      events.push({ eventId: `${userId}-l`, userId, eventName: "page_load", ts: at(1), properties: { latency_ms: 200 + rand() * 300 } });
      // Past the 14-day window of revenue_per_user: the summary and the analysis both leave it out.
      events.push({ eventId: `${userId}-late`, userId, eventName: "purchase", ts: at(15 * 24), properties: { revenue: 500 } });
    }
    for (let i = 0; i < events.length; i += 200) await post(server.url, "/v1/events", { events: events.slice(i, i + 200) });

    const live = await summary(server.url);
    assert.deepEqual(live.exposures, units);
    assert.equal(live.srm.threshold, 0.01, "the workspace's srm_threshold");
    const errors = live.metrics.find((m) => m.metric === "checkout_errors")!;
    assert.ok(errors.available && errors.guardrail);
    assert.deepEqual(errors.guardrail, { max_regression: 0.02, state: "failed" });
    const p95 = live.metrics.find((m) => m.metric === "p95_page_load")!;
    assert.ok(!p95.available && /quantile/.test(p95.reason));
    // The live view shows the same statistics: a row per metric × variant, the guardrail's state, the SRM.
    const view = (await (await fetch(`${server.url}/v1/live/snapshot`)).json()) as {
      metricsAvailable: boolean;
      metrics: {
        experiment: string;
        metric: string;
        variant: string;
        units: number;
        lift: number | null;
        lower: number | null;
        state?: string;
      }[];
      experiments: { key: string; srm: { p: number; threshold: number } }[];
    };
    assert.equal(view.metricsAvailable, true);
    const viewErrors = view.metrics.find((r) => r.experiment === EXPERIMENT && r.metric === "checkout_errors" && r.variant === "one_page")!;
    const liveErrors = errors.variants.find((v) => v.variant === "one_page")!;
    assert.deepEqual(
      [viewErrors.units, viewErrors.lift, viewErrors.lower, viewErrors.state],
      [liveErrors.units, liveErrors.lift, liveErrors.lift_cs[0], "failed"],
    );
    assert.ok(!view.metrics.some((r) => r.metric === "p95_page_load"), "what is not kept live is not shown as numbers");
    const viewSrm = view.experiments.find((e) => e.key === EXPERIMENT)!.srm;
    assert.deepEqual([viewSrm.p, viewSrm.threshold], [live.srm.p_value, 0.01]);

    // Restart on the same data dir: rebuilt from the segments.
    await stopServe(server.child);
    server = await startServe(dir, ["--no-auth"], { EXP_NOW: new Date(base).toISOString() });
    assertSameSummary(await summary(server.url), live);
    await stopServe(server.child);
    server = undefined;

    // Compacted into Parquet, which exp analyze reads: rebuilt from the parts.
    const c = exp(dir, ["compact", "--include-current", "--format", "json"]);
    assert.equal(c.status, 0, c.stderr);
    server = await startServe(dir, ["--no-auth"], { EXP_NOW: new Date(base).toISOString() });
    assertSameSummary(await summary(server.url), live);
    await stopServe(server.child);
    server = undefined;

    const r = exp(dir, ["analyze", EXPERIMENT, "--connection", "collected", "--format", "json"]);
    assert.equal(r.status, 0, r.stderr);
    const analysis = JSON.parse(r.stdout);
    assert.deepEqual(analysis.units, live.exposures);
    close(live.srm.chi2, analysis.srm.chi2, "srm chi2");
    close(live.srm.p_value, analysis.srm.p_value, "srm p");
    for (const m of live.metrics) {
      if (!m.available) continue;
      const a = analysis.metrics.find((x: { metric: string }) => x.metric === m.metric);
      for (const v of m.variants) {
        assert.equal(v.units, a.variants[v.variant].n, `${m.metric}/${v.variant} units`);
        close(v.mean, a.variants[v.variant].mean, `${m.metric}/${v.variant} mean`);
        const cmp = a.comparisons.find((x: { variant: string }) => x.variant === v.variant);
        if (!cmp) continue;
        close(v.lift, cmp.rel_lift, `${m.metric}/${v.variant} lift`);
        close(v.lift_cs[0], cmp.rel_ci[0], `${m.metric}/${v.variant} lift cs`);
        close(v.lift_cs[1], cmp.rel_ci[1], `${m.metric}/${v.variant} lift cs`);
        close(v.diff_cs[0], cmp.diff_ci[0], `${m.metric}/${v.variant} diff cs`);
        close(v.p_value, cmp.p_value, `${m.metric}/${v.variant} p`);
      }
    }
    const guard = analysis.guardrails.find((g: { metric: string }) => g.metric === "checkout_errors");
    assert.equal(guard.breached, true, "exp analyze sees the planted regression too");
  });
});
