import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleGit } from "simple-git";
import { commitFiles, headCommit } from "../../src/gitops/commit.js";

test("commitFiles commits changed files once; an unchanged regeneration makes no commit", async () => {
  const dir = mkdtempSync(join(tmpdir(), "exp-commit-"));
  const git = simpleGit({ baseDir: dir });
  await git.init();
  await git.addConfig("user.name", "Test");
  await git.addConfig("user.email", "test@example.invalid");
  writeFileSync(join(dir, "README.md"), "x\n");
  await git.add(["README.md"]);
  await git.commit("init");
  mkdirSync(join(dir, "reports/x"), { recursive: true });
  writeFileSync(join(dir, "reports/x/2026-12-01.md"), "# report\n");
  const first = await commitFiles(dir, ["reports/x/2026-12-01.md"], "report: x");
  assert.ok(first);
  assert.equal(await headCommit(dir), first);
  writeFileSync(join(dir, "reports/x/2026-12-01.md"), "# report\n");
  assert.equal(await commitFiles(dir, ["reports/x/2026-12-01.md"], "report: x"), undefined);
  assert.equal((await git.log()).total, 2);
});
