import { chmod, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { syncDir, syncFile } from "../../fsio/atomic.js";
import { ident, lit, pathList, rowsOf, type DuckDb } from "./duckdb.js";
import { EXPOSURE_ID, IDENTITY_ID, idColumn, identityColumns, type ParquetLayout } from "./parquet-layout.js";
import { quarantineLines, type QuarantinedLine } from "./quarantine.js";
import { storedRecordProblem } from "./records.js";
import { partName, PRIVATE_FILE } from "./segment-files.js";
import type { RecordKind } from "./sink.js";

/** One closed segment to turn into `part-<n>.parquet`. */
export interface SegmentJob {
  kind: RecordKind;
  layout: ParquetLayout;
  n: number;
  segment: string;
  /** The Parquet folder of the kind. */
  out: string;
  /** Every other part of the kind: an id already in one of them is an older duplicate, left out. */
  others: readonly string[];
  /** Where lines that cannot be converted are kept. */
  quarantine: string;
  /** Rows to leave out: forgotten units, and data older than the retention. */
  purge?: SegmentPurge;
}

/** What compaction leaves out for privacy (docs/privacy.md). */
export interface SegmentPurge {
  /** The session has a `tombstones(digest)` table: rows whose unit id's SHA-256 is in it are left out. */
  tombstones: boolean;
  /** Rows with an earlier `ts` are left out. */
  expiredBefore?: Date;
}

export interface SegmentOutcome {
  /** Rows written to the part. */
  records: number;
  /** Lines left out because their id is already in Parquet (or earlier in the same segment). */
  duplicates: number;
  /** Lines kept in quarantine instead. */
  quarantined: number;
  /** Lines of forgotten units, left out. */
  forgotten: number;
  /** Lines older than the retention, left out. */
  expired: number;
  /** False for an empty segment, which has no part. */
  part: boolean;
}

const NL = Buffer.from("\n");

/**
 * Converts one segment into its part, accounting for every line: each becomes a row, is a
 * duplicate of an id already in Parquet, or goes to quarantine with its reason; nothing is
 * dropped silently, so the caller may then remove the segment. The part is written under a
 * temporary name, fsynced, made private and renamed (atomic); a redo after a crash rewrites it.
 *
 * The usual segment (every line complete and convertible) is read by DuckDB directly; counting
 * its newlines proves that every line became a row. Only when the count differs are the lines
 * parsed and checked one by one here, and the convertible ones handed to DuckDB again.
 * Undefined when the segment is gone (another compaction finished it first).
 */
export async function compactSegment(db: DuckDb, job: SegmentJob): Promise<SegmentOutcome | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(job.segment);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  if (bytes.length === 0) return { records: 0, duplicates: 0, quarantined: 0, forgotten: 0, expired: 0, part: false };
  const complete = bytes[bytes.length - 1] === 0x0a;
  let read = complete ? await loadSegment(db, job, job.segment) : -1;
  const quarantined: QuarantinedLine[] = [];
  if (read !== countNewlines(bytes)) read = await loadLineByLine(db, job, bytes, quarantined);

  const part = join(job.out, partName(job.n));
  const tmp = `${part}.tmp-${process.pid}`;
  const id = idColumn(job.layout, job.kind);
  await db.connection.run(
    job.others.length > 0
      ? `CREATE OR REPLACE TEMP TABLE dupes AS SELECT DISTINCT seg.id FROM seg SEMI JOIN read_parquet(${pathList(job.others)}) p ON p.${ident(id)} = seg.id`
      : "CREATE OR REPLACE TEMP TABLE dupes (id VARCHAR)",
  );
  const forgottenRow = job.purge?.tombstones
    ? `sha256(unit_id) IN (SELECT digest FROM tombstones)${job.kind === "identities" ? " OR sha256(anonymous_id) IN (SELECT digest FROM tombstones)" : ""}`
    : "false";
  const expiredRow = job.purge?.expiredBefore ? `ts < ${timestampLit(job.purge.expiredBefore)}` : "false";
  const count = async (where: string) =>
    Number((await rowsOf(db, `SELECT count(*) FROM seg WHERE ${GOOD[job.kind]} AND ${where}`))[0]?.[0] ?? 0);
  const forgotten = forgottenRow === "false" ? 0 : await count(forgottenRow);
  const expired = expiredRow === "false" ? 0 : await count(`${expiredRow} AND NOT (${forgottenRow})`);
  const firstOfEach = `SELECT * FROM seg WHERE ${GOOD[job.kind]} AND NOT (${forgottenRow}) AND NOT (${expiredRow}) AND id NOT IN (SELECT id FROM dupes) QUALIFY row_number() OVER (PARTITION BY id ORDER BY line) = 1`;
  const written = Number(
    (await rowsOf(db, `COPY (SELECT ${columns(job)} FROM (${firstOfEach}) ORDER BY line) TO ${lit(tmp)} (FORMAT parquet)`))[0]?.[0] ?? 0,
  );
  if (quarantined.length > 0) await quarantineLines(job.quarantine, job.kind, job.n, quarantined);
  await syncFile(tmp);
  await chmod(tmp, PRIVATE_FILE);
  await rename(tmp, part);
  await syncDir(job.out);
  return {
    records: written,
    duplicates: read - written - forgotten - expired,
    quarantined: quarantined.length,
    forgotten,
    expired,
    part: true,
  };
}

/** A DuckDB TIMESTAMP literal (UTC, as the stored `ts` is). */
export function timestampLit(at: Date): string {
  return `TIMESTAMP '${at.toISOString().replace("T", " ").replace("Z", "")}'`;
}

/** A row every required field of which DuckDB could read: what a good line becomes. */
const GOOD: Record<RecordKind, string> = {
  events: "id IS NOT NULL AND unit_id IS NOT NULL AND event IS NOT NULL AND ts IS NOT NULL",
  exposures:
    "id IS NOT NULL AND unit_id IS NOT NULL AND experiment IS NOT NULL AND variant IS NOT NULL AND phase IS NOT NULL AND ts IS NOT NULL",
  identities: "id IS NOT NULL AND anonymous_id IS NOT NULL AND unit_id IS NOT NULL AND ts IS NOT NULL",
};

const JSON_COLUMNS: Record<RecordKind, string> = {
  events: "id: 'VARCHAR', unit_id: 'VARCHAR', session_id: 'VARCHAR', event: 'VARCHAR', ts: 'VARCHAR', value: 'DOUBLE', properties: 'JSON'",
  exposures:
    "id: 'VARCHAR', unit_id: 'VARCHAR', session_id: 'VARCHAR', experiment: 'VARCHAR', phase: 'INTEGER', variant: 'VARCHAR', ts: 'VARCHAR', metadata: 'JSON'",
  identities: "id: 'VARCHAR', anonymous_id: 'VARCHAR', unit_id: 'VARCHAR', ts: 'VARCHAR'",
};

/**
 * Reads an NDJSON file into the temp table `seg` (one row per line, in order, numbered by `line`)
 * and returns how many rows are good. A line DuckDB cannot read becomes a row of NULLs, which is
 * how a short count shows it.
 */
async function loadSegment(db: DuckDb, job: SegmentJob, file: string): Promise<number> {
  const src = `read_json(${lit(file)}, format='newline_delimited', ignore_errors=true, columns={${JSON_COLUMNS[job.kind]}})`;
  await db.connection.run(
    `CREATE OR REPLACE TEMP TABLE seg AS SELECT row_number() OVER () AS line, * REPLACE (TRY_CAST(ts AS TIMESTAMP) AS ts) FROM ${src}`,
  );
  return Number((await rowsOf(db, `SELECT count(*) FROM seg WHERE ${GOOD[job.kind]}`))[0]?.[0] ?? 0);
}

/**
 * The slow path, for a segment with a line DuckDB could not read (written by an older server, or
 * damaged) or a torn last line (a crash mid-write; never acknowledged): every line is checked here
 * against the stored-record rules, the bad ones are added to `quarantined`, and the good ones are
 * loaded into `seg` from a clean copy. A line DuckDB still refuses is quarantined too.
 */
async function loadLineByLine(db: DuckDb, job: SegmentJob, bytes: Buffer, quarantined: QuarantinedLine[]): Promise<number> {
  const keep: { line: number; raw: Buffer; id: string }[] = [];
  let start = 0;
  for (let line = 1; start < bytes.length; line++) {
    const end = bytes.indexOf(0x0a, start);
    const raw = bytes.subarray(start, end === -1 ? bytes.length : end);
    start = end === -1 ? bytes.length : end + 1;
    if (raw.length === 0) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString("utf8"));
    } catch {
      quarantined.push({
        line,
        raw,
        reason: end === -1 ? "a torn last line: a write cut short, never acknowledged" : "the line is not JSON",
      });
      continue;
    }
    const problem = storedRecordProblem(job.kind, parsed);
    if (problem) quarantined.push({ line, raw, reason: problem });
    else keep.push({ line, raw, id: (parsed as { id: string }).id });
  }
  if (keep.length === 0) {
    await db.connection.run(
      `CREATE OR REPLACE TEMP TABLE seg AS SELECT * FROM (SELECT 1::BIGINT AS line, ${EMPTY_ROW[job.kind]}) WHERE false`,
    );
    return 0;
  }
  const clean = join(job.out, `${partName(job.n).replace(/\.parquet$/, ".ndjson")}.tmp-${process.pid}`);
  await writeFile(clean, Buffer.concat(keep.flatMap((k) => [k.raw, NL])), { mode: PRIVATE_FILE });
  let read: number;
  try {
    read = await loadSegment(db, job, clean);
  } finally {
    await rm(clean, { force: true });
  }
  if (read !== keep.length) {
    const ids = new Set((await rowsOf(db, `SELECT id FROM seg WHERE ${GOOD[job.kind]}`)).map((r) => String(r[0])));
    for (const k of keep) if (!ids.has(k.id)) quarantined.push({ line: k.line, raw: k.raw, reason: "DuckDB could not read the line" });
  }
  quarantined.sort((a, b) => a.line - b.line);
  return read;
}

const EMPTY_ROW: Record<RecordKind, string> = {
  events:
    "NULL::VARCHAR AS id, NULL::VARCHAR AS unit_id, NULL::VARCHAR AS session_id, NULL::VARCHAR AS event, NULL::TIMESTAMP AS ts, NULL::DOUBLE AS value, NULL::JSON AS properties",
  exposures:
    "NULL::VARCHAR AS id, NULL::VARCHAR AS unit_id, NULL::VARCHAR AS session_id, NULL::VARCHAR AS experiment, NULL::INTEGER AS phase, NULL::VARCHAR AS variant, NULL::TIMESTAMP AS ts, NULL::JSON AS metadata",
  identities: "NULL::VARCHAR AS id, NULL::VARCHAR AS anonymous_id, NULL::VARCHAR AS unit_id, NULL::TIMESTAMP AS ts",
};

/** The part's columns, named by the warehouse mapping (docs/workspace.md). */
function columns(job: SegmentJob): string {
  if (job.kind === "identities") {
    const c = identityColumns(job.layout);
    return `anonymous_id AS ${ident(c.anonymous_id)}, unit_id AS ${ident(c.unit_id)}, ts AS ${ident(c.ts)}, id AS ${IDENTITY_ID}`;
  }
  if (job.kind === "events") {
    const c = job.layout.columns.events;
    return `unit_id AS ${ident(c.unit_id)}, session_id AS ${ident(c.session_id)}, event AS ${ident(c.event)}, ts AS ${ident(c.ts)}, value AS ${ident(c.value)}, properties AS ${ident(c.properties)}, id AS ${ident(c.event_id)}`;
  }
  const c = job.layout.columns.exposures;
  return `unit_id AS ${ident(c.unit_id)}, experiment AS ${ident(c.experiment)}, variant AS ${ident(c.variant)}, ts AS ${ident(c.ts)}, session_id AS ${ident(c.session_id)}, metadata AS ${ident(c.attributes)}, phase AS ${ident(c.phase ?? "phase")}, id AS ${EXPOSURE_ID}`;
}

function countNewlines(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) n++;
  return n;
}
