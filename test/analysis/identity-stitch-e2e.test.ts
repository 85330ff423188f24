// An anonymous-id experiment analysed end to end from CSV files: visitors are exposed under their
// anonymous id, log in (a row of the identity map), and buy under their user id. The treatment's
// effect is planted in the purchases made after login, so it shows only when the analysis stitches
// them back to the anonymous unit. The expected sums are worked out here from the rows, by the
// rules of docs/analysis.md#identity-stitching, independently of the SQL.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exampleRepo, exp, git } from "../helpers/workspace.js";
import { csvTime, METRIC_WINDOW, population } from "./identity-population.js";

const EXPERIMENT = (identity: string) => `experiment: signup_wall
status: running
identity: ${identity}
schedule: {start: 2026-11-01T00:00:00Z}
variants:
  control: {weight: 50}
  treatment: {weight: 50}
metrics:
  primary: [stitched_revenue]
analysis: {identity_window: 2d, cuped: false}
`;
const METRIC = `metric: stitched_revenue
unit: user
expr: sum(purchase.value)
window: 14d
cuped: false
`;

describe("identity stitching from CSV files (docs/analysis.md#identity-stitching)", () => {
  let dir: string;
  const pop = population();
  before(() => {
    dir = exampleRepo("exp-identity-");
    mkdirSync(join(dir, "data"));
    writeFileSync(
      join(dir, "data", "exposures.csv"),
      ["unit_id,experiment,variant,ts", ...pop.exposures.map((x) => `${x.unit},signup_wall,${x.variant},${csvTime(x.ts)}`)].join("\n") +
        "\n",
    );
    writeFileSync(
      join(dir, "data", "events.csv"),
      ["unit_id,event,ts,value,event_id", ...pop.events.map((e) => `${e.unit},purchase,${csvTime(e.ts)},${e.value},${e.id}`)].join("\n") +
        "\n",
    );
    writeFileSync(
      join(dir, "data", "identities.csv"),
      ["anonymous_id,unit_id,ts", ...pop.identities.map((m) => `${m.anonymous},${m.user},${csvTime(m.ts)}`)].join("\n") + "\n",
    );
    const yaml = join(dir, "exp.yaml");
    writeFileSync(yaml, readFileSync(yaml, "utf8").replace("    prod: {", '    csv: {type: duckdb, files: ["data/*.csv"]}\n    prod: {'));
    writeFileSync(join(dir, "metrics", "stitched_revenue.yaml"), METRIC);
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "identity fixture");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const analyze = (identity: string) => {
    writeFileSync(join(dir, "experiments", "signup_wall.yaml"), EXPERIMENT(identity));
    const r = exp(dir, ["analyze", "signup_wall", "--connection", "csv", "--format", "json"]);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    return JSON.parse(r.stdout);
  };

  test("identity: anonymous counts the user's purchases after login for the anonymous unit, once", () => {
    const analysis = analyze("anonymous");
    const metric = analysis.metrics.find((m: { metric: string }) => m.metric === "stitched_revenue");
    for (const [variant, s] of Object.entries(pop.expected)) {
      assert.equal(metric.variants[variant].n, s.n);
      assert.ok(
        Math.abs(metric.variants[variant].mean * s.n - s.sum) < 1e-6,
        `${variant}: ${metric.variants[variant].mean * s.n} vs ${s.sum}`,
      );
    }
    // The planted effect: about +20 a unit, and significant.
    const c = metric.comparisons[0];
    assert.ok(c.diff > 15 && c.diff < 25, `diff ${c.diff}`);
    assert.ok(c.p_value < 0.001, `p ${c.p_value}`);
  });

  test("identity: user reads only the events under the exposed id: the effect disappears", () => {
    const analysis = analyze("user");
    const metric = analysis.metrics.find((m: { metric: string }) => m.metric === "stitched_revenue");
    const direct = (variant: string) =>
      pop.exposures
        .filter((x) => x.variant === variant)
        .reduce(
          (a, x) =>
            a + pop.events.filter((e) => e.unit === x.unit && e.ts >= x.ts && e.ts < x.ts + METRIC_WINDOW).reduce((b, e) => b + e.value, 0),
          0,
        );
    for (const [variant, s] of Object.entries(pop.expected))
      assert.ok(Math.abs(metric.variants[variant].mean * s.n - direct(variant)) < 1e-6, variant);
    assert.ok(Math.abs(metric.comparisons[0].diff) < 5, `diff ${metric.comparisons[0].diff}`);
  });

  test("without an identities table, doctor and analyze name it; doctor checks its columns when it is there", () => {
    writeFileSync(join(dir, "experiments", "signup_wall.yaml"), EXPERIMENT("anonymous"));
    const ok = exp(dir, ["doctor", "--connection", "csv", "--format", "json"]);
    const identities = JSON.parse(ok.stdout).tables.find((t: { role: string }) => t.role === "identities");
    assert.deepEqual(
      [identities.status, identities.rows, identities.columns.map((c: { name: string; found: boolean }) => [c.name, c.found])],
      [
        "ok",
        pop.identities.length,
        [
          ["anonymous_id", true],
          ["unit_id", true],
          ["ts", true],
        ],
      ],
    );
    renameSync(join(dir, "data", "identities.csv"), join(dir, "identities.csv.away"));
    try {
      const doctor = exp(dir, ["doctor", "--connection", "csv"]);
      assert.equal(doctor.status, 1);
      assert.match(doctor.stdout, /✖ identities: table "identities" not found/);
      const analyze = exp(dir, ["analyze", "signup_wall", "--connection", "csv"]);
      assert.equal(analyze.status, 1);
      assert.match(analyze.stderr, /EXP6120.*"identities"/);
    } finally {
      renameSync(join(dir, "identities.csv.away"), join(dir, "data", "identities.csv"));
    }
  });
});
