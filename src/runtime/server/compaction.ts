import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, unlinkSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_WAREHOUSE_LAYOUT } from "../../workspace/build/settings.js";
import type { Settings } from "../../workspace/model.js";
import type { RecordKind } from "./sink.js";
import { highestPart, partName, partNumber, segmentName, segmentNumber } from "./segment-files.js";

/** The warehouse table mapping of exp.yaml (docs/workspace.md) that the Parquet files follow. */
export type ParquetLayout = Pick<Settings["warehouse"], "tables" | "columns">;

export const DEFAULT_LAYOUT: ParquetLayout = DEFAULT_WAREHOUSE_LAYOUT;

/** Exposures have no id column in the mapping; theirs is kept under this extra name. */
const EXPOSURE_ID = "exposure_id";

export interface CompactionReport {
  exposures: { segments: number; records: number };
  events: { segments: number; records: number };
}

const KINDS: RecordKind[] = ["exposures", "events"];

/** Where Parquet parts of a kind live: a folder named like the table, which `files:` connections match. */
export function parquetDir(dataDir: string, layout: ParquetLayout, kind: RecordKind): string {
  return join(dataDir, "parquet", layout.tables[kind].split(".").at(-1)!);
}

/**
 * Converts closed NDJSON segments into Parquet parts, one part per segment with the same number.
 * Each part is written under a temporary name, fsynced and renamed; only then is the segment
 * removed. A crash at any point leaves either the segment (redone next time, overwriting nothing
 * visible) or the complete part (the segment is then just removed), so nothing is lost or doubled.
 *
 * `below` bounds the segments per kind (those still open are excluded); without it every segment
 * but the newest of each kind is compacted, as a running server may still be appending to that one.
 */
export async function compactSegments(
  dataDir: string,
  layout: ParquetLayout = DEFAULT_LAYOUT,
  below: Partial<Record<RecordKind, number>> = {},
): Promise<CompactionReport> {
  const report: CompactionReport = { exposures: { segments: 0, records: 0 }, events: { segments: 0, records: 0 } };
  let db: { instance: DuckDBInstance; connection: DuckDBConnection } | undefined;
  try {
    for (const kind of KINDS) {
      const src = join(dataDir, kind);
      if (!existsSync(src)) continue;
      const files = readdirSync(src).filter((f) => segmentNumber(kind, f) !== undefined);
      const limit = below[kind] ?? highestPart(files, kind);
      const todo = files
        .map((f) => segmentNumber(kind, f)!)
        .filter((n) => n < limit)
        .sort((a, b) => a - b);
      if (todo.length === 0) continue;
      const out = parquetDir(dataDir, layout, kind);
      mkdirSync(out, { recursive: true });
      removeStaleTemps(out);
      for (const n of todo) {
        const segment = join(src, segmentName(kind, n));
        const part = join(out, partName(n));
        if (!existsSync(part) && statSync(segment).size > 0) {
          db ??= await openDuckDb();
          const tmp = `${part}.tmp-${process.pid}`;
          const rows = await db.connection.runAndReadAll(`COPY (${selectSql(kind, layout, segment)}) TO ${lit(tmp)} (FORMAT parquet)`);
          report[kind].records += Number(rows.getRowsJS()[0]?.[0] ?? 0);
          await fsyncPath(tmp);
          renameSync(tmp, part);
          await fsyncPath(out);
        }
        removeIfPresent(segment);
        await fsyncPath(src);
        report[kind].segments++;
      }
    }
  } finally {
    if (db) {
      db.connection.closeSync();
      db.instance.closeSync();
    }
  }
  return report;
}

/**
 * The ids already compacted into Parquet, for deduplication across restarts, and the highest part
 * number (new segments must be numbered above it). Only the id column is read, which Parquet stores
 * by itself, so this stays quick as history grows; the NDJSON left over is small by construction.
 */
export async function compactedIds(
  dataDir: string,
  layout: ParquetLayout,
  kind: RecordKind,
): Promise<{ ids: Set<string>; highest: number }> {
  const dir = parquetDir(dataDir, layout, kind);
  const parts = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => partNumber(f) !== undefined)
        .sort()
    : [];
  const ids = new Set<string>();
  if (parts.length === 0) return { ids, highest: 0 };
  const db = await openDuckDb();
  try {
    const column = kind === "events" ? layout.columns.events.event_id : EXPOSURE_ID;
    const list = `[${parts.map((p) => lit(join(dir, p))).join(", ")}]`;
    const reader = await db.connection.runAndReadAll(
      `SELECT ${ident(column)} FROM read_parquet(${list}) WHERE ${ident(column)} IS NOT NULL`,
    );
    for (const id of reader.getColumnsJS()[0] ?? []) ids.add(String(id));
  } finally {
    db.connection.closeSync();
    db.instance.closeSync();
  }
  return { ids, highest: highestPart(parts, kind) };
}

function selectSql(kind: RecordKind, layout: ParquetLayout, segment: string): string {
  // A torn last line from a crash reads as a row of NULLs (never acknowledged): it is left out.
  if (kind === "events") {
    const c = layout.columns.events;
    const read = `read_json(${lit(segment)}, format='newline_delimited', ignore_errors=true, columns={id: 'VARCHAR', unit_id: 'VARCHAR', session_id: 'VARCHAR', event: 'VARCHAR', ts: 'VARCHAR', value: 'DOUBLE', properties: 'JSON'})`;
    return `SELECT unit_id AS ${ident(c.unit_id)}, session_id AS ${ident(c.session_id)}, event AS ${ident(c.event)}, CAST(ts AS TIMESTAMP) AS ${ident(c.ts)}, value AS ${ident(c.value)}, properties AS ${ident(c.properties)}, id AS ${ident(c.event_id)} FROM ${read} WHERE id IS NOT NULL`;
  }
  const c = layout.columns.exposures;
  const read = `read_json(${lit(segment)}, format='newline_delimited', ignore_errors=true, columns={id: 'VARCHAR', unit_id: 'VARCHAR', experiment: 'VARCHAR', phase: 'INTEGER', variant: 'VARCHAR', ts: 'VARCHAR', metadata: 'JSON'})`;
  return `SELECT unit_id AS ${ident(c.unit_id)}, experiment AS ${ident(c.experiment)}, variant AS ${ident(c.variant)}, CAST(ts AS TIMESTAMP) AS ${ident(c.ts)}, CAST(NULL AS VARCHAR) AS ${ident(c.session_id)}, metadata AS ${ident(c.attributes)}, phase AS ${ident(c.phase ?? "phase")}, id AS ${EXPOSURE_ID} FROM ${read} WHERE id IS NOT NULL`;
}

async function openDuckDb(): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
  // One thread: compaction runs beside a latency-sensitive server and is not in a hurry.
  const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
  return { instance, connection: await instance.connect() };
}

/** Temporary parts left by a compaction that died (its process is gone); a live one's are kept. */
function removeStaleTemps(dir: string): void {
  for (const f of readdirSync(dir)) {
    const m = /\.tmp-(\d+)$/.exec(f);
    if (m && !alive(Number(m[1]))) unlinkSync(join(dir, f));
  }
}

/** Another compaction (`exp compact` beside a server) may have finished the same segment first. */
function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function ident(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}
