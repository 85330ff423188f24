import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { acquireLock, readLockOwner } from "../../src/plan/lock.js";
import { DirectoryTarget } from "../../src/plan/target/directory.js";
import { PublishError } from "../../src/plan/target/errors.js";
import { verifyAuditChain } from "../../src/plan/audit-verify.js";
import type { LockOwner } from "../../src/plan/target/target.js";

const publisher = fileURLToPath(new URL("./child/publisher.ts", import.meta.url));

interface Publisher {
  ready: Promise<void>;
  go(): void;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function startPublisher(args: string[]): Publisher {
  const child = spawn(process.execPath, ["--import", "tsx", publisher, ...args], { stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let onReady!: () => void;
  const ready = new Promise<void>((r) => (onReady = r));
  child.stdout.on("data", (b: Buffer) => {
    stdout += b.toString();
    if (stdout.includes("ready\n")) onReady();
  });
  child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
  return { ready, go: () => child.stdin.end("go\n"), done };
}

function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "exp-lock-"));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

/** A pid that certainly belonged to a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
}

describe("lock", () => {
  test("two concurrent publisher processes: exactly one publishes, the other names the holder", () =>
    withDir(async (dir) => {
      // Both are released at the same instant; the winner holds the lock far longer than the loser waits.
      const pa = startPublisher([dir, "alice", "1500", "400"]);
      const pb = startPublisher([dir, "bob", "1500", "400"]);
      await Promise.all([pa.ready, pb.ready]);
      pa.go();
      pb.go();
      const [a, b] = await Promise.all([pa.done, pb.done]);
      const results = [
        { name: "alice", ...a },
        { name: "bob", ...b },
      ];
      const winners = results.filter((r) => r.code === 0);
      const losers = results.filter((r) => r.code === 3);
      assert.equal(winners.length, 1, JSON.stringify(results));
      assert.equal(losers.length, 1, JSON.stringify(results));
      const winner = winners[0]!;
      const loser = losers[0]!;
      assert.match(winner.stdout, /published 1/);
      assert.match(
        loser.stderr,
        new RegExp(
          `^EXP4901 the publish target is locked by ${winner.name} \\(pid \\d+ on host ${hostname().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\) since \\d{4}-\\d\\d-\\d\\dT[^;]+; wait or remove .*lock if that process is gone`,
        ),
      );
      const target = new DirectoryTarget(dir);
      assert.equal((await target.current())?.version, 1);
      const audit = await target.audit();
      assert.deepEqual(
        audit.map((r) => r.actor),
        [winner.name],
      );
      assert.ok(verifyAuditChain(await target.auditText()).ok);
      assert.equal(existsSync(join(dir, "lock")), false, "the winner released its lock");
    }));

  test("a lock held by a dead pid on this host is stale: it is broken and the caller is told", () =>
    withDir(async (dir) => {
      const lockPath = join(dir, "lock");
      const stale: LockOwner = { holder: "carol", pid: deadPid(), host: hostname(), since: "2026-01-01T00:00:00.000Z" };
      writeFileSync(lockPath, JSON.stringify(stale));
      const told: LockOwner[] = [];
      const handle = await acquireLock(lockPath, "dave", { timeoutMs: 500, onStaleBroken: (o) => told.push(o) });
      assert.deepEqual(told, [stale]);
      assert.deepEqual(handle.brokeStale, stale);
      assert.equal((await readLockOwner(lockPath))?.holder, "dave");
      assert.equal((await readLockOwner(lockPath))?.pid, process.pid);
      await handle.release();
      assert.equal(existsSync(lockPath), false);
    }));

  test("a live holder is waited for, then the timeout names it", () =>
    withDir(async (dir) => {
      const lockPath = join(dir, "lock");
      const first = await acquireLock(lockPath, "erin");
      const started = Date.now();
      await assert.rejects(acquireLock(lockPath, "frank", { timeoutMs: 300, pollMs: 20 }), (e: unknown) => {
        assert.ok(e instanceof PublishError);
        assert.equal(e.code, "EXP4901");
        assert.match(
          e.message,
          new RegExp(
            `locked by erin \\(pid ${process.pid} on host .+\\) since .+; wait or remove ${lockPath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} if that process is gone`,
          ),
        );
        return true;
      });
      assert.ok(Date.now() - started >= 280, "it waited for the timeout");
      // Once released, the waiter gets it.
      const waiting = acquireLock(lockPath, "frank", { timeoutMs: 15_000, pollMs: 10 });
      setTimeout(() => void first.release(), 100);
      const second = await waiting;
      assert.equal((await readLockOwner(lockPath))?.holder, "frank");
      await second.release();
    }));

  test("a lock from another host is never judged stale", () =>
    withDir(async (dir) => {
      const lockPath = join(dir, "lock");
      writeFileSync(
        lockPath,
        JSON.stringify({ holder: "gina", pid: deadPid(), host: "elsewhere.example", since: "2026-01-01T00:00:00.000Z" }),
      );
      await assert.rejects(acquireLock(lockPath, "hank", { timeoutMs: 150 }), /locked by gina \(pid \d+ on host elsewhere\.example\)/);
      assert.match(readFileSync(lockPath, "utf8"), /gina/);
    }));

  test("release does not remove a lock that someone else took after ours was broken", () =>
    withDir(async (dir) => {
      const lockPath = join(dir, "lock");
      const ours = await acquireLock(lockPath, "ivan");
      const theirs = { holder: "judy", pid: process.pid, host: hostname(), since: new Date().toISOString(), token: "other" };
      writeFileSync(lockPath, JSON.stringify(theirs));
      await ours.release();
      assert.equal((await readLockOwner(lockPath))?.holder, "judy");
    }));
});
