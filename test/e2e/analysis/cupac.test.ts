// Regression adjustment on several covariates end to end: the dataset of test/stats/cupac-reference.py
// as warehouse tables, a revenue metric with `cuped: { covariates: [page_views, orders] }`, analysed by
// `exp analyze` on DuckDB and on a real PostgreSQL. Each variant's adjusted effect must equal
// statsmodels' OLS treatment coefficient on the same users (estimate and SE to 1e-9, p-values and
// interval bounds to 1e-9: the SQL sums are exact in doubles at this size, so only the order of
// summation differs), and the text, markdown and report name the covariates and the variance reduction.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { bothWarehouses, datasetWorkspace, removeWorkspaces, type ReferenceDataset } from "../../analysis/reference-workspace.js";
import { git } from "../../helpers/workspace.js";

const ref = JSON.parse(readFileSync("test/stats/cupac-reference.json", "utf8")) as {
  experiment: string;
  covariates: string[];
  units: Record<string, number>;
  theta: number[];
  variance_reduction: number;
  first_covariate_reduction: number;
  comparisons: { variant: string; diff: number; se: number; p_value: number; ci: [number, number]; unadjusted_diff: number }[];
  with_attribute: {
    covariates: string[];
    theta: number[];
    variance_reduction: number;
    comparisons: { variant: string; diff: number; se: number; p_value: number; ci: [number, number] }[];
  };
};

const DATASET: ReferenceDataset = {
  name: "cupac",
  experiment: ref.experiment,
  phase: 1,
  design: {
    schedule: { start: "2026-11-01", end: "2026-11-20" },
    as_of: "2026-11-20T00:00:00Z",
    min_duration_days: 7,
    min_units_per_variant: 100,
  },
  control: "control",
  variants: Object.keys(ref.units).map((key) => ({ key, weight: 1 })),
  metrics: [
    { metric: "revenue", tier: "primary", kind: "sum", event: "purchase", field: "value" },
    { metric: "revenue_by_age", tier: "secondary", kind: "sum", event: "purchase", field: "value" },
  ],
  runs: [{ method: "fixed", alpha: 0.05, correction: "none", srm_threshold: 0.001, window_days: 7, cuped_lookback_days: 14 }],
  expected: [],
};

/** The dataset's workspace with the revenue metric adjusted on two other metrics' pre-period values. */
function cupacWorkspace(): string {
  const dir = datasetWorkspace(DATASET);
  const metric = (file: string, text: string) => writeFileSync(join(dir, "metrics", `${file}.yaml`), text);
  metric("revenue", "metric: revenue\nexpr: sum(purchase.value)\ncuped: { covariates: [page_views, orders] }\n");
  metric("page_views", "metric: page_views\nexpr: count(page_view)\n");
  metric("orders", "metric: orders\nexpr: count(purchase)\n");
  // The same revenue, also adjusted on the account age recorded with the first exposure.
  metric(
    "revenue_by_age",
    "metric: revenue_by_age\nexpr: sum(purchase.value)\ncuped: { covariates: [page_views, orders, {attribute: account_age_days}] }\n",
  );
  const exp = readFileSync(join(dir, "exp.yaml"), "utf8");
  const declared = exp.replace("attributes:\n  country: string\n", "attributes:\n  country: string\n  account_age_days: number\n");
  assert.notEqual(declared, exp, "the reference exp.yaml declares attributes to add to");
  writeFileSync(join(dir, "exp.yaml"), declared);
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "revenue adjusted on page views and orders");
  return dir;
}

interface CupedOut {
  applied: boolean;
  variance_reduction: number;
  single_covariate_reduction: number;
  covariates: { covariate: string; theta: number; used: boolean }[];
  unadjusted: { diff: number };
}

function checkRevenue(json: string, where: string): void {
  const out = JSON.parse(json) as {
    metrics: { metric: string; variants: Record<string, { n: number }>; comparisons: (Record<string, unknown> & { cuped: CupedOut })[] }[];
  };
  const revenue = out.metrics.find((m) => m.metric === "revenue")!;
  assert.deepEqual(Object.fromEntries(Object.entries(revenue.variants).map(([v, s]) => [v, s.n])), ref.units);
  const close = (a: number, b: number, rel: number, what: string) =>
    assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${where} ${what}: ${a} vs ${b}`);
  for (const e of ref.comparisons) {
    const c = revenue.comparisons.find((x) => x["variant"] === e.variant)!;
    assert.equal(c["code"], "OK");
    assert.equal(c.cuped.applied, true);
    assert.deepEqual(
      c.cuped.covariates.map((x) => x.covariate),
      ref.covariates,
    );
    c.cuped.covariates.forEach((x, j) => close(x.theta, ref.theta[j]!, 1e-9, `θ ${x.covariate}`));
    close(c.cuped.variance_reduction, ref.variance_reduction, 1e-9, "variance reduction");
    close(c.cuped.single_covariate_reduction, ref.first_covariate_reduction, 1e-9, "own pre-period alone");
    close(c["diff"] as number, e.diff, 1e-9, `${e.variant} diff`);
    const [lo, hi] = c["diff_ci"] as [number, number];
    close(lo, e.ci[0], 1e-9, `${e.variant} lower`);
    close(hi, e.ci[1], 1e-9, `${e.variant} upper`);
    close((hi - lo) / 2, e.ci[1] - e.diff, 1e-9, `${e.variant} half-width (SE × t quantile)`);
    close(c["p_value"] as number, e.p_value, 1e-9, `${e.variant} p`);
    close(c.cuped.unadjusted.diff, e.unadjusted_diff, 1e-9, `${e.variant} unadjusted diff`);
  }
  // With the exposure attribute: its value and its missing indicator join the covariates.
  const byAge = out.metrics.find((m) => m.metric === "revenue_by_age")!;
  const a = ref.with_attribute;
  for (const e of a.comparisons) {
    const c = byAge.comparisons.find((x) => x["variant"] === e.variant)!;
    assert.equal(c["code"], "OK");
    assert.deepEqual(
      c.cuped.covariates.map((x) => [x.covariate, x.used]),
      // The own pre-period is named after the metric.
      a.covariates.map((name, j) => [j === 0 ? "revenue_by_age" : name, true]),
    );
    c.cuped.covariates.forEach((x, j) => close(x.theta, a.theta[j]!, 1e-9, `θ ${x.covariate}`));
    close(c.cuped.variance_reduction, a.variance_reduction, 1e-9, "variance reduction with the attribute");
    close(c["diff"] as number, e.diff, 1e-9, `${e.variant} diff with the attribute`);
    const [lo, hi] = c["diff_ci"] as [number, number];
    close(lo, e.ci[0], 1e-9, `${e.variant} lower with the attribute`);
    close(hi, e.ci[1], 1e-9, `${e.variant} upper with the attribute`);
    close(c["p_value"] as number, e.p_value, 1e-9, `${e.variant} p with the attribute`);
  }
}

describe("CUPED on several covariates through exp analyze", () => {
  let warehouses: Awaited<ReturnType<typeof bothWarehouses>> | undefined;
  before(async () => {
    warehouses = await bothWarehouses(cupacWorkspace(), DATASET);
  });
  after(async () => {
    removeWorkspaces();
    await warehouses?.stop();
  });
  const analyze = (connection: "local" | "pg", format = "json") => warehouses!.analyze(connection, format);

  test("DuckDB: effects, θ and variance reduction equal statsmodels' OLS on the same users", () => {
    const r = analyze("local");
    assert.equal(r.status, 0, r.stderr);
    checkRevenue(r.stdout, "duckdb");
  });

  test("PostgreSQL: the same numbers", () => {
    const r = analyze("pg");
    assert.equal(r.status, 0, r.stderr);
    checkRevenue(r.stdout, "postgres");
  });

  test("text, markdown and the report name the covariates and the variance reduction", () => {
    const reduction = `${(ref.variance_reduction * 100).toFixed(1)}%`;
    const own = `${(ref.first_covariate_reduction * 100).toFixed(1)}%`;
    const text = analyze("local", "text");
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /CUPED on several covariates:/);
    assert.ok(
      text.stdout.includes(`revenue: variance reduced by ${reduction} (own pre-period alone ${own}); covariates revenue (own) θ`),
      text.stdout,
    );
    const md = analyze("local", "markdown");
    assert.equal(md.status, 0, md.stderr);
    assert.match(md.stdout, /### CUPED on several covariates/);
    assert.ok(md.stdout.includes(`| \`revenue\` | revenue (own) θ `), md.stdout);
    const report = warehouses!.report();
    assert.equal(report.status, 0, report.stderr);
    const written = readFileSync(join(warehouses!.dir, "reports", DATASET.experiment, "2026-11-20.md"), "utf8");
    assert.match(written, /### CUPED on several covariates/);
    assert.ok(written.includes(`| ${reduction} | ${own} |`), written);
    assert.ok(written.includes(`CUPED on 3 covariates, variance reduced by ${reduction}`), written);
  });
});
