// The end-to-end reference comparison, shared by the DuckDB and PostgreSQL test files: for every
// dataset in test/reference and every run, `exp analyze --format json` through the built CLI must
// reproduce expected.json (SciPy/statsmodels) within the tolerances of compare.ts.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { BIN } from "../helpers/workspace.js";
import { startPostgres, type PostgresCluster } from "../helpers/postgres.js";
import { compareToReference, describeMismatches } from "./compare.js";
import {
  datasetWorkspace,
  loadDuckDb,
  loadPostgres,
  PG_URL_ENV,
  readDataset,
  referenceDatasets,
  removeWorkspaces,
  writeRunWorkspace,
} from "./reference-workspace.js";

const execFileAsync = promisify(execFile);

/** The built CLI, asynchronously, so that datasets run side by side while others wait on the warehouse. */
async function expAsync(
  cwd: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const r = await execFileAsync(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: "1", ...env },
      maxBuffer: 64 << 20,
    });
    return { status: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { status: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? String(err) };
  }
}

export function referenceSuite(engine: "duckdb" | "postgres"): void {
  describe(`exp analyze --format json on ${engine} reproduces test/reference`, { concurrency: 2 }, () => {
    let cluster: PostgresCluster | undefined;
    before(async () => {
      if (engine === "postgres") cluster = await startPostgres();
    });
    after(async () => {
      removeWorkspaces();
      await cluster?.stop();
    });

    const names = referenceDatasets();
    test("all nine reference datasets are there", () => {
      assert.deepEqual(names, ["aa", "abn", "conversion", "count", "cuped", "ratio", "ratio_cuped", "revenue", "srm"]);
    });

    for (const name of names) {
      test(name, async () => {
        const ds = readDataset(name);
        assert.equal(ds.runs.length, ds.expected.length, "one expected result per run");
        const dir = datasetWorkspace(ds);
        const env: Record<string, string> = {};
        let args: string[] = [];
        if (engine === "duckdb") {
          await loadDuckDb(join(dir, "warehouse.duckdb"), name);
        } else {
          const url = await cluster!.createDatabase(`ref_${name}`);
          await loadPostgres(url, name);
          env[PG_URL_ENV] = url;
          args = ["--connection", "pg"];
        }
        for (const [i, run] of ds.runs.entries()) {
          writeRunWorkspace(dir, ds, run);
          const r = await expAsync(dir, ["analyze", ds.experiment, "--format", "json", "--as-of", ds.design.as_of, ...args], env);
          assert.equal(r.status, 0, `${name} run ${i} (${run.correction}) exited ${r.status}: ${r.stderr}`);
          const got = JSON.parse(r.stdout) as Record<string, unknown>;
          const mismatches = compareToReference(got, ds.expected[i], `${name}[${run.correction}]`);
          assert.equal(mismatches.length, 0, describeMismatches(mismatches));
          // The analysis document (docs/analysis.md) carries its provenance.
          const p = got["provenance"] as Record<string, unknown>;
          assert.match(String(p["sqlSha256"]), /^[0-9a-f]{64}$/);
          assert.match(String(p["definitionsSha256"]), /^[0-9a-f]{64}$/);
        }
      });
    }
  });
}
