import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { closeDuckDb, ident, lit, openDuckDb, rowsOf, type DuckDb } from "../duckdb.js";
import { parquetDir, type ParquetLayout } from "../parquet-layout.js";
import { storedRecordProblem, type EventRecord, type ExposureRecord } from "../records.js";
import { partName, partNumber, segmentName, segmentNumber } from "../segment-files.js";
import type { LiveStats } from "./live-stats.js";

/**
 * Rebuilds live statistics from a data dir on start: every stored exposure, then every stored
 * event a live metric reads, from the NDJSON segments and the Parquet parts compaction made of
 * them, in segment order. Exposures go first, so an event stored before its unit's exposure
 * counts after a restart. What compaction would quarantine is skipped here too.
 */
export async function rebuildLiveStats(live: LiveStats, dataDir: string, layout: ParquetLayout): Promise<void> {
  let db: DuckDb | undefined;
  const duck = async () => (db ??= await openDuckDb());
  try {
    const ex = layout.columns.exposures;
    await replay(
      dataDir,
      layout,
      "exposures",
      (r) => live.exposure(r as unknown as ExposureRecord),
      async (file) =>
        (
          await rowsOf(
            await duck(),
            `SELECT ${ident(ex.unit_id)}, ${ident(ex.session_id)}, ${ident(ex.experiment)}, ${ident(ex.phase ?? "phase")}, ${ident(ex.variant)}, CAST(epoch_ms(${ident(ex.ts)}) AS DOUBLE) FROM read_parquet(${lit(file)}) ORDER BY ${ident(ex.ts)}`,
          )
        ).map(([unit, session, experiment, phase, variant, ms]) => ({
          id: "",
          unit_id: String(unit),
          session_id: session === null ? null : String(session),
          experiment: String(experiment),
          phase: Number(phase),
          variant: String(variant),
          ts: new Date(Number(ms)).toISOString(),
          metadata: null,
        })),
    );
    const names = live.eventNames();
    if (names.length === 0) return;
    const ev = layout.columns.events;
    const wanted = new Set(names);
    await replay(
      dataDir,
      layout,
      "events",
      (r) => {
        if (wanted.has((r as unknown as EventRecord).event)) live.event(r as unknown as EventRecord);
      },
      async (file) =>
        (
          await rowsOf(
            await duck(),
            `SELECT ${ident(ev.unit_id)}, ${ident(ev.session_id)}, ${ident(ev.event)}, CAST(epoch_ms(${ident(ev.ts)}) AS DOUBLE), ${ident(ev.value)}, CAST(${ident(ev.properties)} AS VARCHAR) FROM read_parquet(${lit(file)}) WHERE ${ident(ev.event)} IN (${names.map(lit).join(", ")}) ORDER BY ${ident(ev.ts)}`,
          )
        ).map(([unit, session, event, ms, value, properties]) => ({
          id: "",
          unit_id: String(unit),
          session_id: session === null ? null : String(session),
          event: String(event),
          ts: new Date(Number(ms)).toISOString(),
          value: value === null ? null : Number(value),
          properties: properties === null ? null : (JSON.parse(String(properties)) as Record<string, unknown>),
        })),
    );
  } finally {
    closeDuckDb(db);
  }
}

/**
 * Visits every stored record of `kind`, oldest segment first: a segment's lines as they are, or the
 * Parquet part that replaced it (`part` reads one). A segment compacted while this runs is read
 * from its part.
 */
async function replay(
  dataDir: string,
  layout: ParquetLayout,
  kind: "exposures" | "events",
  visit: (record: Record<string, unknown>) => void,
  part: (file: string) => Promise<Record<string, unknown>[]>,
): Promise<void> {
  const segDir = join(dataDir, kind);
  const partDir = parquetDir(dataDir, layout, kind);
  const numbers = new Set([
    ...list(segDir).flatMap((f) => segmentNumber(kind, f) ?? []),
    ...list(partDir).flatMap((f) => partNumber(f) ?? []),
  ]);
  for (const n of [...numbers].sort((a, b) => a - b)) {
    const text = readIfPresent(join(segDir, segmentName(kind, n)));
    if (text !== undefined) {
      for (const line of text.split("\n")) {
        const r = parseLine(line);
        if (r && storedRecordProblem(kind, r) === undefined) visit(r);
      }
      continue;
    }
    const file = join(partDir, partName(n));
    if (existsSync(file)) for (const r of await part(file)) visit(r);
  }
}

function parseLine(line: string): Record<string, unknown> | undefined {
  if (!line) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    // A torn last line from a crash: never acknowledged.
    return undefined;
  }
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

function list(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}
