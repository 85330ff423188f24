import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { parse } from "yaml";
import { checkProjectName, planScaffold, projectNameFrom, schemaLine, writeScaffold } from "../../src/gitops/scaffold.js";
import { GitOpsError } from "../../src/gitops/gitops-error.js";
import { loadWorkspace } from "../../src/workspace/load.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const bin = join(repoRoot, "bin/exp");
let tmp: string;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), "exp-init-"));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const exp = (args: string[]) => execa(process.execPath, [bin, ...args], { cwd: tmp, reject: false, env: { ...process.env, CI: "true" } });

describe("the scaffold", () => {
  test("has the example workspace, .gitignore and the five workflows", () => {
    const paths = planScaffold({ project: "shop", warehouse: "duckdb" })
      .map((f) => f.path)
      .sort();
    assert.deepEqual(paths, [
      ".github/workflows/apply-on-merge.yml",
      ".github/workflows/bandit-update.yml",
      ".github/workflows/guardrail-watch.yml",
      ".github/workflows/plan-on-pr.yml",
      ".github/workflows/scheduled-analysis.yml",
      ".gitignore",
      "exp.yaml",
      "experiments/checkout_redesign.yaml",
      "flags/new_checkout.yaml",
      "layers.yaml",
      "metrics/checkout_errors.yaml",
      "metrics/purchase_conversion.yaml",
      "metrics/revenue_per_user.yaml",
      "segments/employees.yaml",
    ]);
  });

  test("every YAML file starts with a schema line pointing at a schema the package ships", () => {
    for (const f of planScaffold({ project: "shop", warehouse: "duckdb" })) {
      if (!f.path.endsWith(".yaml")) continue;
      const first = f.content.split("\n")[0]!;
      const m = /^# yaml-language-server: \$schema=((?:\.\.\/)*)node_modules\/exp-toolchain\/schemas\/([a-z]+\.schema\.json)$/.exec(first);
      assert.ok(m, `${f.path}: ${first}`);
      assert.equal(m[1]!.length / 3, f.path.split("/").length - 1, `${f.path}: relative depth`);
      assert.ok(existsSync(join(repoRoot, "schemas", m[2]!)), `${m[2]} is shipped in schemas/`);
      assert.doesNotMatch(f.content, /\{\{/, `${f.path}: no placeholder left`);
    }
    assert.equal(schemaLine("exp.yaml", "exp"), "# yaml-language-server: $schema=node_modules/exp-toolchain/schemas/exp.schema.json");
  });

  test("project and warehouse are filled in", () => {
    const byPath = (w: "duckdb" | "postgres") =>
      new Map(planScaffold({ project: "acme_shop", warehouse: w }).map((f) => [f.path, f.content]));
    const duck = parse(byPath("duckdb").get("exp.yaml")!);
    assert.equal(duck.project, "acme_shop");
    assert.deepEqual(duck.warehouse.connections[duck.warehouse.default], { type: "duckdb", path: ".exp/warehouse.duckdb" });
    const pg = parse(byPath("postgres").get("exp.yaml")!);
    assert.deepEqual(pg.warehouse.connections[pg.warehouse.default], { type: "postgres", url: "env:EXP_PG_URL" });
    assert.match(byPath("duckdb").get(".gitignore")!, /^\.exp\/$/m);
  });

  test("project names", () => {
    assert.equal(checkProjectName("shop"), undefined);
    assert.match(checkProjectName("Shop!")!, /"Shop!"/);
    assert.equal(projectNameFrom("/x/My Shop"), "my_shop");
    assert.equal(projectNameFrom("/x/123"), "experiments");
  });
});

describe("writing the scaffold", () => {
  for (const warehouse of ["duckdb", "postgres"] as const) {
    test(`an empty folder gets a workspace that loads without diagnostics (${warehouse})`, async () => {
      const dir = join(tmp, `fresh-${warehouse}`);
      const files = planScaffold({ project: "shop", warehouse });
      const r = await writeScaffold(dir, files, false);
      assert.equal(r.written.length, files.length);
      assert.deepEqual(r.skipped, []);
      const { diagnostics, workspace } = await loadWorkspace(dir);
      assert.deepEqual(
        diagnostics.map((d) => `${d.code} ${d.span?.file}:${d.span?.line} ${d.message}`),
        [],
      );
      assert.equal(workspace?.settings.project, "shop");
      assert.deepEqual(
        readdirSync(dir).filter((n) => n.endsWith(".tmp")),
        [],
        "no temp files left",
      );
    });
  }

  test("a non-empty folder is refused without force", async () => {
    const dir = join(tmp, "busy");
    mkdirSync(dir);
    writeFileSync(join(dir, "notes.txt"), "mine");
    await assert.rejects(writeScaffold(dir, planScaffold({ project: "shop", warehouse: "duckdb" }), false), (e: unknown) => {
      assert.ok(e instanceof GitOpsError);
      assert.equal(e.code, "EXP7510");
      return true;
    });
    assert.deepEqual(readdirSync(dir), ["notes.txt"]);
  });

  test("with force, existing files are kept and listed, missing ones added", async () => {
    const dir = join(tmp, "forced");
    mkdirSync(join(dir, "metrics"), { recursive: true });
    writeFileSync(join(dir, "exp.yaml"), "# my own settings\n");
    writeFileSync(join(dir, "metrics", "revenue_per_user.yaml"), "# my metric\n");
    const files = planScaffold({ project: "shop", warehouse: "duckdb" });
    const r = await writeScaffold(dir, files, true);
    assert.deepEqual(r.skipped.sort(), ["exp.yaml", "metrics/revenue_per_user.yaml"]);
    assert.equal(r.written.length, files.length - 2);
    assert.equal(readFileSync(join(dir, "exp.yaml"), "utf8"), "# my own settings\n");
    assert.equal(readFileSync(join(dir, "metrics", "revenue_per_user.yaml"), "utf8"), "# my metric\n");
    assert.ok(existsSync(join(dir, "flags", "new_checkout.yaml")));
  });
});

describe("exp init (CLI, built)", () => {
  before(() => assert.ok(existsSync(join(repoRoot, "dist/src/cli/init.js")), "build first: npm run build"));

  test("exp init d && exp validate --dir d exits 0 with no diagnostics", async () => {
    const r = await exp(["init", "d", "--project", "shop", "--warehouse", "postgres", "--yes"]);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /^\+ \.github\/workflows\/plan-on-pr\.yml$/m);
    const v = await exp(["validate", "--dir", "d", "--format", "json"]);
    assert.equal(v.exitCode, 0, v.stdout + v.stderr);
    assert.deepEqual(JSON.parse(v.stdout), { ok: true, diagnostics: [] });
  });

  test("without a TTY and without flags it uses defaults (folder name, duckdb)", async () => {
    const r = await exp(["init", "my-lab"]);
    assert.equal(r.exitCode, 0, r.stderr);
    const settings = parse(readFileSync(join(tmp, "my-lab", "exp.yaml"), "utf8"));
    assert.equal(settings.project, "my-lab");
    assert.equal(settings.warehouse.connections[settings.warehouse.default].type, "duckdb");
  });

  test("a non-empty folder: refused (exit 1); --force keeps the user's file", async () => {
    mkdirSync(join(tmp, "busy-cli"));
    writeFileSync(join(tmp, "busy-cli", "exp.yaml"), "version: 1\nproject: mine\nunits: [user]\n");
    const refused = await exp(["init", "busy-cli", "--yes"]);
    assert.equal(refused.exitCode, 1);
    assert.match(refused.stderr, /^error\[EXP7510\]: ".*busy-cli" is not empty; .*--force.*$/m);
    assert.deepEqual(readdirSync(join(tmp, "busy-cli")), ["exp.yaml"]);
    const forced = await exp(["init", "busy-cli", "--yes", "--force"]);
    assert.equal(forced.exitCode, 0, forced.stderr);
    assert.match(forced.stderr, /kept the existing file "exp\.yaml" unchanged \[EXP7512\]/);
    assert.equal(readFileSync(join(tmp, "busy-cli", "exp.yaml"), "utf8"), "version: 1\nproject: mine\nunits: [user]\n");
    assert.ok(existsSync(join(tmp, "busy-cli", "experiments", "checkout_redesign.yaml")));
  });

  test("a bad --warehouse is a user error with a suggestion", async () => {
    const r = await exp(["init", "w", "--warehouse", "postgre", "--yes"]);
    assert.equal(r.exitCode, 1);
    assert.match(r.stderr, /error\[EXP7511\]: --warehouse "postgre" is not supported; use duckdb or postgres/);
    assert.match(r.stderr, /did you mean "postgres"\?/);
    assert.equal(existsSync(join(tmp, "w")), false);
  });
});
