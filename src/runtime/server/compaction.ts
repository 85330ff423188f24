import { existsSync, mkdirSync, readdirSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { syncDir } from "../../fsio/atomic.js";
import { compactSegment, timestampLit, type SegmentPurge } from "./compact-segment.js";
import { closeDuckDb, ident, openDuckDb, type DuckDb } from "./duckdb.js";
import { DEFAULT_LAYOUT, parquetDir, quarantineDir, tsColumn, type ParquetLayout } from "./parquet-layout.js";
import { purgeParts } from "./privacy/purge-parts.js";
import { readTombstones, tombstoneTableSql } from "./privacy/tombstones.js";
import { highestPart, partName, partNumber, PRIVATE_DIR, segmentName, segmentNumber } from "./segment-files.js";
import type { RecordKind } from "./sink.js";

export { DEFAULT_LAYOUT, parquetDir, type ParquetLayout } from "./parquet-layout.js";

export interface KindReport {
  /** Segments compacted (and removed). */
  segments: number;
  /** Rows written to Parquet. */
  records: number;
  /** Lines left out because their id was already in Parquet. */
  duplicates: number;
  /** Lines kept in quarantine (`<data-dir>/quarantine/<kind>/`) instead of Parquet. */
  quarantined: number;
  /** Lines left out because their unit was forgotten (`exp forget`; the tombstone list). */
  forgotten: number;
  /** Rows purged as older than the retention: lines of segments, and rows of existing parts. */
  expired: number;
}

export interface CompactionOptions {
  /** Data older than this (ms before `now`) is purged (exp.yaml `privacy.retention`); kept forever when absent. */
  retentionMs?: number;
  now?: () => number;
}

export type CompactionReport = Record<RecordKind, KindReport>;

const KINDS: RecordKind[] = ["exposures", "events", "identities"];

/**
 * Converts closed NDJSON segments into Parquet parts, one part per segment with the same number,
 * oldest first (compact-segment.ts does one). A segment is removed only once every line of it is
 * in its part, in an older part (a duplicate) or in quarantine, so a crash at any point leaves
 * either the segment (redone next time) or everything it held; nothing is lost or doubled.
 * A segment that fails as a whole (a disk error) stops the run for its kind, so that later
 * segments never overtake it; the next run retries.
 *
 * `below` bounds the segments per kind (those still open are excluded); without it every segment
 * but the newest of each kind is compacted, as a running server may still be appending to that one.
 */
export async function compactSegments(
  dataDir: string,
  layout: ParquetLayout = DEFAULT_LAYOUT,
  below: Partial<Record<RecordKind, number>> = {},
  o: CompactionOptions = {},
): Promise<CompactionReport> {
  const report: CompactionReport = { exposures: emptyReport(), events: emptyReport(), identities: emptyReport() };
  const tombstones = await readTombstones(dataDir);
  const expiredBefore = o.retentionMs === undefined ? undefined : new Date((o.now ?? Date.now)() - o.retentionMs);
  // One DuckDB for the run, opened only when there is a segment to convert or a part to purge.
  const session: Session = {
    open: async () => {
      if (session.db) return session.db;
      session.db = await openDuckDb();
      await session.db.connection.run(tombstoneTableSql(tombstones));
      return session.db;
    },
  };
  const purge: SegmentPurge = { tombstones: tombstones.size > 0, expiredBefore };
  let failure: unknown;
  try {
    for (const kind of KINDS) {
      try {
        await compactKind(dataDir, layout, kind, below[kind], report[kind], session, purge);
        if (expiredBefore) report[kind].expired += await purgeExpiredParts(await session.open(), dataDir, layout, kind, expiredBefore);
      } catch (err) {
        failure ??= err;
      }
    }
  } finally {
    closeDuckDb(session.db);
  }
  if (failure !== undefined) throw failure;
  return report;
}

/** Compacts the closed segments of one kind, oldest first. */
async function compactKind(
  dataDir: string,
  layout: ParquetLayout,
  kind: RecordKind,
  below: number | undefined,
  report: KindReport,
  session: Session,
  purge: SegmentPurge,
): Promise<void> {
  const src = join(dataDir, kind);
  if (!existsSync(src)) return;
  const files = readdirSync(src).filter((f) => segmentNumber(kind, f) !== undefined);
  const limit = below ?? highestPart(files, kind);
  const todo = files
    .map((f) => segmentNumber(kind, f)!)
    .filter((n) => n < limit)
    .sort((a, b) => a - b);
  if (todo.length === 0) return;
  const out = parquetDir(dataDir, layout, kind);
  mkdirSync(out, { recursive: true, mode: PRIVATE_DIR });
  removeStaleTemps(out);
  const parts = new Set(readdirSync(out).flatMap((f) => partNumber(f) ?? []));
  for (const n of todo) {
    const done = await compactSegment(await session.open(), {
      kind,
      layout,
      n,
      segment: join(src, segmentName(kind, n)),
      out,
      others: [...parts].filter((p) => p !== n).map((p) => join(out, partName(p))),
      quarantine: quarantineDir(dataDir, kind),
      purge,
    });
    if (done) {
      report.records += done.records;
      report.duplicates += done.duplicates;
      report.quarantined += done.quarantined;
      report.forgotten += done.forgotten;
      report.expired += done.expired;
      if (done.part) parts.add(n);
    }
    removeIfPresent(join(src, segmentName(kind, n)));
    await syncDir(src);
    report.segments++;
  }
}

function emptyReport(): KindReport {
  return { segments: 0, records: 0, duplicates: 0, quarantined: 0, forgotten: 0, expired: 0 };
}

interface Session {
  db?: DuckDb;
  /** The run's DuckDB, opened on first use with the tombstone table. */
  open(): Promise<DuckDb>;
}

/** Rows of the kind's parts older than the retention, removed. */
function purgeExpiredParts(db: DuckDb, dataDir: string, layout: ParquetLayout, kind: RecordKind, before: Date): Promise<number> {
  return purgeParts(db, parquetDir(dataDir, layout, kind), `${ident(tsColumn(layout, kind))} < ${timestampLit(before)}`);
}

/** Temporary files left by a compaction that died (its process is gone); a live one's are kept. */
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
