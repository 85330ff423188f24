import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DedupIndex } from "./dedup-index.js";
import { closeDuckDb, ident, lit, openDuckDb, rowsOf, type DuckDb } from "./duckdb.js";
import { idColumn, parquetDir, quarantineDir, type ParquetLayout } from "./parquet-layout.js";
import { partName, partNumber, segmentName, segmentNumber } from "./segment-files.js";
import type { RecordKind } from "./sink.js";

/**
 * The dedup index a sink starts with: the ids of the newest segments and parts, newest first,
 * until the window is full, so that start-up reads about a window's worth of ids however long the
 * history. Also the highest number in use (segments, parts and quarantine), above which new
 * segments are numbered, so that a number is never reused.
 */
export async function loadRecentIds(
  dataDir: string,
  layout: ParquetLayout,
  kind: RecordKind,
  window: number,
): Promise<{ dedup: DedupIndex; highest: number }> {
  const segDir = join(dataDir, kind);
  const partDir = parquetDir(dataDir, layout, kind);
  const segments = new Set(list(segDir).flatMap((f) => segmentNumber(kind, f) ?? []));
  const parts = new Set(list(partDir).flatMap((f) => partNumber(f) ?? []));
  const quarantined = list(quarantineDir(dataDir, kind)).flatMap((f) => segmentNumber(kind, f) ?? []);
  const numbers = [...new Set([...segments, ...parts])].sort((a, b) => b - a);
  const newestFirst: string[][] = [];
  let db: DuckDb | undefined;
  try {
    let held = 0;
    for (const n of numbers) {
      if (held >= window) break;
      let ids: string[];
      if (segments.has(n)) ids = segmentIds(join(segDir, segmentName(kind, n)));
      else {
        db ??= await openDuckDb();
        const col = ident(idColumn(layout, kind));
        const rows = await rowsOf(db, `SELECT ${col} FROM read_parquet(${lit(join(partDir, partName(n)))}) WHERE ${col} IS NOT NULL`);
        ids = rows.map((r) => String(r[0]));
      }
      const wanted = ids.slice(Math.max(0, ids.length - (window - held)));
      newestFirst.push(wanted);
      held += wanted.length;
    }
  } finally {
    closeDuckDb(db);
  }
  const dedup = new DedupIndex(window);
  for (let i = newestFirst.length - 1; i >= 0; i--) for (const id of newestFirst[i]!) dedup.add(id);
  return { dedup, highest: Math.max(0, ...numbers, ...quarantined) };
}

/**
 * The ids of an NDJSON segment, in order. The server writes `id` first, so the id is read from the
 * start of the line without parsing the rest; a line that does not start so is parsed whole, and
 * one that is not JSON (a torn last line, never acknowledged) is skipped.
 */
function segmentIds(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  const ids: string[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    try {
      const head = ID_FIRST.exec(line);
      const id = head ? (JSON.parse(head[1]!) as unknown) : (JSON.parse(line) as { id?: unknown }).id;
      if (typeof id === "string" && id) ids.push(id);
    } catch {
      // A torn last line from a crash: the record was never acknowledged, so it is not counted.
    }
  }
  return ids;
}

const ID_FIRST = /^\{"id":("(?:[^"\\]|\\.)*")/;

function list(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}
