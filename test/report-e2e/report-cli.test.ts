import { after, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { duckDbWorkspace, removeWorkspaces } from "../analysis-e2e/reference-workspace.js";
import { exp, git } from "../helpers/workspace.js";

after(removeWorkspaces);

test("exp report --commit writes the report, charts and analysis JSON; a second run on unchanged data makes no commit", async () => {
  const { dir, ds } = await duckDbWorkspace("cuped");
  const asOf = "2026-03-01T00:00:00Z";
  const commitsBefore = Number(git(dir, "rev-list", "--count", "HEAD").trim());
  const first = exp(dir, ["report", ds.experiment, "--commit", "--as-of", asOf, "--points", "3"]);
  assert.equal(first.status, 0, first.stderr);
  const mdPath = first.stdout.trim();
  assert.equal(mdPath, `reports/${ds.experiment}/2026-03-01.md`);
  const md = readFileSync(join(dir, mdPath), "utf8");
  assert.match(md, /## Decision: /);
  assert.match(md, /### Primary metrics/);
  assert.match(md, /CUPED applied, θ = /);
  assert.match(md, /Provenance: source commit `[0-9a-f]{12}`/);
  const files = readdirSync(join(dir, "reports", ds.experiment)).sort();
  assert.deepEqual(files, ["2026-03-01-cumulative.svg", "2026-03-01-lift.svg", "2026-03-01-units.svg", "2026-03-01.json", "2026-03-01.md"]);
  const analysis = JSON.parse(readFileSync(join(dir, "reports", ds.experiment, "2026-03-01.json"), "utf8")) as { experiment: string; provenance: object };
  assert.equal(analysis.experiment, ds.experiment);
  assert.equal(Number(git(dir, "rev-list", "--count", "HEAD").trim()), commitsBefore + 1);
  assert.match(git(dir, "log", "-1", "--format=%s").trim(), new RegExp(`^report: ${ds.experiment} as of 2026-03-01 \\(source [0-9a-f]{12}\\)$`));

  const second = exp(dir, ["report", ds.experiment, "--commit", "--as-of", asOf, "--points", "3"]);
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stderr, /no changes to commit/);
  assert.equal(Number(git(dir, "rev-list", "--count", "HEAD").trim()), commitsBefore + 1, "one commit, not two");
  assert.equal(git(dir, "status", "--porcelain", "--", "reports").trim(), "", "byte-identical regeneration");
});

test("exp report names an unknown experiment with a suggestion and exits 1 without writing", async () => {
  const { dir, ds } = await duckDbWorkspace("conversion");
  const r = exp(dir, ["report", ds.experiment.slice(0, -1)]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`did you mean "${ds.experiment}"`));
  assert.equal(existsSync(join(dir, "reports")), false);
});
