// `exp power`: from flags (checked against src/stats sample size and against statsmodels-computed
// values), from the declared design, and from the warehouse's pre-exposure history.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { powerFromDesign, powerFromWarehouse } from "../../src/app/power.js";
import { powerFromFlags } from "../../src/cli/power.js";
import { ExpError } from "../../src/diagnostics/errors.js";
import { conversionMinimumDetectableEffect, conversionSampleSize } from "../../src/stats/conversion-sample-size.js";
import { minimumDetectableEffect, sampleSize } from "../../src/stats/power.js";
import { loadWorkspace } from "../../src/workspace/load.js";
import { exp } from "../helpers/workspace.js";
import { readCsv } from "../stats/csv.js";
import { exposedUnits, sufficientStats } from "../stats/reference-aggregation.js";
import { duckDbWorkspace, removeWorkspaces, REFERENCE } from "../analysis/reference-workspace.js";

// A conversion is sized with each arm's variance under the alternative (10% and 11%), as the analysis'
// Welch test sees them: statsmodels NormalIndPower().solve_power(effect_size=0.01/sqrt((0.09+0.0979)/2),
// alpha=0.05, power=0.8, ratio=1) = 14748.04 per arm, i.e. 14749 units; by hand
// (1.959964 + 0.841621)² · (0.09 + 0.0979) / 0.01² = 14748.07.
const STATSMODELS_PER_ARM = 14748.04;
// The MDE 10,000 units per arm detect, with each arm's variance under the alternative (the inverse of
// the sizing above): SciPy brentq on the exact two-sided power, test/stats/conversion-mde-reference.py.
const MDE_REF = JSON.parse(readFileSync("test/stats/conversion-mde-reference.json", "utf8")).cases as { name: string; mde: number }[];
const SCIPY_MDE_20000 = MDE_REF.find((c) => c.name === "p10_n10000")!.mde;
const SCIPY_MDE_THREE_ARMS = MDE_REF.find((c) => c.name === "p20_n10000_a005")!.mde;

describe("exp power from flags", () => {
  test("a 10% conversion and a 10% relative MDE need 14749 units per arm (statsmodels, by hand)", () => {
    const r = exp(process.cwd(), ["power", "--baseline", "10%", "--mde", "10%", "--format", "json"]);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(j.sample_size.per_arm, [Math.ceil(STATSMODELS_PER_ARM), Math.ceil(STATSMODELS_PER_ARM)]);
    assert.equal(j.sample_size.total, 2 * Math.ceil(STATSMODELS_PER_ARM));
    assert.equal(j.variance, 0.1 * 0.9);
    assert.ok(Math.abs(j.mde_absolute - 0.01) < 1e-15);
  });

  test("agrees with conversionSampleSize and conversionMinimumDetectableEffect of src/stats for three arms, with the analysis' correction", () => {
    const r = powerFromFlags({ baseline: "0.2", mde: "5%", arms: "3", alpha: "0.01", power: "0.9", units: "30000", dailyUnits: "1200" });
    // Two comparisons against control share α as bh does by default (sized as Bonferroni).
    const design = { alpha: 0.01, power: 0.9, shares: [1, 1, 1], correction: "bh" as const, metrics: 1 };
    const size = conversionSampleSize({ ...design, baseline: 0.2, relativeMde: 0.05 });
    assert.deepEqual(r.sample_size.per_arm, size.perArm);
    assert.equal(r.correction.method, "bh");
    assert.equal(r.correction.family, 2);
    assert.equal(r.alpha_per_comparison, 0.005);
    assert.equal(r.duration_days, Math.ceil(size.perArm.reduce((a, b) => a + b, 0) / 1200));
    // 10,000 units per arm at α 0.005 per comparison: the SciPy reference for one comparison.
    assert.equal(r.mde_at_units?.mde, conversionMinimumDetectableEffect({ ...design, baseline: 0.2, units: [10000, 10000, 10000] }));
    assert.ok(Math.abs(r.mde_at_units!.mde! - SCIPY_MDE_THREE_ARMS) <= 1e-9 * SCIPY_MDE_THREE_ARMS);
    // Without a correction each comparison keeps the whole α.
    const none = powerFromFlags({ baseline: "0.2", mde: "5%", arms: "3", alpha: "0.01", power: "0.9", correction: "none" });
    assert.deepEqual(
      none.sample_size.per_arm,
      conversionSampleSize({ ...design, correction: "none", baseline: 0.2, relativeMde: 0.05 }).perArm,
    );
    assert.ok(none.sample_size.total < r.sample_size.total);
  });

  test("the text names the correction the sizing assumed, and --metrics widens the family", () => {
    const one = exp(process.cwd(), ["power", "--baseline", "10%", "--mde", "10%"]);
    assert.equal(one.status, 0, one.stderr);
    assert.match(one.stdout, /^ {2}correction: bh \(the analysis' correction\), one test: alpha 0\.05$/m);
    const r = exp(process.cwd(), ["power", "--baseline", "10%", "--mde", "10%", "--arms", "3", "--metrics", "2", "--correction", "holm"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      /^ {2}correction: holm \(the analysis' correction\) over 2 comparisons × 2 metrics, sized as Bonferroni, a conservative bound for holm: alpha 0\.05 \/ 4 = 0\.0125 per comparison$/m,
    );
    const bad = exp(process.cwd(), ["power", "--baseline", "10%", "--mde", "10%", "--correction", "sidak"]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /--correction must be one of bh, holm, bonferroni, none, not "sidak"/);
  });

  test("the MDE for given units matches SciPy, and text shows duration", () => {
    const r = exp(process.cwd(), ["power", "--baseline", "0.1", "--mde", "0.1", "--units", "20000", "--daily-units", "1000"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /sample size per arm: 14749, 14749/);
    assert.match(r.stdout, /duration: 30 days at 1000 units\/day/);
    const j = powerFromFlags({ baseline: "0.1", mde: "0.1", units: "20000" });
    assert.ok(Math.abs(j.mde_at_units!.mde! - SCIPY_MDE_20000) <= 1e-9 * SCIPY_MDE_20000, String(j.mde_at_units!.mde));
  });

  test("a non-rate baseline needs --variance", () => {
    assert.throws(() => powerFromFlags({ baseline: "25", mde: "5%" }), /--variance is needed/);
    const r = powerFromFlags({ baseline: "25", mde: "5%", variance: "900" });
    assert.deepEqual(
      r.sample_size.per_arm,
      sampleSize({ mde: 1.25, variance: 900, alpha: 0.05, power: 0.8, shares: [1, 1], correction: "bh", metrics: 1 }).perArm,
    );
  });

  test("mistakes are clean errors with exit 1", () => {
    const r = exp(process.cwd(), ["power", "--baseline", "10%"]);
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /^error\[EXP9001\]: exp power needs an experiment, or --baseline and --mde\n  = help: e\.g\. exp power --baseline 5% --mde 3%\n$/,
    );
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    for (const [opts, message] of [
      [{ baseline: "10%", mde: "5%", alpha: "1.5" }, /--alpha must be above 0 and below 1/],
      [{ baseline: "ten", mde: "5%" }, /--baseline "ten" is not a number or a percentage/],
      [{ baseline: "10%", mde: "5%", arms: "1" }, /--arms must be at least 2/],
      [{ baseline: "10%", mde: "5%", arms: "2.5" }, /--arms must be a whole number above 0/],
      [{ baseline: "0", mde: "5%" }, /--baseline must not be 0/],
    ] as [Record<string, string>, RegExp][]) {
      assert.throws(
        () => powerFromFlags(opts),
        (err: unknown) => err instanceof ExpError && err.code === "EXP9001" && message.test(err.message),
        JSON.stringify(opts),
      );
    }
  });
});

describe("exp power for an experiment", () => {
  let dir: string;
  after(removeWorkspaces);
  const file = () => join(dir, "experiments", "ref_cuped.yaml");
  before(async () => {
    ({ dir } = await duckDbWorkspace("cuped"));
  });
  const withDesign = async (power: string) => {
    // The reference workspace declares a schedule; a design that brings its own replaces it.
    const keep = readFileSync(file(), "utf8").replace(/\npower:.*\n/, "\n");
    writeFileSync(file(), (power.includes("schedule:") ? keep.replace(/\nschedule:.*\n/, "\n") : keep) + `${power}\n`);
    const loaded = await loadWorkspace(dir);
    assert.ok(loaded.value, JSON.stringify(loaded.diagnostics));
    return loaded.value;
  };

  test("from the declared design: baseline, stddev, daily units and the MDE reachable by the end date", async () => {
    const ws = await withDesign(
      "power: { mde: 10%, daily_units: 500, baseline: 25, stddev: 30 }\nschedule: { start: 2026-12-01T00:00:00Z, end: 2026-12-29T00:00:00Z }",
    );
    const r = powerFromDesign(ws, ws.experiments.get("ref_cuped")!, new Date("2026-12-01T00:00:00Z"));
    // ref_cuped tests spend (primary) and purchase_conversion (secondary): bh over 2 metrics.
    const family = { correction: "bh" as const, metrics: 2 };
    const size = sampleSize({ mde: 2.5, variance: 900, alpha: 0.05, power: 0.8, shares: [50, 50], ...family });
    assert.equal(r.alpha_per_comparison, 0.025);
    assert.deepEqual(r.sample_size.per_arm, size.perArm);
    assert.equal(r.duration_days, Math.ceil((size.perArm[0]! + size.perArm[1]!) / 500));
    assert.equal(r.mde_at_units?.units, 500 * 28);
    const mde = minimumDetectableEffect({ variance: 900, alpha: 0.05, power: 0.8, units: [7000, 7000], ...family }) / 25;
    assert.ok(Math.abs(r.mde_at_units!.mde! - mde) <= 1e-12 * mde);
    const cli = exp(dir, ["power", "ref_cuped", "--format", "json"]);
    assert.equal(cli.status, 0, cli.stderr);
    assert.deepEqual(JSON.parse(cli.stdout).sample_size, r.sample_size);
  });

  test("a design without a baseline points at --from-warehouse", async () => {
    await withDesign("power: { mde: 10% }");
    const r = exp(dir, ["power", "ref_cuped"]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /declares no power\.baseline/);
    assert.match(r.stderr, /--from-warehouse/);
  });

  test("an unknown experiment gets a did-you-mean", () => {
    const r = exp(dir, ["power", "ref_cupd"]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /there is no experiment "ref_cupd"/);
    assert.match(r.stderr, /did you mean "ref_cuped"\?/);
  });

  test("from the warehouse: the primary metric over the look-back before exposure, pooled over arms", async () => {
    const ws = await withDesign("power: { mde: 10% }");
    const e = ws.experiments.get("ref_cuped")!;
    const r = await powerFromWarehouse(ws, e, { lookback: "7d" });
    assert.ok(r.value, JSON.stringify(r.diagnostics));
    const report = r.value;
    // Recomputed from the CSVs: spend = sum(purchase.revenue) over [first exposure − 7d, first exposure).
    const exposures = readCsv(readFileSync(join(REFERENCE, "cuped", "exposures.csv"), "utf8"));
    const events = readCsv(readFileSync(join(REFERENCE, "cuped", "events.csv"), "utf8"));
    const { units } = exposedUnits(exposures, "ref_cuped");
    const stats = sufficientStats(
      events,
      units,
      ["control", "treatment"],
      { metric: "spend", tier: "primary", kind: "sum", event: "purchase", field: "properties.revenue", cuped: true },
      14,
      7,
    );
    let n = 0,
      sum = 0,
      sumSq = 0;
    for (const s of Object.values(stats)) {
      assert.equal(s.kind, "cuped");
      if (s.kind !== "cuped") continue;
      n += s.n;
      sum += s.sumX;
      sumSq += s.sumX2;
    }
    const mean = sum / n;
    const variance = (sumSq - (sum * sum) / n) / (n - 1);
    assert.ok(Math.abs(report.baseline - mean) <= 1e-9 * mean, `${report.baseline} vs ${mean}`);
    assert.ok(Math.abs(report.variance - variance) <= 1e-9 * variance, `${report.variance} vs ${variance}`);
    assert.equal(report.mde_at_units?.units, units.size);
    assert.deepEqual(
      report.sample_size.per_arm,
      sampleSize({ mde: 0.1 * mean, variance, alpha: 0.05, power: 0.8, shares: [50, 50], correction: "bh", metrics: 2 }).perArm,
    );
    assert.ok(report.daily_units! > 0);
    const cli = exp(dir, ["power", "ref_cuped", "--from-warehouse", "--lookback", "7d", "--format", "json"]);
    assert.equal(cli.status, 0, cli.stderr);
    const j = JSON.parse(cli.stdout);
    assert.equal(j.source, "warehouse");
    assert.deepEqual(j.sample_size, report.sample_size);
  });
});
