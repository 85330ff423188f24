// Off-policy evaluation end to end: the 2,000 logged decisions of test/stats/off-policy-reference.py
// (plus three invalid rows) as a warehouse table, evaluated by `exp evaluate` on DuckDB and on a real
// PostgreSQL, without clipping and with weights clipped at 5. Every estimate, interval, difference and
// weight diagnostic must equal numpy's per-decision computation to 1e-9 relative: the warehouse returns
// sums, whose order of summation and one-pass variances (Σx² − (Σx)²/n over terms of order 1 to 30)
// cost a few digits against numpy's two-pass ones; 1e-9 leaves room for that and nothing more.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import pg from "pg";
import { readCsv } from "../../stats/csv.js";
import { assertMatchesReference, OFF_POLICY_REFERENCE as ref } from "../../stats/off-policy-reference.js";
import { startPostgres, type PostgresCluster } from "../../helpers/postgres.js";
import { exp, git } from "../../helpers/workspace.js";

const CSV = new URL("../../reference/off-policy/decisions.csv", import.meta.url).pathname;
const PG_URL_ENV = "EXP_E2E_PG_URL";
const NUMBERS = ["logging_propensity", "target_propensity", "reward", "reward_estimate", "target_estimate"];

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "exp-e2e-off-policy-"));
  writeFileSync(
    join(dir, "exp.yaml"),
    `version: 1
project: off_policy
units: [user]
warehouse:
  default: local
  connections:
    local: { type: duckdb, path: warehouse.duckdb }
    pg: { type: postgres, url: "env:${PG_URL_ENV}" }
  tables: { exposures: exposures, events: events }
defaults: { alpha: ${ref.alpha} }
`,
  );
  mkdirSync(join(dir, "evaluations"));
  const evaluation = (key: string, extra: string, table = "decisions") =>
    writeFileSync(
      join(dir, "evaluations", `${key}.yaml`),
      `evaluation: ${key}
table: ${table}
columns: { reward_estimate: reward_estimate, target_estimate: target_estimate }
propensity_floor: ${ref.propensity_floor}
${extra}`,
    );
  evaluation("unclipped", "");
  evaluation("clip_5", "clip: 5\n");
  // The same decisions with the reward as a boolean column: the same figures as unclipped.
  evaluation("boolean_reward", "", "decisions_bool");
  writeFileSync(join(dir, ".gitignore"), "warehouse.duckdb\nwarehouse.duckdb.wal\n.exp/\n");
  git(dir, "init", "-q");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "evaluations");
  return dir;
}

async function loadDuckDb(file: string): Promise<void> {
  const instance = await DuckDBInstance.create(file);
  const db = await instance.connect();
  const casts = NUMBERS.map((c) => `CAST(NULLIF(${c}, '') AS DOUBLE) AS ${c}`).join(", ");
  await db.run(
    `CREATE TABLE decisions AS SELECT unit_id, context_id, action, ${casts} FROM read_csv('${CSV}', header = true, all_varchar = true)`,
  );
  await db.run("CREATE TABLE decisions_bool AS SELECT * REPLACE (CAST(reward AS BOOLEAN) AS reward) FROM decisions");
  db.closeSync();
  instance.closeSync();
}

async function loadPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `CREATE TABLE decisions (unit_id TEXT, context_id TEXT, action TEXT, ${NUMBERS.map((c) => `${c} DOUBLE PRECISION`).join(", ")})`,
    );
    const rows = readCsv(readFileSync(CSV, "utf8"));
    const cols = ["unit_id", "context_id", "action", ...NUMBERS];
    await client.query(
      `INSERT INTO decisions SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[])`,
      cols.map((c) => rows.map((r) => (r[c] === "" || r[c] === undefined ? null : r[c]))),
    );
    await client.query(
      `CREATE TABLE decisions_bool AS SELECT unit_id, context_id, action, logging_propensity, target_propensity,
         CAST(CAST(reward AS INTEGER) AS BOOLEAN) AS reward, reward_estimate, target_estimate FROM decisions`,
    );
  } finally {
    await client.end();
  }
}

describe("off-policy evaluation through exp evaluate", () => {
  let cluster: PostgresCluster | undefined;
  let dir: string;
  let env: Record<string, string>;
  before(async () => {
    dir = workspace();
    await loadDuckDb(join(dir, "warehouse.duckdb"));
    cluster = await startPostgres();
    const url = await cluster.createDatabase("off_policy");
    await loadPostgres(url);
    env = { [PG_URL_ENV]: url };
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await cluster?.stop();
  });

  const evaluate = (connection: string, format = "json") => exp(dir, ["evaluate", "--format", format, "--connection", connection], env);

  for (const connection of ["local", "pg"]) {
    test(`${connection === "pg" ? "PostgreSQL" : "DuckDB"}: IPS, SNIPS, DR and the weight diagnostics equal numpy's`, () => {
      const r = evaluate(connection);
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.deepEqual(
        out.evaluations.map((e: { evaluation: string }) => e.evaluation),
        ["boolean_reward", "clip_5", "unclipped"],
      );
      for (const e of out.evaluations) {
        assertMatchesReference(e, ref.runs[e.evaluation === "boolean_reward" ? "unclipped" : e.evaluation], 1e-9);
        assert.equal(e.units, 2000);
        assert.equal(e.actions, 3);
      }
      // The three invalid rows and the propensities under the floor are warnings, not failures.
      assert.match(r.stderr, /warning\[EXP6163\]: 3 rows of "decisions" were left out of evaluation "clip_5"/);
      assert.match(r.stderr, /warning\[EXP6162\]: 26 of 2,000 logging propensities/);
    });
  }

  test("text and markdown show the estimators and the weights", () => {
    const text = evaluate("local", "text");
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /unclipped: 2,000 decisions of decisions .*effective sample size 345\.2 \(17\.3%\)/);
    assert.match(text.stdout, /doubly robust\s+0\.1703/);
    const md = evaluate("local", "markdown");
    assert.equal(md.status, 0, md.stderr);
    assert.match(md.stdout, /^## Off-policy evaluation/);
    assert.match(md.stdout, /\| SNIPS \| 0\.1684 \|/);
  });

  test("a small effective sample size is a warning printed with the result", () => {
    writeFileSync(
      join(dir, "evaluations", "unclipped.yaml"),
      readFileSync(join(dir, "evaluations", "unclipped.yaml"), "utf8") + "min_effective_sample_size: 500\n",
    );
    const r = exp(dir, ["evaluate", "unclipped", "--format", "json"], env);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /warning\[EXP6161\]: evaluation "unclipped" has an effective sample size of 345\.2 out of 2,000 decisions/);
    assert.equal(JSON.parse(r.stdout).evaluations[0].weights.low_ess, true);
    const unknown = exp(dir, ["evaluate", "unclippd"], env);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /error\[EXP6160\]: there is no evaluation "unclippd"/);
  });
});
