import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * Replaces `path` with `content` so that a crash at any instant leaves either the old file or the
 * new one. The temp file lives in the same folder because rename is only atomic within a filesystem.
 * `mode` is the new file's permissions (0644 unless private data asks for 0600).
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array, options: { mode?: number } = {}): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const handle = await fs.open(tmp, "wx", options.mode ?? 0o644);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await fs.rename(tmp, path);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dir);
}

/** Makes a rename or unlink in `dir` durable: without it the entry can vanish after a power loss. */
export async function syncDir(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, "r");
    await handle.sync();
  } catch (err) {
    // Some filesystems refuse fsync on a directory; the rename itself has already happened.
    if ((err as NodeJS.ErrnoException).code !== "EISDIR" && (err as NodeJS.ErrnoException).code !== "EINVAL") throw err;
  } finally {
    await handle?.close();
  }
}

/** Makes a file's bytes durable (one written by another library, such as DuckDB). */
export async function syncFile(path: string): Promise<void> {
  const handle = await fs.open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Reads a file as UTF-8, or undefined when it does not exist. */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return await fs.readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/** Temp files left by writers that were killed between create and rename; safe to delete once old. */
export async function sweepTempFiles(dir: string, olderThanMs: number): Promise<number> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  const now = Date.now();
  for (const name of names) {
    if (!name.startsWith(".") || !name.endsWith(".tmp")) continue;
    const p = join(dir, name);
    try {
      const st = await fs.stat(p);
      if (now - st.mtimeMs >= olderThanMs) {
        await fs.rm(p, { force: true });
        removed++;
      }
    } catch {
      // Another process swept it first.
    }
  }
  return removed;
}
