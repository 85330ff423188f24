// The install path of docs/install.md, as a user walks it: pack the package, install the tarball
// into a new empty git repository, then `npx exp init`, `validate`, `fmt --check`, `plan`, `apply`
// and `plan` again, all through npx resolving the local install. The install takes about a minute
// with a warm npm cache (it installs the dependencies the lock pins, from the cache when it has them).
import assert from "node:assert/strict";
import { existsSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { execa } from "execa";
import { parse } from "yaml";
import { installIntoNewRepo, npxExp, type InstalledRepo } from "./packed-install.js";

let installed: InstalledRepo;

before(async () => {
  installed = await installIntoNewRepo();
});
after(() => rmSync(installed.tmp, { recursive: true, force: true }));

const git = (args: string[]) => execa("git", args, { cwd: installed.repo });

describe("exp installed from a packed tarball into a new repository", () => {
  test("npm records the tarball as the dev dependency and npx exp is the local install", async (t) => {
    t.diagnostic(`npm install of the tarball took ${installed.installMs} ms`);
    const manifest = JSON.parse(readFileSync(join(installed.repo, "package.json"), "utf8"));
    assert.match(manifest.devDependencies["exp-toolchain"], /^file:.*exp-toolchain-.*\.tgz$/);
    const v = await npxExp(installed.repo, ["--version"]);
    assert.equal(v.exitCode, 0, v.all);
    assert.match(v.stdout.trim(), /^\d+\.\d+\.\d+/);
    assert.ok(
      realpathSync(join(installed.repo, "node_modules", ".bin", "exp")).startsWith(
        realpathSync(join(installed.repo, "node_modules", "exp-toolchain")),
      ),
    );
  });

  test("npx exp init needs no --force next to package.json and node_modules, keeps package.json, names no unpublished package", async () => {
    const before = readFileSync(join(installed.repo, "package.json"), "utf8");
    const r = await npxExp(installed.repo, ["init", "--yes", "--project", "shop"]);
    assert.equal(r.exitCode, 0, r.all);
    assert.equal(readFileSync(join(installed.repo, "package.json"), "utf8"), before);
    assert.match(r.stdout, /^Next: npx exp validate$/m);
    assert.doesNotMatch(r.all ?? "", /install --save-dev exp-toolchain\b/);
    assert.ok(existsSync(join(installed.repo, ".github", "workflows", "plan-on-pr.yml")));
    // The schema lines resolve into the install.
    const first = readFileSync(join(installed.repo, "exp.yaml"), "utf8").split("\n")[0]!;
    assert.ok(existsSync(join(installed.repo, first.replace(/^# yaml-language-server: \$schema=/, ""))), first);
    assert.deepEqual(parse(readFileSync(join(installed.repo, "exp.yaml"), "utf8")).runtime.publish, {
      type: "git",
      branch: "exp-published",
    });
  });

  test("npx exp validate and fmt --check pass on the fresh workspace", async () => {
    const v = await npxExp(installed.repo, ["validate"]);
    assert.equal(v.exitCode, 0, v.all);
    const f = await npxExp(installed.repo, ["fmt", "--check"]);
    assert.equal(f.exitCode, 0, f.all);
  });

  test("npx exp plan, apply and plan again, against the git branch of a repository without a remote", async () => {
    await git(["add", "-A"]);
    await git(["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "exp init"]);
    const plan = await npxExp(installed.repo, ["plan"]);
    assert.equal(plan.exitCode, 2, plan.all);
    const apply = await npxExp(installed.repo, ["apply", "--auto-approve"], { EXP_ACTOR: "installer" });
    assert.equal(apply.exitCode, 0, apply.all);
    const branch = await git(["ls-tree", "--name-only", "exp-published"]);
    assert.deepEqual(branch.stdout.split("\n").sort(), ["audit.log.jsonl", "current", "ruleset.v1.json"]);
    const again = await npxExp(installed.repo, ["plan"]);
    assert.equal(again.exitCode, 0, again.all);
    const verify = await npxExp(installed.repo, ["audit", "verify"]);
    assert.equal(verify.exitCode, 0, verify.all);
    assert.equal((await git(["status", "--porcelain"])).stdout, "", "publishing touched neither the working tree nor the index");
  });
});
