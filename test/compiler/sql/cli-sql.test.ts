import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { renderSqlCommand, type SqlOptions } from "../../../src/cli/sql.js";
import { loadWorkspace } from "../../../src/workspace/load.js";
import type { Workspace } from "../../../src/workspace/model.js";

// The example workspace at the repository root is the fixture; it is only read.
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
let workspace: Workspace;

const run = (key: string, opts: SqlOptions = {}) => renderSqlCommand(workspace, key, opts);

describe("exp sql", () => {
  before(async () => {
    const loaded = await loadWorkspace(ROOT);
    assert.ok(loaded.value, JSON.stringify(loaded.diagnostics));
    workspace = loaded.value;
  });

  test("prints one metric's SQL with values inlined", () => {
    const r = run("checkout_redesign", { metric: "purchase_conversion", dialect: "postgres" });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^-- exp:metrics checkout_redesign: purchase_conversion/);
    assert.match(r.stdout, /x\."experiment" = 'checkout_redesign'/);
    assert.doesNotMatch(r.stdout, /\$1/);
    assert.doesNotMatch(r.stdout, /exp:exposure_summary/);
  });

  test("--params keeps placeholders and lists their values", () => {
    const r = run("checkout_redesign", { metric: "purchase_conversion", dialect: "duckdb", params: true });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^-- params: \$1 = "checkout_redesign", \$2 = "purchase"\n/);
    assert.match(r.stdout, /x\."experiment" = \$1/);
  });

  test("without --metric: the exposure summary and every metric; --batch: the query analysis runs", () => {
    const all = run("checkout_redesign", { dialect: "trino" });
    assert.equal(all.code, 0, all.stderr);
    const metrics = [...workspace.experiments.get("checkout_redesign")!.metrics.primary];
    assert.match(all.stdout, /^-- exp:exposure_summary checkout_redesign/);
    for (const m of metrics) assert.match(all.stdout, new RegExp(`-- exp:(metrics|quantile) checkout_redesign: ${m} `));
    const batch = run("checkout_redesign", { dialect: "trino", batch: true });
    assert.equal((batch.stdout.match(/-- exp:first_exposure\n/g) ?? []).length >= 1, true);
    assert.ok(batch.stdout.length < all.stdout.length);
  });

  test("--format json lists the queries", () => {
    const r = run("checkout_redesign", { dialect: "bigquery", format: "json" });
    const out = JSON.parse(r.stdout) as { dialect: string; exposures: { sql: string }; metrics: { metric: string; shape: string }[] };
    assert.equal(out.dialect, "bigquery");
    assert.match(out.exposures.sql, /exp:exposure_summary/);
    assert.ok(out.metrics.some((m) => m.metric === "purchase_conversion" && m.shape === "cuped"));
  });

  test("an unknown experiment, metric or dialect is an error with a suggestion", () => {
    const e = run("checkout_redesgn");
    assert.deepEqual([e.code, e.stdout], [1, ""]);
    assert.match(e.stderr, /EXP6001[\s\S]*did you mean "checkout_redesign"\?/);
    const m = run("checkout_redesign", { metric: "purchase_convrsion" });
    assert.equal(m.code, 1);
    assert.match(m.stderr, /EXP6002[\s\S]*did you mean "purchase_conversion"\?/);
    const d = run("checkout_redesign", { dialect: "snowflak" });
    assert.equal(d.code, 1);
    assert.match(d.stderr, /EXP6003[\s\S]*did you mean "snowflake"\?/);
    const a = run("checkout_redesign", { asOf: "yesterday" });
    assert.equal(a.code, 1);
    assert.match(a.stderr, /EXP6007/);
  });

  test("the command is registered and exits 1 on an unknown experiment", () => {
    const script = `import(${JSON.stringify(join(ROOT, "src/cli/main.ts"))}).then((m) => m.main(["node", "exp", ...process.argv.slice(1)]))`;
    const r = spawnSync(process.execPath, ["--import", "tsx", "-e", script, "--", "sql", "nope_experiment", "--dir", ROOT], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /error\[EXP6001\]: There is no experiment "nope_experiment"/);
  });
});
