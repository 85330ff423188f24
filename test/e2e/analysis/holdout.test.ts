// `exp analyze --holdout` end to end: the users of test/stats/holdout-reference.py as warehouse tables,
// analysed on DuckDB and on a real PostgreSQL. The SQL's holdout membership must give exactly the group
// sizes of the script's independent MurmurHash3, and the comparison must equal SciPy's Welch test and
// statsmodels' interval (difference to 1e-12: the same 0/1 sums; p-value and bounds to 1e-9).
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { bothWarehouses, datasetWorkspace, removeWorkspaces, type ReferenceDataset } from "../../analysis/reference-workspace.js";
import { git } from "../../helpers/workspace.js";

const ref = JSON.parse(readFileSync("test/stats/holdout-reference.json", "utf8")) as {
  holdout: string;
  as_of: string;
  units: Record<string, number>;
  means: Record<string, number>;
  diff: number;
  p_value: number;
  ci: [number, number];
  srm_p_value: number;
};

const DATASET: ReferenceDataset = {
  name: "holdout",
  experiment: "probe",
  phase: 1,
  design: { schedule: { start: "2026-11-01", end: "2026-11-20" }, as_of: ref.as_of, min_duration_days: 7, min_units_per_variant: 100 },
  control: "control",
  variants: [
    { key: "control", weight: 1 },
    { key: "treatment", weight: 1 },
  ],
  metrics: [{ metric: "purchase_conversion", tier: "primary", kind: "conversion", event: "purchase" }],
  runs: [{ method: "fixed", alpha: 0.05, correction: "none", srm_threshold: 0.001, window_days: 7, cuped_lookback_days: 14 }],
  expected: [],
};

function holdoutWorkspace(): string {
  const dir = datasetWorkspace(DATASET);
  writeFileSync(join(dir, "layers.yaml"), `layers: {}\nholdouts:\n  ${ref.holdout}: {traffic: 10%}\n`);
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "a 10% holdout");
  return dir;
}

function check(json: string, where: string): void {
  const out = JSON.parse(json) as {
    experiment: string;
    units: Record<string, number>;
    srm: { p_value: number };
    holdout: {
      key: string;
      traffic: number;
      population: { since: string | null; as_of: string | null };
      units: Record<string, number>;
      metrics: string[];
    };
    metrics: {
      metric: string;
      variants: Record<string, { mean: number }>;
      comparisons: { variant: string; diff: number; diff_ci: [number, number]; p_value: number }[];
    }[];
  };
  assert.equal(out.experiment, `holdout-${ref.holdout}`);
  assert.deepEqual(out.units, ref.units, `${where}: the SQL's holdout membership`);
  assert.deepEqual(
    {
      ...out.holdout,
      population: { since: out.holdout.population.since },
      units: [out.holdout.units["holdout"], out.holdout.units["everyone_else"]],
    },
    {
      key: ref.holdout,
      traffic: 0.1,
      population: { since: null },
      units: [ref.units["holdout"], ref.units["everyone_else"]],
      metrics: ["purchase_conversion"],
    },
    `${where}: the holdout field says what was compared`,
  );
  const close = (a: number, b: number, rel: number, what: string) =>
    assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${where} ${what}: ${a} vs ${b}`);
  const m = out.metrics.find((x) => x.metric === "purchase_conversion")!;
  close(m.variants["holdout"]!.mean, ref.means["holdout"]!, 1e-12, "holdout mean");
  const c = m.comparisons.find((x) => x.variant === "everyone_else")!;
  close(c.diff, ref.diff, 1e-12, "difference");
  close(c.p_value, ref.p_value, 1e-9, "p-value");
  close(c.diff_ci[0], ref.ci[0], 1e-9, "lower");
  close(c.diff_ci[1], ref.ci[1], 1e-9, "upper");
  close(out.srm.p_value, ref.srm_p_value, 1e-9, "SRM p-value");
}

describe("holdout analysis through exp analyze --holdout", () => {
  let warehouses: Awaited<ReturnType<typeof bothWarehouses>> | undefined;
  before(async () => {
    warehouses = await bothWarehouses(holdoutWorkspace(), DATASET);
  });
  after(async () => {
    removeWorkspaces();
    await warehouses?.stop();
  });
  const analyze = (connection: "local" | "pg") =>
    warehouses!.analyze(connection, "json", ["--holdout", ref.holdout, "--metrics", "purchase_conversion"]);

  test("DuckDB: membership, SRM and the comparison equal the reference", () => {
    const r = analyze("local");
    assert.equal(r.status, 0, r.stderr);
    check(r.stdout, "duckdb");
  });

  test("the text view states what was compared and gives no ship or roll-back decision", () => {
    const r = warehouses!.analyze("local", "text", ["--holdout", ref.holdout, "--metrics", "purchase_conversion"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      new RegExp(
        `^Units in holdout ${ref.holdout} \\(10% of traffic, never enrolled in experiments or rollouts that honour holdouts\\) vs everyone else: the cumulative effect of what shipped\\.$`,
        "m",
      ),
    );
    assert.match(
      r.stdout,
      /^decision: none: a holdout measures what shipped, there is nothing to ship or roll back\n {2}- what shipping did to purchase_conversion: /m,
    );
    assert.match(r.stdout, /^ {2}caveat: No CUPED/m);
  });

  test("PostgreSQL: the same numbers", () => {
    const r = analyze("pg");
    assert.equal(r.status, 0, r.stderr);
    check(r.stdout, "postgres");
  });
});
