import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { analyzeStats } from "../../src/stats/experiment.js";
import type { AnalysisInput } from "../../src/stats/analysis-types.js";
import { readCsv } from "./csv.js";
import { exposedUnits, sufficientStats, type ReferenceMetric } from "./reference-aggregation.js";

// Expected values come from test/reference/generate.py (SciPy/statsmodels on the raw rows).
// Point estimates and variances must agree to 1e-9 relative; p-values and interval bounds to 1e-7.
const ROOT = "test/reference";
const LOOSE = new Set(["p_value", "p_value_adjusted", "diff_ci", "rel_ci", "bound", "chi2"]);

function close(actual: unknown, expected: unknown, path: string, tol: number): void {
  if (expected === null || typeof expected !== "object") {
    if (typeof expected === "number") {
      assert.equal(typeof actual, "number", `${path}: expected a number, got ${JSON.stringify(actual)}`);
      const a = actual as number;
      const scale = Math.max(Math.abs(expected), 1e-12);
      assert.ok(Math.abs(a - expected) <= tol * scale, `${path}: ${a} vs expected ${expected} (tolerance ${tol} relative)`);
    } else {
      assert.deepEqual(actual, expected, path);
    }
    return;
  }
  assert.ok(actual !== null && typeof actual === "object", `${path}: missing`);
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: expected an array`);
    assert.equal((actual as unknown[]).length, expected.length, `${path}: length`);
  }
  for (const [k, v] of Object.entries(expected)) {
    const childTol = LOOSE.has(k) ? 1e-7 : tol;
    close((actual as Record<string, unknown>)[k], v, `${path}.${k}`, childTol);
  }
}

interface Workspace {
  experiment: string;
  phase: number;
  control: string;
  variants: { key: string; weight: number }[];
  metrics: ReferenceMetric[];
  /** The decision design every dataset is analysed with (generate.py: its gates are open). */
  design: {
    schedule: { start: string; end: string };
    as_of: string;
    min_duration_days: number;
    min_units_per_variant: number;
  };
  runs: {
    method: "fixed";
    alpha: number;
    correction: "bh" | "holm" | "bonferroni" | "none";
    srm_threshold: number;
    window_days: number;
    cuped_lookback_days: number;
  }[];
}

const datasets = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(ROOT, d.name, "workspace.json")))
  .map((d) => d.name)
  .sort();

describe("reference datasets (SciPy/statsmodels expected values)", () => {
  test("there are at least eight datasets", () => {
    assert.ok(datasets.length >= 8, `found ${datasets.join(", ")}`);
  });
  for (const name of datasets) {
    test(name, () => {
      const dir = join(ROOT, name);
      const ws = JSON.parse(readFileSync(join(dir, "workspace.json"), "utf8")) as Workspace;
      const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")) as { decision: { recommendation: string } }[];
      const exposures = readCsv(readFileSync(join(dir, "exposures.csv"), "utf8"));
      const events = readCsv(readFileSync(join(dir, "events.csv"), "utf8"));
      const { units, multiple } = exposedUnits(exposures, ws.experiment);
      const variants = ws.variants.map((v) => v.key);
      const counts: Record<string, number> = Object.fromEntries(variants.map((v) => [v, 0]));
      for (const u of units.values()) counts[u.variant]!++;
      assert.equal(ws.runs.length, expected.length);
      ws.runs.forEach((run, i) => {
        const stats = Object.fromEntries(
          ws.metrics.map((m) => [m.metric, sufficientStats(events, units, variants, m, run.window_days, run.cuped_lookback_days)]),
        );
        const input: AnalysisInput = {
          experiment: ws.experiment,
          phase: ws.phase,
          method: run.method,
          alpha: run.alpha,
          correction: run.correction,
          srmThreshold: run.srm_threshold,
          control: ws.control,
          variants: ws.variants,
          metrics: ws.metrics.map((m) => ({
            metric: m.metric,
            tier: m.tier,
            kind: m.kind,
            direction: m.direction,
            maxRegression: m.max_regression,
            cuped: m.cuped,
          })),
          units: counts,
          multipleExposures: multiple,
          stats,
          decision: {
            minDurationDays: ws.design.min_duration_days,
            minUnitsPerVariant: ws.design.min_units_per_variant,
            ship: "any_primary",
            guardrails: "must_pass",
            asOf: ws.design.as_of,
            start: new Date(Math.min(...[...units.values()].map((u) => u.first)) * 1000).toISOString(),
            end: ws.design.schedule.end,
          },
        };
        const result = analyzeStats(input);
        close(result, expected[i], `${name}[${run.correction}]`, 1e-9);
      });
    });
  }
});
