import { chmod, readdir, rename } from "node:fs/promises";
import { join } from "node:path";
import { syncDir, syncFile } from "../../../fsio/atomic.js";
import { lit, rowsOf, type DuckDb } from "../duckdb.js";
import { partNumber, PRIVATE_FILE } from "../segment-files.js";

/**
 * Rewrites every Parquet part in `dir` that holds a row matching `where` (SQL over the part's
 * columns) without those rows (a NULL there keeps the row), and returns how many rows went. Each part is rewritten like
 * compaction writes one: under a temporary name, fsynced, made private and renamed, so a crash
 * leaves the old part or the new one, never half of either; a part without such a row is not touched.
 */
export async function purgeParts(db: DuckDb, dir: string, where: string): Promise<number> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => partNumber(f) !== undefined).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw err;
  }
  let removed = 0;
  for (const f of files) {
    const part = join(dir, f);
    const src = `read_parquet(${lit(part)})`;
    const hits = Number((await rowsOf(db, `SELECT count(*) FROM ${src} WHERE ${where}`))[0]?.[0] ?? 0);
    if (hits === 0) continue;
    const tmp = `${part}.tmp-${process.pid}`;
    await db.connection.run(`COPY (SELECT * FROM ${src} WHERE (${where}) IS NOT TRUE) TO ${lit(tmp)} (FORMAT parquet)`);
    await syncFile(tmp);
    await chmod(tmp, PRIVATE_FILE);
    await rename(tmp, part);
    removed += hits;
  }
  if (removed > 0) await syncDir(dir);
  return removed;
}
