// An interleaving experiment end to end: the sessions, lists and clicks of
// test/stats/interleaving-reference.py as warehouse tables, analysed by `exp analyze` on DuckDB and on
// a real PostgreSQL. The counts (wins, ties, sessions without clicks, credited clicks) must equal the
// script's plain-Python credit exactly, and the p-value and the exact share interval scipy's binomtest
// to 1e-9 relative (the incomplete beta behind both is accurate to ~1e-14; 1e-9 leaves room for the
// tail p-value of 6e-18, summed over binomial terms in a different order). The report renders the section.
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

const ref = JSON.parse(readFileSync("test/stats/interleaving-reference.json", "utf8")) as {
  experiment: string;
  rankers: [string, string];
  as_of: string;
  result: Record<string, number | [number, number]>;
};

const DATASET: ReferenceDataset = {
  name: "interleaving",
  experiment: ref.experiment,
  phase: 1,
  design: { schedule: { start: "2026-11-01", end: "2026-11-30" }, as_of: ref.as_of, min_duration_days: 7, min_units_per_variant: 100 },
  control: ref.rankers[0],
  variants: [],
  metrics: [{ metric: "page_views", tier: "primary", kind: "count", event: "page_view" }],
  runs: [{ method: "fixed", alpha: 0.05, correction: "none", srm_threshold: 0.001, window_days: 7, cuped_lookback_days: 14 }],
  expected: [],
};

function interleavingWorkspace(): string {
  const dir = datasetWorkspace(DATASET);
  const expYaml = readFileSync(join(dir, "exp.yaml"), "utf8")
    .replace("units: [user]", "units: [user, session]")
    .replace("events:\n", "events:\n  recommendation_click: { item_id: string, position: number }\n");
  writeFileSync(join(dir, "exp.yaml"), expYaml);
  writeFileSync(join(dir, "metrics", "page_views.yaml"), "metric: page_views\nunit: session\nexpr: count(page_view)\n");
  writeFileSync(
    join(dir, "experiments", `${DATASET.experiment}.yaml`),
    `experiment: ${DATASET.experiment}
type: interleaving
status: running
unit: session
rankers: [${ref.rankers.join(", ")}]
method: team_draft
click_event: recommendation_click
item_property: item_id
schedule: { start: 2026-11-01, end: 2026-11-30 }
metrics:
  primary: [page_views]
analysis: { method: fixed, alpha: 0.05, correction: none, cuped: false }
`,
  );
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "interleaving experiment");
  return dir;
}

function checkPreference(json: string, where: string): void {
  const out = JSON.parse(json) as { interleaving?: Record<string, unknown> };
  const il = out.interleaving;
  assert.ok(il, `${where}: the result has an interleaving section`);
  const e = ref.result;
  for (const k of ["wins_a", "wins_b", "ties", "no_clicks", "clicks_a", "clicks_b"]) assert.equal(il[k], e[k], `${where} ${k}`);
  const close = (a: unknown, b: unknown, rel: number, what: string) =>
    assert.ok(Math.abs((a as number) - (b as number)) <= rel * Math.abs(b as number), `${where} ${what}: ${a} vs ${b}`);
  close(il.share_a, e.share_a, 1e-15, "share");
  close(il.delta_with_ties, e.delta_with_ties, 1e-15, "delta with ties");
  close(il.p_value, e.p_value, 1e-9, "p-value");
  close((il.share_a_ci as number[])[0], (e.share_a_ci as number[])[0], 1e-9, "share lower");
  close((il.share_a_ci as number[])[1], (e.share_a_ci as number[])[1], 1e-9, "share upper");
  assert.equal(il.winner, ref.rankers[1]);
}

describe("interleaving preference through exp analyze", () => {
  let cluster: PostgresCluster | undefined;
  let dir: string;
  let env: Record<string, string>;
  before(async () => {
    dir = interleavingWorkspace();
    await loadDuckDb(join(dir, "warehouse.duckdb"), DATASET.name);
    cluster = await startPostgres();
    const url = await cluster.createDatabase("interleaving");
    await loadPostgres(url, DATASET.name);
    env = { [PG_URL_ENV]: url };
  });
  after(async () => {
    removeWorkspaces();
    await cluster?.stop();
  });

  const analyze = (connection: string, format = "json") =>
    exp(dir, ["analyze", DATASET.experiment, "--format", format, "--as-of", DATASET.design.as_of, "--connection", connection], env);

  test("DuckDB: wins, ties and the sign test equal the reference's", () => {
    const r = analyze("local");
    assert.equal(r.status, 0, r.stderr);
    checkPreference(r.stdout, "duckdb");
  });

  test("PostgreSQL: the same numbers", () => {
    const r = analyze("pg");
    assert.equal(r.status, 0, r.stderr);
    checkPreference(r.stdout, "postgres");
  });

  test("text and markdown show the interleaving section with the preferred ranker", () => {
    const text = analyze("local", "text");
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /interleaving \(team_draft\): two_tower preferred/);
    const md = analyze("local", "markdown");
    assert.equal(md.status, 0, md.stderr);
    assert.match(md.stdout, /### Interleaving/);
  });
});
