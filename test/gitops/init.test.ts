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
import { findInstallSpec, specFor, unreachableFromCheckout } from "../../src/gitops/install-spec.js";
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
      const { diagnostics, value: workspace } = await loadWorkspace(dir);
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

describe("where exp comes from (install spec)", () => {
  test("the project's package.json names it; a relative file spec becomes absolute, then relative to the new package.json", () => {
    const project = join(tmp, "spec-project");
    const installed = join(project, "node_modules", "exp-toolchain");
    mkdirSync(installed, { recursive: true });
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({ devDependencies: { "exp-toolchain": "file:vendor/exp-toolchain-0.1.0.tgz" } }),
    );
    const found = findInstallSpec(installed);
    assert.equal(found.spec, `file:${join(project, "vendor", "exp-toolchain-0.1.0.tgz")}`);
    assert.equal(found.declaredIn, join(project, "package.json"));
    assert.equal(specFor(project, found), "file:vendor/exp-toolchain-0.1.0.tgz");
    assert.equal(specFor(join(tmp, "elsewhere"), found), found.spec, "outside the folder it stays absolute");
    assert.equal(unreachableFromCheckout(found, project), false);
    assert.equal(unreachableFromCheckout(found, join(tmp, "elsewhere")), true);
  });
  test("git and URL specs are kept as they are; a checkout is its own spec", () => {
    const project = join(tmp, "spec-git");
    const installed = join(project, "node_modules", "exp-toolchain");
    mkdirSync(installed, { recursive: true });
    writeFileSync(join(project, "package.json"), JSON.stringify({ dependencies: { "exp-toolchain": "github:acme/exp#v0.1.0" } }));
    const found = findInstallSpec(installed);
    assert.equal(specFor(join(tmp, "x"), found), "github:acme/exp#v0.1.0");
    assert.equal(unreachableFromCheckout(found, join(tmp, "x")), false);
    assert.deepEqual(findInstallSpec(repoRoot.replace(/\/$/, "")), { spec: `file:${repoRoot.replace(/\/$/, "")}` });
  });
});

describe("exp init in a user's repository (CLI, built)", () => {
  test("a folder with only package.json, node_modules and the tarball needs no --force and keeps package.json", async () => {
    const dir = join(tmp, "installed");
    mkdirSync(join(dir, "node_modules", "exp-toolchain"), { recursive: true });
    const manifest = JSON.stringify({ name: "installed", devDependencies: { "exp-toolchain": "file:../exp.tgz" } });
    writeFileSync(join(dir, "package.json"), manifest);
    writeFileSync(join(dir, "package-lock.json"), "{}");
    mkdirSync(join(dir, "vendor"));
    writeFileSync(join(dir, "vendor", "exp-toolchain-0.1.0.tgz"), "");
    const r = await execa(process.execPath, [bin, "init", "--yes"], { cwd: dir, reject: false, env: { ...process.env, CI: "true" } });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(readFileSync(join(dir, "package.json"), "utf8"), manifest);
    assert.doesNotMatch(r.stderr, /package\.json/);
    assert.match(r.stdout, /^Next: npx exp validate$/m);
    assert.ok(existsSync(join(dir, ".github", "workflows", "plan-on-pr.yml")));
  });

  test("no package.json: one is written with exp as a dev dependency from where it was installed, and scripts", async () => {
    const r = await exp(["init", "fresh-pkg", "--yes"]);
    assert.equal(r.exitCode, 0, r.stderr);
    const manifest = JSON.parse(readFileSync(join(tmp, "fresh-pkg", "package.json"), "utf8"));
    // Run from this checkout, the checkout is the spec (an install would name its tarball or git URL).
    assert.deepEqual(manifest.devDependencies, { "exp-toolchain": `file:${repoRoot.replace(/\/$/, "")}` });
    assert.equal(manifest.scripts.plan, "exp plan");
    assert.equal(manifest.private, true);
    const own = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
    assert.deepEqual(manifest.overrides, own.overrides, "exp's own pins apply to the user's install too");
    assert.match(
      r.stdout,
      /^Next: cd fresh-pkg && npm install, commit package-lock\.json \(the workflows run npm ci\), then npx exp validate$/m,
    );
    assert.doesNotMatch(r.stdout + r.stderr, /install --save-dev exp-toolchain\b/);
    assert.match(r.stderr, /cannot reach "file:.*"; copy the tarball into the repository/);
  });

  test("a fresh workspace publishes to a git branch and passes exp fmt --check", async () => {
    const r = await exp(["init", "fmt-clean", "--yes"]);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.deepEqual(parse(readFileSync(join(tmp, "fmt-clean", "exp.yaml"), "utf8")).runtime.publish, {
      type: "git",
      branch: "exp-published",
    });
    const f = await exp(["fmt", "--check", "--dir", "fmt-clean"]);
    assert.equal(f.exitCode, 0, f.stdout + f.stderr);
    const pg = await exp(["init", "fmt-clean-pg", "--yes", "--warehouse", "postgres"]);
    assert.equal(pg.exitCode, 0, pg.stderr);
    const g = await exp(["fmt", "--check", "--dir", "fmt-clean-pg"]);
    assert.equal(g.exitCode, 0, g.stdout + g.stderr);
  });

  test("exp init sub/dir in a repository: workflows at the repository root, pointed at the workspace", async () => {
    const repo = join(tmp, "repo");
    mkdirSync(repo);
    await execa("git", ["init", "-q", repo]);
    writeFileSync(join(repo, "README.md"), "mine\n");
    const r = await execa(process.execPath, [bin, "init", "analytics/exp", "--yes"], {
      cwd: repo,
      reject: false,
      env: { ...process.env, CI: "true" },
    });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(existsSync(join(repo, "analytics", "exp", ".github")), false, "no workflows where GitHub does not read them");
    for (const name of ["plan-on-pr.yml", "apply-on-merge.yml", "guardrail-watch.yml"]) {
      const doc = parse(readFileSync(join(repo, ".github", "workflows", name), "utf8"));
      assert.equal(doc.env.EXP_DIR, "analytics/exp", name);
      assert.equal(doc.defaults.run["working-directory"], ".", name);
    }
    const manifest = JSON.parse(readFileSync(join(repo, "package.json"), "utf8"));
    assert.equal(manifest.scripts.validate, "exp validate --dir analytics/exp");
    assert.match(
      readFileSync(join(repo, "analytics", "exp", "exp.yaml"), "utf8").split("\n")[0]!,
      /\$schema=\.\.\/\.\.\/node_modules\/exp-toolchain\/schemas\/exp\.schema\.json$/,
    );
    assert.match(r.stdout, /^\+ \.github\/workflows\/plan-on-pr\.yml$/m);
    assert.match(r.stdout, /^Next: npm install, .* then npx exp validate --dir analytics\/exp$/m);
    const v = await execa(process.execPath, [bin, "validate", "--dir", "analytics/exp"], { cwd: repo, reject: false });
    assert.equal(v.exitCode, 0, v.stdout + v.stderr);
  });

  test("a package.json in the workspace's sub-folder is where the workflows run", async () => {
    const repo = join(tmp, "repo-pkg");
    mkdirSync(join(repo, "tools"), { recursive: true });
    await execa("git", ["init", "-q", repo]);
    writeFileSync(join(repo, "tools", "package.json"), JSON.stringify({ devDependencies: { "exp-toolchain": "^0.1.0" } }));
    const r = await execa(process.execPath, [bin, "init", "tools/exp", "--yes"], {
      cwd: repo,
      reject: false,
      env: { ...process.env, CI: "true" },
    });
    assert.equal(r.exitCode, 0, r.stderr);
    const doc = parse(readFileSync(join(repo, ".github", "workflows", "plan-on-pr.yml"), "utf8"));
    assert.equal(doc.env.EXP_DIR, "exp");
    assert.equal(doc.defaults.run["working-directory"], "tools");
    assert.equal(doc.jobs.plan.steps[1].with["cache-dependency-path"], "tools/package-lock.json");
    assert.equal(existsSync(join(repo, "package.json")), false);
  });
});
