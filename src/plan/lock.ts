import { randomBytes } from "node:crypto";
import { promises as fs, readFileSync, unlinkSync } from "node:fs";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import { readTextIfExists, syncDir } from "../fsio/atomic.js";
import type { LockHandle, LockOwner } from "./target/target.js";
import { PublishError } from "./target/errors.js";
import { stateCodes } from "./target/codes.js";

export interface LockOptions {
  /** How long to wait for a live holder before giving up. */
  timeoutMs?: number;
  pollMs?: number;
  /** Told when a stale lock is removed, so the command can say so. */
  onStaleBroken?: (owner: LockOwner) => void;
}

/**
 * An exclusive lock file holding {holder, pid, host, since}. The owner record is written to a temp
 * file first and then hard-linked to the lock path: link() fails with EEXIST exactly like
 * open(O_CREAT|O_EXCL), but the lock never exists half-written, so a holder killed at any instant
 * leaves a lock whose owner can be read and judged stale.
 */
export async function acquireLock(lockPath: string, holder: string, options: LockOptions = {}): Promise<LockHandle> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const pollMs = options.pollMs ?? 50;
  const token = randomBytes(8).toString("hex");
  const deadline = Date.now() + timeoutMs;
  let brokeStale: LockOwner | undefined;
  for (;;) {
    const owner: LockOwner = { holder, pid: process.pid, host: hostname(), since: new Date().toISOString() };
    if (await tryCreate(lockPath, `${JSON.stringify({ ...owner, token })}\n`)) break;
    const existing = await readOwner(lockPath);
    if (existing === "gone") continue;
    if (existing !== "unreadable" && isStale(existing)) {
      if (await breakStale(lockPath, existing)) {
        brokeStale = existing;
        options.onStaleBroken?.(existing);
        continue;
      }
      // Another process is breaking it right now; a breaker that hangs must not hold us forever.
      if (Date.now() >= deadline + timeoutMs) throw lockedError(lockPath, existing);
      await sleep(pollMs);
      continue;
    }
    if (Date.now() >= deadline) throw lockedError(lockPath, existing);
    await sleep(Math.min(pollMs, Math.max(1, deadline - Date.now())));
  }
  // process.exit() (e.g. a usage error after the lock was taken) skips our release; signals do
  // not run 'exit' handlers, and the lock they leave is stale and broken by the next publisher.
  const onExit = () => {
    try {
      const now = readFileSync(lockPath, "utf8");
      if (now.includes(`"token":"${token}"`)) unlinkSync(lockPath);
    } catch {
      // Already released.
    }
  };
  process.once("exit", onExit);
  let released = false;
  return {
    brokeStale,
    async release() {
      if (released) return;
      released = true;
      process.removeListener("exit", onExit);
      const now = await readTextIfExists(lockPath);
      // Only remove our own lock: if it was broken and retaken, the file belongs to someone else.
      if (now !== undefined && now.includes(`"token":"${token}"`)) {
        await fs.rm(lockPath, { force: true });
        await syncDir(dirname(lockPath));
      }
    },
  };
}

/** Reads the owner of a lock file without taking it (for messages and `exp audit`). */
export async function readLockOwner(lockPath: string): Promise<LockOwner | undefined> {
  const o = await readOwner(lockPath);
  return o === "gone" || o === "unreadable" ? undefined : o;
}

async function tryCreate(lockPath: string, body: string): Promise<boolean> {
  const tmp = join(dirname(lockPath), `.lock.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const handle = await fs.open(tmp, "wx", 0o644);
  try {
    await handle.writeFile(body);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.link(tmp, lockPath);
    await syncDir(dirname(lockPath));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

async function readOwner(lockPath: string): Promise<LockOwner | "gone" | "unreadable"> {
  const text = await readTextIfExists(lockPath);
  if (text === undefined) return "gone";
  try {
    const o = JSON.parse(text) as LockOwner;
    if (typeof o.pid === "number" && typeof o.host === "string" && typeof o.holder === "string") return o;
  } catch {
    // Written by something else; treat as held and let the timeout message point at the file.
  }
  return "unreadable";
}

/** Only a lock from this host can be judged: a pid means nothing on another machine. */
function isStale(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * Two waiters may judge the same lock stale at once, and a third may take the lock in between. So
 * breaking happens under a second exclusive file (`<lock>.break`): the breaker re-reads the lock
 * under it and removes the file only if it still names the same dead owner.
 */
async function breakStale(lockPath: string, seen: LockOwner): Promise<boolean> {
  const mutex = `${lockPath}.break`;
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(mutex, "wx", 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    await clearDeadBreaker(mutex);
    return false;
  }
  try {
    await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname() }));
    await handle.close();
    const now = await readOwner(lockPath);
    const same = now !== "gone" && now !== "unreadable" && now.pid === seen.pid && now.since === seen.since && now.host === seen.host;
    if (!same) return false;
    await fs.rm(lockPath, { force: true });
    await syncDir(dirname(lockPath));
    return true;
  } finally {
    await fs.rm(mutex, { force: true });
  }
}

/** A breaker killed while breaking leaves its mutex; remove it once its process is gone. */
async function clearDeadBreaker(mutex: string): Promise<void> {
  const text = await readTextIfExists(mutex);
  if (text === undefined) return;
  let dead = false;
  try {
    const o = JSON.parse(text) as { pid: number; host: string };
    dead = isStale({ holder: "", pid: o.pid, host: o.host, since: "" });
  } catch {
    // Killed between create and write: judge by age instead.
    const st = await fs.stat(mutex).catch(() => undefined);
    dead = st !== undefined && Date.now() - st.mtimeMs > 2_000;
  }
  if (dead) await fs.rm(mutex, { force: true });
}

function lockedError(lockPath: string, owner: LockOwner | "unreadable"): PublishError {
  if (owner === "unreadable")
    return new PublishError(
      stateCodes.targetLocked,
      `the publish target is locked (the lock file "${lockPath}" is not readable); wait or remove ${lockPath} if no apply is running`,
    );
  return new PublishError(
    stateCodes.targetLocked,
    `the publish target is locked by ${owner.holder} (pid ${owner.pid} on host ${owner.host}) since ${owner.since}; wait or remove ${lockPath} if that process is gone`,
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
