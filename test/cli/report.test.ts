import { after, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { duckDbWorkspace, removeWorkspaces } from "../analysis/reference-workspace.js";
import { exp, git } from "../helpers/workspace.js";

after(removeWorkspaces);

test("exp report --commit writes the report, charts and analysis JSON; a second run on unchanged data makes no commit", async () => {
  const { dir, ds } = await duckDbWorkspace("cuped");
  const asOf = "2027-01-01T00:00:00Z";
  const commitsBefore = Number(git(dir, "rev-list", "--count", "HEAD").trim());
  const first = exp(dir, ["report", ds.experiment, "--commit", "--as-of", asOf, "--points", "3"]);
  assert.equal(first.status, 0, first.stderr);
  const mdPath = first.stdout.trim();
  assert.equal(mdPath, `reports/${ds.experiment}/2027-01-01.md`);
  const md = readFileSync(join(dir, mdPath), "utf8");
  assert.match(md, /## Decision: /);
  assert.match(md, /### Primary metrics/);
  assert.match(md, /CUPED applied, θ = /);
  assert.match(md, /Provenance: source commit `[0-9a-f]{12}`/);
  const files = readdirSync(join(dir, "reports", ds.experiment)).sort();
  assert.deepEqual(files, ["2027-01-01-cumulative.svg", "2027-01-01-lift.svg", "2027-01-01-units.svg", "2027-01-01.json", "2027-01-01.md"]);
  const analysis = JSON.parse(readFileSync(join(dir, "reports", ds.experiment, "2027-01-01.json"), "utf8")) as {
    experiment: string;
    provenance: object;
  };
  assert.equal(analysis.experiment, ds.experiment);
  assert.equal(Number(git(dir, "rev-list", "--count", "HEAD").trim()), commitsBefore + 1);
  assert.match(
    git(dir, "log", "-1", "--format=%s").trim(),
    new RegExp(`^report: ${ds.experiment} as of 2027-01-01 \\(source [0-9a-f]{12}\\)$`),
  );

  const second = exp(dir, ["report", ds.experiment, "--commit", "--as-of", asOf, "--points", "3"]);
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stderr, /no changes to commit/);
  assert.equal(Number(git(dir, "rev-list", "--count", "HEAD").trim()), commitsBefore + 1, "one commit, not two");
  assert.equal(git(dir, "status", "--porcelain", "--", "reports").trim(), "", "byte-identical regeneration");
});

test("exp report --commit outside a git repository writes the files and says why it cannot commit (exit 1, no bug)", async () => {
  const { dir, ds } = await duckDbWorkspace("conversion");
  rmSync(join(dir, ".git"), { recursive: true, force: true });
  const r = exp(dir, ["report", ds.experiment, "--commit", "--as-of", "2027-01-01T00:00:00Z", "--points", "2"]);
  assert.equal(r.status, 1);
  assert.match(
    r.stderr,
    /^error\[EXP9115\]: the reports were written but cannot be committed \(.+\)\n {2}= help: .*leave out --commit\n$/m,
  );
  assert.doesNotMatch(r.stderr, /internal error|this is a bug|\n\s+at /);
  assert.ok(existsSync(join(dir, "reports", ds.experiment, "2027-01-01.md")));
});

test("exp report names an unknown experiment with a suggestion and exits 1 without writing", async () => {
  const { dir, ds } = await duckDbWorkspace("conversion");
  const r = exp(dir, ["report", ds.experiment.slice(0, -1)]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`did you mean "${ds.experiment}"`));
  assert.equal(existsSync(join(dir, "reports")), false);
});

test("exp report --format text prints the header, the per-tier tables and the decision, without colour when piped", async () => {
  const { dir, ds } = await duckDbWorkspace("conversion");
  const r = exp(dir, ["report", ds.experiment, "--format", "text", "--as-of", "2027-01-01T00:00:00Z", "--points", "2"]);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /\x1b\[/, "no colour codes with NO_COLOR and no TTY");
  assert.match(r.stdout, new RegExp(`^${ds.experiment} — report of 2027-01-01$`, "m"));
  assert.match(r.stdout, /^ {2}sample ratio: p (=|<) 0\.\d{4}(, below| ≥) 0\.001: (no mismatch|mismatch) \(χ² = \d+\.\d{2}\)/m);
  assert.match(r.stdout, /^Primary metrics\n {2}metric +variant +control +variant mean +lift +CI +p \(adj\.\) +verdict$/m);
  assert.match(r.stdout, /^Decision: (ship|keep running|stop|rollback|investigate)$/m);
  assert.match(r.stdout, new RegExp(`^wrote reports/${ds.experiment}/2027-01-01\\.md and 4 more files$`, "m"));
  assert.doesNotMatch(r.stdout, /NaN|undefined/);
  const json = exp(dir, ["report", ds.experiment, "--format", "json", "--as-of", "2027-01-01T00:00:00Z", "--points", "2"]);
  assert.equal(json.status, 0, json.stderr);
  const parsed = JSON.parse(json.stdout) as { reports: { experiment: string; markdown: string; files: string[] }[] };
  assert.deepEqual(
    parsed.reports.map((x) => [x.experiment, x.markdown, x.files.length]),
    [[ds.experiment, `reports/${ds.experiment}/2027-01-01.md`, 5]],
  );
});

test("the footer's reproduce command gives the report's JSON: the same as-of instant and connection", async () => {
  const { dir, ds } = await duckDbWorkspace("cuped");
  // A second connection to the same data, so that leaving --connection out would show.
  const yaml = readFileSync(join(dir, "exp.yaml"), "utf8");
  writeFileSync(join(dir, "exp.yaml"), yaml.replace(/^( {4}local: .*)$/m, "$1\n    snapshot: { type: duckdb, path: warehouse.duckdb }"));
  git(dir, "commit", "-qam", "a second connection");
  // An as-of in the middle of the data: the last exposure before it is not the as-of.
  const asOf = "2026-12-10T12:00:00Z";
  const r = exp(dir, ["report", ds.experiment, "--as-of", asOf, "--connection", "snapshot", "--points", "2"]);
  assert.equal(r.status, 0, r.stderr);
  const md = readFileSync(join(dir, "reports", ds.experiment, "2026-12-10.md"), "utf8");
  const command = /Reproduce with `exp ([^`]+)`/.exec(md)?.[1];
  assert.equal(command, `analyze ${ds.experiment} --connection snapshot --as-of 2026-12-10T12:00:00.000Z --format json`);
  const again = exp(dir, command!.split(" "));
  assert.equal(again.status, 0, again.stderr);
  // The stored JSON keeps 10 significant digits (parallel sums differ in the last bits); so does the comparison.
  const steady = (_k: string, v: unknown) =>
    typeof v === "number" && Number.isFinite(v) && !Number.isInteger(v) ? Number(v.toPrecision(10)) : v;
  const stored = JSON.parse(readFileSync(join(dir, "reports", ds.experiment, "2026-12-10.json"), "utf8"));
  assert.deepEqual(JSON.parse(JSON.stringify(JSON.parse(again.stdout), steady)), stored);
  assert.notEqual(stored.provenance.dataWindow.end, new Date(asOf).toISOString(), "the data ends before the as-of");
});
