import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lastChangedFromGit } from "../../../src/plan/checks/git-history.js";

const DAY_MS = 86_400_000;
const now = new Date("2026-12-10T12:00:00Z");
const daysAgo = (n: number) => new Date(now.getTime() - n * DAY_MS);

function commit(repo: string, files: string[], when: Date): void {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: "T",
    GIT_AUTHOR_EMAIL: "t@example.com",
    GIT_COMMITTER_NAME: "T",
    GIT_COMMITTER_EMAIL: "t@example.com",
    GIT_AUTHOR_DATE: when.toISOString(),
    GIT_COMMITTER_DATE: when.toISOString(),
  };
  for (const f of files) appendFileSync(join(repo, f), `# ${when.toISOString()}\n`);
  execFileSync("git", ["add", ...files], { cwd: repo, env });
  execFileSync("git", ["-c", "commit.gpgsign=false", "commit", "-q", "-m", "change"], { cwd: repo, env });
}

test("lastChangedFromGit reads one log pass, relative to a workspace in a subfolder", async () => {
  const repo = mkdtempSync(join(tmpdir(), "plan-checks-git-"));
  try {
    execFileSync("git", ["init", "-q"], { cwd: repo });
    mkdirSync(join(repo, "ws/flags"), { recursive: true });
    mkdirSync(join(repo, "other"));
    for (const f of ["ws/flags/a.yaml", "ws/flags/b.yaml", "ws/flags/with space.yaml", "other/x.yaml"])
      writeFileSync(join(repo, f), "flag: x\n");
    commit(repo, ["ws/flags/a.yaml", "ws/flags/b.yaml", "ws/flags/with space.yaml", "other/x.yaml"], daysAgo(100));
    commit(repo, ["ws/flags/b.yaml"], daysAgo(5));
    commit(repo, ["other/x.yaml"], daysAgo(1));
    writeFileSync(join(repo, "ws/flags/new.yaml"), "flag: new\n");

    const all = await lastChangedFromGit(join(repo, "ws"), undefined, now);
    assert.ok(all);
    assert.deepEqual([...all.keys()].sort(), ["flags/a.yaml", "flags/b.yaml", "flags/new.yaml", "flags/with space.yaml"]);
    // Commit dates carry whole seconds; compare at that precision.
    const secs = (d: Date | undefined) => Math.round((d?.getTime() ?? NaN) / 1000);
    assert.equal(secs(all.get("flags/a.yaml")), secs(daysAgo(100)));
    assert.equal(secs(all.get("flags/b.yaml")), secs(daysAgo(5)));
    assert.equal(secs(all.get("flags/with space.yaml")), secs(daysAgo(100)));
    assert.equal(all.get("flags/new.yaml")?.getTime(), now.getTime(), "untracked files count as changed now");

    appendFileSync(join(repo, "ws/flags/a.yaml"), "# edited\n");
    const some = await lastChangedFromGit(join(repo, "ws"), ["flags/a.yaml"], now);
    assert.deepEqual(
      [...some!.entries()].map(([k, v]) => [k, v.getTime()]),
      [["flags/a.yaml", now.getTime()]],
    );
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
});

test("lastChangedFromGit is undefined outside git", async () => {
  const dir = mkdtempSync(join(tmpdir(), "plan-checks-nogit-"));
  try {
    // GIT_CEILING_DIRECTORIES keeps git from finding a repository above the temp folder.
    process.env.GIT_CEILING_DIRECTORIES = tmpdir();
    assert.equal(await lastChangedFromGit(dir), undefined);
  } finally {
    delete process.env.GIT_CEILING_DIRECTORIES;
    rmSync(dir, { recursive: true, force: true });
  }
});
