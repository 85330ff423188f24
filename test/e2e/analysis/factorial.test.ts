// A multivariate experiment's factorial effects end to end: the 2 × 2 × 2 conversion design of
// test/stats/factorial-reference.py as warehouse tables, analysed by `exp analyze` on DuckDB and on a
// real PostgreSQL; every main effect and two-way interaction must equal statsmodels' HC2 contrasts
// of the same units (estimate and SE to 1e-9, p-values and interval bounds to 1e-7), and the report
// renders the section.
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

interface RefTerm {
  term: string;
  contrast: string;
  estimate: number;
  se: number;
  p_value: number;
  ci: [number, number];
}
const ref = JSON.parse(readFileSync("test/stats/factorial-reference.json", "utf8")) as {
  designs: { conversion_2x2x2: { factors: Record<string, string[]>; terms: RefTerm[] } };
};
const design = ref.designs.conversion_2x2x2;

const DATASET: ReferenceDataset = {
  name: "factorial",
  experiment: "button_factorial",
  phase: 1,
  design: {
    schedule: { start: "2026-11-01", end: "2026-11-20" },
    as_of: "2026-11-20T00:00:00Z",
    min_duration_days: 7,
    min_units_per_variant: 100,
  },
  control: "long_drawing_exact",
  variants: [],
  metrics: [{ metric: "purchase_conversion", tier: "primary", kind: "conversion", event: "purchase" }],
  runs: [{ method: "fixed", alpha: 0.05, correction: "none", srm_threshold: 0.001, window_days: 7, cuped_lookback_days: 14 }],
  expected: [],
};

/** The dataset's workspace with the experiment declared by its factors (the variants are their cells). */
function factorialWorkspace(): string {
  const dir = datasetWorkspace(DATASET);
  const factors = Object.entries(design.factors)
    .map(([f, levels]) => `  ${f}: [${levels.join(", ")}]`)
    .join("\n");
  writeFileSync(
    join(dir, "experiments", `${DATASET.experiment}.yaml`),
    `experiment: button_factorial
type: multivariate
status: running
unit: user
factors:
${factors}
control: long_drawing_exact
schedule: { start: 2026-11-01, end: 2026-11-20 }
metrics:
  primary: [purchase_conversion]
analysis: { method: fixed, alpha: 0.05, correction: none, cuped: false }
`,
  );
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "factorial experiment");
  return dir;
}

function checkTerms(json: string, where: string): void {
  const out = JSON.parse(json) as {
    factorial?: {
      factors: Record<string, string[]>;
      metrics: { metric: string; terms: (Omit<RefTerm, "ci"> & { ci: [number, number] })[] }[];
    };
  };
  assert.ok(out.factorial, `${where}: the result has a factorial section`);
  assert.deepEqual(out.factorial.factors, design.factors);
  const terms = out.factorial.metrics.find((m) => m.metric === "purchase_conversion")!.terms;
  assert.deepEqual(
    terms.map((t) => t.contrast),
    design.terms.map((t) => t.contrast),
  );
  const close = (a: number, b: number, rel: number, what: string) =>
    assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${where} ${what}: ${a} vs ${b}`);
  terms.forEach((t, i) => {
    const e = design.terms[i]!;
    close(t.estimate, e.estimate, 1e-9, `${e.contrast} estimate`);
    close(t.se, e.se, 1e-9, `${e.contrast} se`);
    close(t.p_value, e.p_value, 1e-7, `${e.contrast} p`);
    close(t.ci[0], e.ci[0], 1e-7, `${e.contrast} lower`);
    close(t.ci[1], e.ci[1], 1e-7, `${e.contrast} upper`);
  });
}

describe("factorial effects through exp analyze", () => {
  let cluster: PostgresCluster | undefined;
  let dir: string;
  let env: Record<string, string>;
  before(async () => {
    dir = factorialWorkspace();
    await loadDuckDb(join(dir, "warehouse.duckdb"), DATASET.name);
    cluster = await startPostgres();
    const url = await cluster.createDatabase("factorial");
    await loadPostgres(url, DATASET.name);
    env = { [PG_URL_ENV]: url };
  });
  after(async () => {
    removeWorkspaces();
    await cluster?.stop();
  });

  const analyze = (connection: string, format = "json") =>
    exp(dir, ["analyze", DATASET.experiment, "--format", format, "--as-of", DATASET.design.as_of, "--connection", connection], env);

  test("DuckDB: main effects and interactions equal statsmodels' on the same units", () => {
    const r = analyze("local");
    assert.equal(r.status, 0, r.stderr);
    checkTerms(r.stdout, "duckdb");
  });

  test("PostgreSQL: the same numbers", () => {
    const r = analyze("pg");
    assert.equal(r.status, 0, r.stderr);
    checkTerms(r.stdout, "postgres");
  });

  test("text and markdown show the factorial section, the planted copy effect significant", () => {
    const text = analyze("local", "text");
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /factorial effects \(fixed intervals\):/);
    assert.match(text.stdout, /purchase_conversion\s+copy\s+short vs long\s+\+0\.0\d+\s.*significant/);
    const md = analyze("local", "markdown");
    assert.equal(md.status, 0, md.stderr);
    assert.match(md.stdout, /### Factorial effects/);
    assert.match(md.stdout, /\| `purchase_conversion` \| copy × image \| \(short vs long\) × \(photo vs drawing\) \|/);
  });
});
