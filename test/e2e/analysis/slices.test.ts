// Dimension breakdowns and the fairness guardrail end to end: the data of test/stats/slices-reference.py as warehouse tables,
// analysed by `exp analyze` on DuckDB and on a real PostgreSQL with `analysis.dimensions: [platform]`;
// every slice's effect, SRM and corrected p-value, and Cochran's Q and I² across the slices, must
// equal SciPy's and statsmodels' on the same units (differences and SEs to 1e-9 relative; p-values
// and interval bounds to 1e-7, the t quantile's accuracy), and the text view shows the section. The
// fairness guardrail on age_band (10% margin) must find the planted harm to the 55+ group with the
// reference's disparities (1e-9; normal quantiles only) and parity differences (exact ratios of counts),
// and the decision must roll back.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  datasetWorkspace,
  loadDuckDb,
  loadPostgres,
  PG_URL_ENV,
  removeWorkspaces,
  type ReferenceDataset,
} from "../../analysis/reference-workspace.js";
import { startPostgres, type PostgresCluster } from "../../helpers/postgres.js";
import { exp, git } from "../../helpers/workspace.js";

interface RefComparison {
  diff: number;
  se: number;
  diff_ci: [number, number];
  p_value: number;
  p_value_adjusted: number;
  rel_lift: number;
  rel_ci: [number, number];
}
interface RefSlice {
  slice: string;
  units: Record<string, number>;
  srm: { chi2: number; p_value: number };
  metrics: Record<string, RefComparison>;
}
interface RefDimension {
  dimension: string;
  slices: RefSlice[];
  heterogeneity: Record<string, { q: number; df: number; p_value: number; i2: number; pooled: number }>;
}
interface RefFairness {
  groups: {
    group: string;
    units: number;
    metrics: Record<
      string,
      { status: string; rel_lift: number; others_rel_lift: number; disparity: number; disparity_ci: [number, number] }
    >;
  }[];
  labels: Record<string, { demographic_parity_difference: number; equalized_odds_difference: number }>;
}
const ref = JSON.parse(readFileSync("test/stats/slices-reference.json", "utf8")) as { dimensions: RefDimension[]; fairness: RefFairness };

const FAIRNESS =
  "\nfairness: { attribute: age_band, metrics: [purchase_conversion], max_disparity: 10%, labels: { click_rate: purchase_conversion } }";

export const SLICES_DATASET: ReferenceDataset = {
  name: "slices",
  experiment: "checkout_slices",
  phase: 1,
  design: {
    schedule: { start: "2026-11-01", end: "2026-11-30" },
    as_of: "2026-11-30T00:00:00Z",
    min_duration_days: 7,
    min_units_per_variant: 100,
  },
  control: "control",
  variants: [
    { key: "control", weight: 50 },
    { key: "treatment", weight: 50 },
  ],
  metrics: [
    { metric: "purchase_conversion", tier: "primary", kind: "conversion", event: "purchase", cuped: false },
    { metric: "revenue_per_user", tier: "secondary", kind: "sum", event: "purchase", field: "properties.revenue", cuped: false },
    { metric: "click_rate", tier: "secondary", kind: "conversion", event: "click", cuped: false },
  ],
  runs: [{ method: "fixed", alpha: 0.05, correction: "bh", srm_threshold: 0.001, window_days: 14, cuped_lookback_days: 14 }],
  expected: [],
};

/** The dataset's workspace, with the attributes declared and the experiment broken down by platform. */
export function slicesWorkspace(extra = ""): string {
  const dir = datasetWorkspace(SLICES_DATASET);
  const expYaml = readFileSync(join(dir, "exp.yaml"), "utf8").replace(
    "attributes:\n  country: string",
    "attributes:\n  country: string\n  platform: string\n  age_band: string",
  );
  writeFileSync(join(dir, "exp.yaml"), expYaml);
  const experiment = join(dir, "experiments", "checkout_slices.yaml");
  writeFileSync(
    experiment,
    readFileSync(experiment, "utf8").replace(
      /analysis: \{([^}]*)\}/,
      (_, inner: string) => `analysis: {${inner.replace("cuped: true", "cuped: false")}, dimensions: [platform]}${extra}`,
    ),
  );
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "dimensions");
  return dir;
}

interface OutComparison extends Omit<RefComparison, "rel_lift"> {
  variant: string;
  rel_lift: number;
}

const close = (where: string, a: number, b: number, rel: number, what: string) =>
  assert.ok(Math.abs(a - b) <= rel * Math.abs(b) + 1e-15, `${where} ${what}: ${a} vs ${b}`);

function checkFairness(json: string, where: string): void {
  const out = JSON.parse(json) as {
    fairness?: {
      breached: boolean;
      groups: { group: string; units: number }[];
      metrics: {
        metric: string;
        variants: {
          variant: string;
          status: string;
          groups: {
            group: string;
            status: string;
            rel_lift: number;
            others_rel_lift: number;
            disparity: number;
            disparity_ci: [number, number];
          }[];
        }[];
      }[];
      labels: {
        outcome: string;
        label: string;
        variants: Record<string, { demographic_parity_difference: number; equalized_odds_difference: number }>;
      }[];
    };
    decision: { recommendation: string; reasons: string[] };
  };
  const f = out.fairness;
  assert.ok(f, `${where}: the result has a fairness section`);
  assert.deepEqual(
    f.groups,
    ref.fairness.groups.map((g) => ({
      group: g.group,
      units: g.units,
      ...(g.group.includes("(other)") ? { merged: ["55+", "90+"] } : {}),
    })),
  );
  const groups = f.metrics.find((m) => m.metric === "purchase_conversion")!.variants[0]!.groups;
  groups.forEach((g, i) => {
    const e = ref.fairness.groups[i]!.metrics["purchase_conversion"]!;
    assert.equal(g.status, e.status, `${where} ${g.group} status`);
    close(where, g.rel_lift, e.rel_lift, 1e-9, `${g.group} lift`);
    close(where, g.others_rel_lift, e.others_rel_lift, 1e-9, `${g.group} others' lift`);
    close(where, g.disparity, e.disparity, 1e-9, `${g.group} disparity`);
    close(where, g.disparity_ci[0], e.disparity_ci[0], 1e-9, `${g.group} disparity lower`);
    close(where, g.disparity_ci[1], e.disparity_ci[1], 1e-9, `${g.group} disparity upper`);
  });
  assert.equal(f.breached, true);
  const labels = f.labels.find((l) => l.outcome === "click_rate" && l.label === "purchase_conversion")!;
  for (const [variant, e] of Object.entries(ref.fairness.labels)) {
    close(where, labels.variants[variant]!.demographic_parity_difference, e.demographic_parity_difference, 1e-12, `${variant} DP`);
    close(where, labels.variants[variant]!.equalized_odds_difference, e.equalized_odds_difference, 1e-12, `${variant} EO`);
  }
  assert.equal(out.decision.recommendation, "rollback");
  assert.ok(
    out.decision.reasons.some((r) => /Fairness guardrail on "age_band".*"55\+ \+ \(other\)"/.test(r)),
    out.decision.reasons.join(" "),
  );
}

function checkDimension(json: string, where: string): void {
  const out = JSON.parse(json) as {
    dimensions?: {
      dimension: string;
      slices: {
        slice: string;
        units: Record<string, number>;
        srm: { chi2: number; p_value: number };
        metrics: { metric: string; comparisons: OutComparison[] }[];
      }[];
      heterogeneity: { metric: string; variant: string; q: number; df: number; p_value: number; i2: number; pooled: number }[];
    }[];
  };
  const expected = ref.dimensions[0]!;
  const got = out.dimensions?.find((d) => d.dimension === expected.dimension);
  assert.ok(got, `${where}: the result breaks the experiment down by ${expected.dimension}`);
  assert.deepEqual(
    got.slices.map((s) => s.slice),
    expected.slices.map((s) => s.slice),
  );
  const near = (a: number, b: number, rel: number, what: string) => close(where, a, b, rel, what);
  got.slices.forEach((s, i) => {
    const e = expected.slices[i]!;
    assert.deepEqual(s.units, e.units, `${where} ${e.slice} units`);
    near(s.srm.chi2, e.srm.chi2, 1e-9, `${e.slice} SRM chi2`);
    near(s.srm.p_value, e.srm.p_value, 1e-9, `${e.slice} SRM p`);
    for (const [metric, r] of Object.entries(e.metrics)) {
      const c = s.metrics.find((m) => m.metric === metric)!.comparisons[0]!;
      const at = `${e.slice} ${metric}`;
      near(c.diff, r.diff, 1e-9, `${at} diff`);
      near(c.se, r.se, 1e-9, `${at} se`);
      near(c.rel_lift, r.rel_lift, 1e-9, `${at} rel_lift`);
      near(c.p_value, r.p_value, 1e-7, `${at} p`);
      near(c.p_value_adjusted, r.p_value_adjusted, 1e-7, `${at} adjusted p`);
      near(c.diff_ci[0], r.diff_ci[0], 1e-7, `${at} lower`);
      near(c.diff_ci[1], r.diff_ci[1], 1e-7, `${at} upper`);
      near(c.rel_ci[0], r.rel_ci[0], 1e-9, `${at} relative lower`);
      near(c.rel_ci[1], r.rel_ci[1], 1e-9, `${at} relative upper`);
    }
  });
  for (const [metric, h] of Object.entries(expected.heterogeneity)) {
    const g: { df: number; q: number; p_value: number; i2: number; pooled: number } | undefined = got.heterogeneity.find(
      (x) => x.metric === metric,
    );
    assert.ok(g, `${where} ${metric} heterogeneity`);
    assert.equal(g.df, h.df, `${where} ${metric} df`);
    near(g.q, h.q, 1e-9, `${metric} Q`);
    near(g.p_value, h.p_value, 1e-9, `${metric} Q p`);
    near(g.i2, h.i2, 1e-9, `${metric} I2`);
    near(g.pooled, h.pooled, 1e-9, `${metric} pooled`);
  }
}

describe("dimension breakdowns and the fairness guardrail through exp analyze", () => {
  let cluster: PostgresCluster | undefined;
  let dir: string;
  let env: Record<string, string>;
  before(async () => {
    dir = slicesWorkspace(FAIRNESS);
    await loadDuckDb(join(dir, "warehouse.duckdb"), SLICES_DATASET.name);
    cluster = await startPostgres();
    const url = await cluster.createDatabase("slices");
    await loadPostgres(url, SLICES_DATASET.name);
    env = { [PG_URL_ENV]: url };
  });
  after(async () => {
    removeWorkspaces();
    await cluster?.stop();
  });

  const analyze = (connection: string, format = "json", more: string[] = []) =>
    exp(
      dir,
      [
        "analyze",
        SLICES_DATASET.experiment,
        "--format",
        format,
        "--as-of",
        SLICES_DATASET.design.as_of,
        "--connection",
        connection,
        ...more,
      ],
      env,
    );

  test("DuckDB: per-slice effects, SRM, corrected p-values, Cochran's Q and the fairness disparities equal the reference; the harmed group rolls back", () => {
    const r = analyze("local");
    assert.equal(r.status, 0, r.stderr);
    checkDimension(r.stdout, "duckdb");
    checkFairness(r.stdout, "duckdb");
  });

  test("PostgreSQL: the same numbers", () => {
    const r = analyze("pg");
    assert.equal(r.status, 0, r.stderr);
    checkDimension(r.stdout, "postgres");
    checkFairness(r.stdout, "postgres");
  });

  test("text and markdown flag the planted heterogeneity and the fairness breach; --dimension picks another attribute and refuses an undeclared one", () => {
    const text = analyze("local", "text");
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /heterogeneity across slices/);
    assert.match(text.stdout, /platform\s+purchase_conversion\s+treatment\s+3\s+8\.34\s+0\.0154\s+76%\s+DIFFERS/);
    assert.match(text.stdout, /fairness on age_band \(max disparity 10\.00%\): BREACHED/);
    assert.match(text.stdout, /demographic parity difference/);
    const md = analyze("local", "markdown");
    assert.equal(md.status, 0, md.stderr);
    assert.match(md.stdout, /### Dimensions/);
    assert.match(md.stdout, /### Fairness/);
    assert.match(md.stdout, /\| `purchase_conversion` \| treatment \| 55\+ \+ \(other\) \|.*🚨 breached/);
    const byAge = analyze("local", "json", ["--dimension", "age_band"]);
    assert.equal(byAge.status, 0, byAge.stderr);
    const dims = (JSON.parse(byAge.stdout) as { dimensions: { dimension: string }[] }).dimensions;
    assert.deepEqual(
      dims.map((d) => d.dimension),
      ["age_band"],
    );
    const wrong = analyze("local", "json", ["--dimension", "platfrom"]);
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /EXP3050/);
    assert.match(wrong.stderr, /"platfrom"/);
    assert.match(wrong.stderr, /platform/);
  });
});
