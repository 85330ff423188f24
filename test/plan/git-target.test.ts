import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { appendAuditEntry } from "../../src/plan/audit-append.js";
import { verifyTargetAudit } from "../../src/plan/audit-check.js";
import { parsePublishConfig } from "../../src/plan/target/config.js";
import { GitTarget } from "../../src/plan/target/git.js";
import { openPublishTarget } from "../../src/plan/target/open.js";
import { PublishError } from "../../src/plan/target/errors.js";
import type { PublishTarget } from "../../src/plan/target/target.js";
import { makeRuleset, verifyFixture } from "./ruleset-fixture.js";

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), "exp-git-target-"));
});
after(() => rmSync(work, { recursive: true, force: true }));

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.invalid", ...args], { cwd, encoding: "utf8" });
}

/** A repository with one commit on main, as a user's workspace is. */
function repo(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  git(dir, "init", "-q", "-b", "main");
  writeFileSync(join(dir, "exp.yaml"), "version: 1\n");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "workspace");
  return dir;
}

function target(root: string, o: { branch?: string; env?: NodeJS.ProcessEnv } = {}): GitTarget {
  return new GitTarget({ root, branch: o.branch ?? "exp-published", remote: "origin", verify: verifyFixture, env: o.env });
}

/** Publishes the next version the way apply does: current, publish, then the audit record. */
async function publishNext(t: PublishTarget, actor = "alice", salt?: string): Promise<number> {
  const current = await t.current();
  const version = Math.max(0, ...(await t.versions())) + 1;
  await t.publish(makeRuleset(version, { salt }), { expectedVersion: current?.version, expectedChecksum: current?.checksum });
  await appendAuditEntry(t, {
    ts: `2026-05-0${version}T00:00:00.000Z`,
    actor,
    sourceCommit: null,
    fromVersion: current?.version ?? null,
    toVersion: version,
    action: "apply",
    summary: `publish ${version}`,
  });
  return version;
}

const isCode = (code: string, pattern: RegExp) => (e: unknown) => {
  assert.ok(e instanceof PublishError, String(e));
  assert.equal(e.code, code);
  assert.match(e.message, pattern);
  return true;
};

describe("git target without a remote", () => {
  test("keeps the layout on a local branch and leaves the working tree, index and HEAD alone", async () => {
    const dir = repo("local");
    const t = target(dir);
    assert.equal(await t.current(), undefined);
    assert.equal(await publishNext(t), 1);
    assert.equal(await publishNext(target(dir)), 2);
    assert.deepEqual(git(dir, "ls-tree", "--name-only", "exp-published").split("\n").filter(Boolean).sort(), [
      "audit.log.jsonl",
      "current",
      "ruleset.v1.json",
      "ruleset.v2.json",
    ]);
    assert.equal(git(dir, "rev-parse", "--abbrev-ref", "HEAD").trim(), "main");
    assert.equal(git(dir, "status", "--porcelain", "--untracked-files=all").replace(/^\?\? \.exp\/.*\n/gm, ""), "");
    const fresh = target(dir);
    assert.equal((await fresh.current())?.version, 2);
    assert.deepEqual(await verifyTargetAudit(fresh), {
      ok: true,
      count: 2,
      head: (await fresh.audit())[1]!.hash,
      unanchored: 0,
      anchored: true,
    });
  });

  test("two publishers that read the same head: the second is told to plan again", async () => {
    const dir = repo("local-race");
    await publishNext(target(dir));
    const a = target(dir);
    const b = target(dir);
    const [ca, cb] = [await a.current(), await b.current()];
    await a.publish(makeRuleset(2), { expectedVersion: ca!.version, expectedChecksum: ca!.checksum });
    await assert.rejects(
      b.publish(makeRuleset(2, { salt: "b" }), { expectedVersion: cb!.version, expectedChecksum: cb!.checksum }),
      isCode("EXP4903", /published state on branch "exp-published" moved while this command ran/),
    );
    assert.equal((await target(dir).current())?.ruleset.checksum, makeRuleset(2).checksum);
  });

  test("a folder outside git is a configuration error", async () => {
    const dir = join(work, "not-a-repo");
    mkdirSync(dir);
    await assert.rejects(
      target(dir).current(),
      isCode("EXP4920", /runtime\.publish has type "git", but ".*not-a-repo" is not inside a git repository/),
    );
  });
});

describe("git target with a remote", () => {
  let remote: string;
  let ci: string;
  before(() => {
    remote = join(work, "remote.git");
    git(work, "init", "-q", "--bare", "-b", "main", remote);
  });

  test("a branch published before the remote existed is pushed with its history by the next write", async () => {
    const dev = repo("dev");
    await publishNext(target(dev));
    git(dev, "remote", "add", "origin", remote);
    git(dev, "push", "-q", "origin", "main");
    assert.equal(await publishNext(target(dev)), 2);
    assert.equal(git(work, "--git-dir", remote, "rev-list", "--count", "exp-published").trim(), "4");
  });

  test("a fresh shallow clone (a CI runner) reads the published state and publishes on top of it", async () => {
    ci = join(work, "ci");
    git(work, "clone", "-q", "--depth", "1", "--branch", "main", `file://${remote}`, ci);
    const t = target(ci);
    assert.equal((await t.current())?.version, 2);
    assert.equal(await publishNext(t, "ci-bot"), 3);
    assert.equal(JSON.parse(git(work, "--git-dir", remote, "show", "exp-published:current")).version, 3);
    const records = (await target(join(work, "dev")).audit()).map((r) => [r.seq, r.actor, r.toVersion]);
    assert.deepEqual(records.at(-1), [3, "ci-bot", 3]);
  });

  test("concurrent applies on two machines: the push that is not a fast-forward loses", async () => {
    const a = target(join(work, "dev"));
    const b = target(ci);
    const [ca, cb] = [await a.current(), await b.current()];
    await a.publish(makeRuleset(4), { expectedVersion: ca!.version, expectedChecksum: ca!.checksum });
    await assert.rejects(
      b.publish(makeRuleset(4, { salt: "b" }), { expectedVersion: cb!.version, expectedChecksum: cb!.checksum }),
      isCode("EXP4903", /moved while this command ran.*not a fast-forward/),
    );
    // The loser's next read sees the winner's version.
    assert.equal((await b.current())?.ruleset.checksum, makeRuleset(4).checksum);
  });

  test("history rewritten on the branch (the log truncated by a commit) fails verification", async () => {
    const dev = join(work, "dev");
    const t = target(dev);
    await appendAuditEntry(t, {
      ts: "2026-05-09T00:00:00.000Z",
      actor: "alice",
      sourceCommit: null,
      fromVersion: 3,
      toVersion: 4,
      action: "apply",
      summary: "publish 4",
    });
    assert.equal((await verifyTargetAudit(target(dev))).ok, true);
    const edit = join(work, "edit");
    git(work, "clone", "-q", "--branch", "exp-published", `file://${remote}`, edit);
    const log = execFileSync("git", ["show", "HEAD:audit.log.jsonl"], { cwd: edit, encoding: "utf8" });
    writeFileSync(join(edit, "audit.log.jsonl"), log.split("\n").slice(0, 2).join("\n") + "\n");
    git(edit, "commit", "-qam", "nothing to see");
    git(edit, "push", "-q", "origin", "exp-published");
    const verdict = await verifyTargetAudit(target(dev));
    assert.equal(verdict.ok, false);
    assert.match(verdict.ok ? "" : verdict.message, /the log ends at seq 2, but the current pointer records seq 4/);
  });

  test("an unreachable remote and a refused push are named, without credentials", async () => {
    const dir = repo("unreachable");
    git(dir, "remote", "add", "origin", `file://user:secret@${join(work, "missing.git")}`);
    await assert.rejects(target(dir).current(), (e: unknown) => {
      isCode("EXP4922", /^could not fetch branch "exp-published" from remote "origin" \(/)(e);
      assert.doesNotMatch((e as PublishError).message, /secret/);
      assert.match((e as PublishError).hint ?? "", /contents: read/);
      return true;
    });

    const guarded = join(work, "guarded.git");
    git(work, "init", "-q", "--bare", guarded);
    writeFileSync(join(guarded, "hooks", "pre-receive"), "#!/bin/sh\necho 'branch is protected' >&2\nexit 1\n");
    chmodSync(join(guarded, "hooks", "pre-receive"), 0o755);
    const pusher = repo("pusher");
    git(pusher, "remote", "add", "origin", guarded);
    await assert.rejects(publishNext(target(pusher)), (e: unknown) => {
      isCode("EXP4922", /^could not push branch "exp-published" to remote "origin" \(.*pre-receive hook declined/)(e);
      assert.match((e as PublishError).hint ?? "", /contents: write/);
      return true;
    });
  });

  test("a runner without a git identity still records the state", async () => {
    const dir = repo("anonymous");
    const home = join(work, "empty-home");
    mkdirSync(home);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: home,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: join(home, "none"),
    };
    for (const k of ["GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"]) delete env[k];
    assert.equal(await publishNext(target(dir, { env })), 1);
    assert.equal((await target(dir).current())?.version, 1);
  });
});

describe("runtime.publish: git", () => {
  test("branch and remote are optional; a bad branch name is a configuration error", () => {
    assert.deepEqual(parsePublishConfig("runtime:\n  publish: { type: git }\n"), { type: "git" });
    assert.deepEqual(parsePublishConfig("runtime:\n  publish: { type: git, branch: state/exp, remote: upstream }\n"), {
      type: "git",
      branch: "state/exp",
      remote: "upstream",
    });
    for (const bad of ["-x", "a..b", "a/", "x.lock", "with space"])
      assert.throws(
        () => parsePublishConfig(`runtime:\n  publish: { type: git, branch: "${bad}" }\n`),
        (e: unknown) => e instanceof PublishError && e.code === "EXP4920" && e.message.includes(`"${bad}"`),
      );
    const opened = openPublishTarget({ type: "git" }, join(work, "local"));
    assert.equal(opened.description, 'git branch "exp-published"');
  });
});
