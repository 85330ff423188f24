import { existsSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../../../fsio/atomic.js";
import { closeDuckDb, ident, openDuckDb } from "../duckdb.js";
import { identityColumns, parquetDir, quarantineDir, type ParquetLayout } from "../parquet-layout.js";
import { highestPart, PRIVATE_FILE, segmentNumber } from "../segment-files.js";
import type { RecordKind } from "../sink.js";
import { purgeParts } from "./purge-parts.js";
import { addTombstones, tombstoneTableSql } from "./tombstones.js";
import { storedIdDigest } from "./unit-id-hash.js";

export interface ForgetKindReport {
  /** Rows removed from Parquet parts. */
  parquetRows: number;
  /** Lines removed from closed segments. */
  segmentLines: number;
  /** Lines removed from quarantine. */
  quarantinedLines: number;
}

export type ForgetReport = Record<RecordKind, ForgetKindReport>;

const KINDS: RecordKind[] = ["exposures", "events", "identities"];

/**
 * Removes every stored row of the units whose stored ids (hashed when `hash_unit_ids` is on) are
 * given, from a server's data dir: the tombstone list first (durable), then the Parquet parts,
 * the closed segments and quarantine. The newest segment of each kind may still be written by a
 * running server and is left alone unless `includeCurrent`; the tombstones remove its rows when it
 * is compacted, as they do for any segment that comes back later.
 */
export async function forgetUnits(
  dataDir: string,
  layout: ParquetLayout,
  storedIds: readonly string[],
  o: { includeCurrent?: boolean } = {},
): Promise<ForgetReport> {
  const digests = new Set(storedIds.map(storedIdDigest));
  await addTombstones(dataDir, digests);
  const report = {} as ForgetReport;
  const db = await openDuckDb();
  try {
    await db.connection.run(tombstoneTableSql(digests));
    for (const kind of KINDS) {
      // An identity row names two units, and goes when either is forgotten.
      const units =
        kind === "identities" ? [identityColumns(layout).unit_id, identityColumns(layout).anonymous_id] : [layout.columns[kind].unit_id];
      const where = units.map((u) => `sha256(${ident(u)}) IN (SELECT digest FROM tombstones)`).join(" OR ");
      report[kind] = {
        parquetRows: await purgeParts(db, parquetDir(dataDir, layout, kind), where),
        segmentLines: await forgetInSegments(join(dataDir, kind), kind, digests, o.includeCurrent ?? false),
        quarantinedLines: await forgetInQuarantine(quarantineDir(dataDir, kind), digests),
      };
    }
  } finally {
    closeDuckDb(db);
  }
  return report;
}

/** True for a stored NDJSON line of a forgotten unit. */
function forgotten(line: string, digests: ReadonlySet<string>): boolean {
  try {
    const r = JSON.parse(line) as { unit_id?: unknown; anonymous_id?: unknown };
    return [r.unit_id, r.anonymous_id].some((unit) => typeof unit === "string" && digests.has(storedIdDigest(unit)));
  } catch {
    // A torn or damaged line has no unit to read; it was never acknowledged or goes to quarantine as it is.
    return false;
  }
}

async function forgetInSegments(dir: string, kind: RecordKind, digests: ReadonlySet<string>, includeCurrent: boolean): Promise<number> {
  if (!existsSync(dir)) return 0;
  const files = readdirSync(dir).filter((f) => segmentNumber(kind, f) !== undefined);
  const newest = highestPart(files, kind);
  let removed = 0;
  for (const f of files) {
    if (!includeCurrent && segmentNumber(kind, f) === newest) continue;
    const lines = await readLines(join(dir, f));
    if (!lines) continue;
    const kept = lines.filter((l) => !forgotten(l, digests));
    if (kept.length === lines.length) continue;
    await writeFileAtomic(join(dir, f), kept.map((l) => `${l}\n`).join(""), { mode: PRIVATE_FILE });
    removed += lines.length - kept.length;
  }
  return removed;
}

/** Quarantine keeps each segment's lines and, line for line, their reasons: both lose the same lines. */
async function forgetInQuarantine(dir: string, digests: ReadonlySet<string>): Promise<number> {
  if (!existsSync(dir)) return 0;
  let removed = 0;
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".ndjson") && !n.endsWith(".reasons.ndjson"))) {
    const lines = await readLines(join(dir, f));
    if (!lines) continue;
    const drop = lines.map((l) => forgotten(l, digests));
    if (!drop.includes(true)) continue;
    const reasonsFile = join(dir, f.replace(/\.ndjson$/, ".reasons.ndjson"));
    const reasons = (await readLines(reasonsFile)) ?? [];
    await writeFileAtomic(
      join(dir, f),
      lines
        .filter((_, i) => !drop[i])
        .map((l) => `${l}\n`)
        .join(""),
      { mode: PRIVATE_FILE },
    );
    await writeFileAtomic(
      reasonsFile,
      reasons
        .filter((_, i) => !drop[i])
        .map((l) => `${l}\n`)
        .join(""),
      { mode: PRIVATE_FILE },
    );
    removed += drop.filter(Boolean).length;
  }
  return removed;
}

/** The non-empty lines of a file, or undefined when it is gone (compacted meanwhile). */
async function readLines(path: string): Promise<string[] | undefined> {
  try {
    return (await readFile(path, "utf8")).split("\n").filter(Boolean);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}
