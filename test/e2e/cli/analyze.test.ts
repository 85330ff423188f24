// `exp analyze` through the built CLI: output formats, --out, provenance, power reached and the
// error paths a user meets (unknown experiment, missing warehouse file or tables, bad --as-of).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { analyzeCommand, type AnalyzeOptions } from "../../../src/cli/analyze.js";
import { loadWorkspace } from "../../../src/workspace/load.js";
import { exp, git } from "../../helpers/workspace.js";
import { compareToReference } from "../../analysis/compare.js";
import { duckDbWorkspace, removeWorkspaces, type ReferenceDataset } from "../../analysis/reference-workspace.js";

let dir: string;
let ds: ReferenceDataset;
/** The CLI's JSON for the committed workspace, run once. */
let cliJson: any;

/** The same command in-process (the workspace is reloaded, so file edits count): fast for the many provenance cases. */
async function inProcess(opts: AnalyzeOptions = {}) {
  const loaded = await loadWorkspace(dir);
  assert.ok(loaded.value, JSON.stringify(loaded.diagnostics));
  const r = await analyzeCommand(loaded.value, ds.experiment, { format: "json", ...opts });
  assert.equal(r.code, 0, r.stderr);
  return { json: JSON.parse(r.stdout), text: (await analyzeCommand(loaded.value, ds.experiment, { ...opts, format: "text" })).stdout };
}
const json = async (opts: AnalyzeOptions = {}) => (await inProcess(opts)).json;

describe("exp analyze", () => {
  after(removeWorkspaces);
  before(async () => {
    ({ dir, ds } = await duckDbWorkspace("cuped"));
    const r = exp(dir, ["analyze", ds.experiment, "--format", "json"]);
    assert.equal(r.status, 0, r.stderr);
    cliJson = JSON.parse(r.stdout);
  });

  test("JSON keeps the key order of docs/analysis.md, with provenance after the header", async () => {
    const r = cliJson;
    assert.deepEqual(Object.keys(r).slice(0, 7), ["experiment", "phase", "phase_start", "method", "alpha", "correction", "provenance"]);
    assert.deepEqual(Object.keys(r).slice(7, 13), ["units", "multiple_exposures", "srm", "metrics", "guardrails", "decision"]);
    assert.deepEqual(Object.keys(r.provenance), ["sourceCommit", "definitionsSha256", "sqlSha256", "engine", "dataWindow"]);
  });

  test("provenance names the clean HEAD, the engine and the first and last exposure", async () => {
    const r = cliJson;
    assert.deepEqual((await json()).provenance, r.provenance);
    assert.equal(r.provenance.sourceCommit, git(dir, "rev-parse", "HEAD").trim());
    assert.match(r.provenance.engine, /^exp \d+\.\d+\.\d+/);
    const exposures = readFileSync(new URL("../../reference/cuped/exposures.csv", import.meta.url), "utf8")
      .split("\n")
      .slice(1)
      .filter((l) => l.includes(",ref_cuped,"))
      .map((l) => new Date(`${l.split(",")[3]!.replace(" ", "T")}Z`).toISOString())
      .sort();
    assert.deepEqual(r.provenance.dataWindow, { start: exposures[0], end: exposures.at(-1) });
  });

  test("an uncommitted change marks the commit dirty; only analysis-relevant edits change the definitions hash", async () => {
    const before = cliJson.provenance;
    const metric = join(dir, "metrics", "spend.yaml");
    const original = readFileSync(metric, "utf8");
    try {
      appendFileSync(metric, "description: Spend per exposed user\n");
      const described = (await json()).provenance;
      assert.equal(described.sourceCommit, `${before.sourceCommit}-dirty`);
      assert.equal(described.definitionsSha256, before.definitionsSha256);
      assert.equal(described.sqlSha256, before.sqlSha256);
      writeFileSync(metric, `${original}window: 7d\n`);
      const rewindowed = (await json()).provenance;
      assert.notEqual(rewindowed.definitionsSha256, before.definitionsSha256);
      assert.notEqual(rewindowed.sqlSha256, before.sqlSha256);
    } finally {
      writeFileSync(metric, original);
    }
  });

  test("--as-of cuts the data and the SQL, and is stated in the data window", async () => {
    const r = await json({ asOf: "2026-12-10T00:00:00Z" });
    const all = cliJson;
    assert.ok(r.provenance.dataWindow.end < "2026-12-10T00:00:00.000Z", r.provenance.dataWindow.end);
    assert.ok(r.units.control < all.units.control);
    assert.notEqual(r.provenance.sqlSha256, all.provenance.sqlSha256);
  });

  test("CUPED is asked for only where the experiment wants it too", async () => {
    const file = join(dir, "experiments", `${ds.experiment}.yaml`);
    const original = readFileSync(file, "utf8");
    try {
      writeFileSync(file, original.replace("cuped: true }", "cuped: false }"));
      const off = await json();
      cliJson.metrics.forEach((m: any, i: number) => {
        const on = m.comparisons[0];
        const plain = off.metrics[i].comparisons[0];
        assert.equal(on.cuped.applied, true, m.metric);
        assert.equal(plain.cuped, undefined, m.metric);
        // Without CUPED the headline numbers are the unadjusted ones (same SQL sums, so equal to rounding).
        assert.ok(Math.abs(plain.diff - on.cuped.unadjusted.diff) <= 1e-10 * Math.abs(on.cuped.unadjusted.diff), m.metric);
        assert.ok(Math.abs(plain.p_value - on.cuped.unadjusted.p_value) <= 1e-9 * on.cuped.unadjusted.p_value, m.metric);
      });
    } finally {
      writeFileSync(file, original);
    }
  });

  test("text is a compact table rendered from the JSON", () => {
    const r = exp(dir, ["analyze", ds.experiment]);
    assert.equal(r.status, 0, r.stderr);
    const j = cliJson;
    assert.match(r.stdout, new RegExp(`units: control ${j.units.control}, treatment ${j.units.treatment}`));
    assert.match(r.stdout, /SRM: ok \(chi2 /);
    const spend = j.metrics[0].comparisons[0];
    const lift = `+${(spend.rel_lift * 100).toFixed(2)}%`;
    assert.match(r.stdout, new RegExp(`spend\\s+treatment\\s+\\${lift}\\s+\\[\\+${(spend.rel_ci[0] * 100).toFixed(2)}%`));
    assert.match(r.stdout, /win \(CUPED\)/);
    assert.match(r.stdout, /guardrails:\n {2}\S+ {2}orders \(margin 2\.00%\)/);
    assert.match(r.stdout, new RegExp(`decision: ${j.decision.recommendation}`));
    assert.match(r.stdout, /provenance: commit [0-9a-f]{40}/);
  });

  test("markdown renders a table for a PR comment", async () => {
    const loaded = await loadWorkspace(dir);
    const r = await analyzeCommand(loaded.value!, ds.experiment, { format: "markdown" });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^### ref_cuped/);
    assert.match(r.stdout, /\| primary \| spend \| treatment \|/);
  });

  test("--out writes the file atomically and prints nothing", () => {
    const out = join(dir, "result.json");
    const r = exp(dir, ["analyze", ds.experiment, "--format", "json", "--out", out]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "");
    const written = JSON.parse(readFileSync(out, "utf8"));
    // DuckDB sums in parallel, so two runs may differ in the last bits: compare as the reference is compared.
    assert.deepEqual(compareToReference(written, cliJson), []);
    assert.deepEqual(written.units, cliJson.units);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith(".tmp")),
      [],
    );
  });

  test("without --out nothing is written to the workspace", async () => {
    const before = readdirSync(dir).sort();
    await json();
    assert.deepEqual(readdirSync(dir).sort(), before);
  });

  test("power: the declared mde and the relative MDE reached, as statsmodels' power function solves it", async () => {
    const file = join(dir, "experiments", `${ds.experiment}.yaml`);
    const original = readFileSync(file, "utf8");
    try {
      writeFileSync(file, `${original}power: { mde: 5% }\n`);
      const { json: r, text } = await inProcess();
      assert.equal(r.power.mde, 0.05);
      const c = r.metrics[0].variants.control;
      const t = r.metrics[0].variants.treatment;
      const py = spawnSync(
        "/usr/bin/python3",
        [
          "-c",
          // solve_power's own tolerance is ~1e-5, so solve the same two-sided z power equation tightly.
          `import math\nfrom scipy.optimize import brentq\nfrom statsmodels.stats.power import NormalIndPower\n` +
            // bh over the primary and the secondary metric: α / 2 per comparison, as the analysis corrects.
            `f=lambda d: NormalIndPower().power(effect_size=d, nobs1=${c.n}, ratio=${t.n / c.n}, alpha=0.025)-0.8\n` +
            `d=brentq(f, 1e-6, 10, xtol=1e-15)\nprint(repr(d*math.sqrt(${c.variance})/${c.mean}))`,
        ],
        { encoding: "utf8" },
      );
      assert.equal(py.status, 0, py.stderr);
      const expected = Number(py.stdout);
      assert.ok(Math.abs(r.power.achieved_mde - expected) <= 1e-7 * expected, `${r.power.achieved_mde} vs statsmodels ${expected}`);
      assert.match(text, /power: declared mde 5\.00%, detectable now \d+\.\d\d%/);
    } finally {
      writeFileSync(file, original);
    }
  });

  test("an unknown experiment is an error with a did-you-mean", () => {
    const r = exp(dir, ["analyze", "ref_cupd"]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /There is no experiment "ref_cupd"/);
    assert.match(r.stderr, /did you mean "ref_cuped"\?/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(r.stdout, "");
  });

  test("no exposures is an error that says what is wrong, never 0 units and keep running", () => {
    const early = exp(dir, ["analyze", ds.experiment, "--as-of", "2020-01-01T00:00:00Z"]);
    assert.equal(early.status, 1);
    assert.match(
      early.stderr,
      new RegExp(
        `There are no exposures for "${ds.experiment}" in connection "local" before 2020-01-01T00:00:00\\.000Z; its first exposure is at 2026-`,
      ),
    );
    assert.doesNotMatch(early.stdout + early.stderr, /keep running|0 units/);
    // A workspace key the exposures table does not know: the table's experiments and a did-you-mean.
    const file = join(dir, "experiments", `${ds.experiment}.yaml`);
    const renamed = join(dir, "experiments", "ref_cupid.yaml");
    writeFileSync(renamed, readFileSync(file, "utf8").replace(`experiment: ${ds.experiment}`, "experiment: ref_cupid"));
    try {
      const typo = exp(dir, ["analyze", "ref_cupid"]);
      assert.equal(typo.status, 1);
      assert.match(
        typo.stderr,
        /There are no exposures for "ref_cupid" in connection "local"; the table "exposures" has experiments: .*ref_cuped/,
      );
      assert.match(typo.stderr, /did you mean "ref_cuped"\?/);
      assert.equal(typo.stdout, "");
    } finally {
      rmSync(renamed);
    }
  });

  test("a bad --as-of is a clean error", async () => {
    const loaded = await loadWorkspace(dir);
    await assert.rejects(
      analyzeCommand(loaded.value!, ds.experiment, { asOf: "yesterday" }),
      (err: Error) => err.name === "ExpError" && /--as-of "yesterday" is not an ISO-8601 time/.test(err.message),
    );
  });

  test("an unknown connection names the known ones", async () => {
    const loaded = await loadWorkspace(dir);
    const r = await analyzeCommand(loaded.value!, ds.experiment, { connection: "lcoal" });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no warehouse connection "lcoal"/);
    assert.match(r.stderr, /did you mean "local"\?/);
  });

  test("a missing DuckDB file names it and says what to do", async () => {
    const other = (await duckDbWorkspace("srm")).dir;
    const file = join(other, "warehouse.duckdb");
    writeFileSync(
      join(other, "exp.yaml"),
      readFileSync(join(other, "exp.yaml"), "utf8").replace("path: warehouse.duckdb", "path: missing.duckdb"),
    );
    assert.ok(existsSync(file));
    const r = exp(other, ["analyze", "ref_srm"]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /The DuckDB file ".*missing\.duckdb" does not exist/);
    assert.match(r.stderr, /exp demo/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  test("a warehouse without the tables names them and says what to do", async () => {
    const other = (await duckDbWorkspace("srm")).dir;
    const empty = await DuckDBInstance.create(join(other, "empty.duckdb"));
    empty.closeSync();
    writeFileSync(
      join(other, "exp.yaml"),
      readFileSync(join(other, "exp.yaml"), "utf8").replace("path: warehouse.duckdb", "path: empty.duckdb"),
    );
    const r = exp(other, ["analyze", "ref_srm"]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /exposures/);
    assert.match(r.stderr, /the warehouse needs the tables "exposures" and "events": run "exp demo"/);
    assert.equal(r.stdout, "");
  });
});
