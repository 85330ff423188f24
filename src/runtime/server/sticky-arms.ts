import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { stickyKey, type StickyAssignment, type StickyStore } from "../sdk/sticky-store.js";
import { closeDuckDb, ident, lit, openDuckDb, rowsOf, type DuckDb } from "./duckdb.js";
import { parquetDir, type ParquetLayout } from "./parquet-layout.js";
import type { ExposureRecord } from "./records.js";
import { partName, partNumber, segmentName, segmentNumber } from "./segment-files.js";

/** Units remembered at most, by default: about 150 MB at worst. */
export const DEFAULT_STICKY_CAPACITY = 1_000_000;

/**
 * The first arm of each unit exposed to a sticky experiment (a bandit) in each phase, from what the
 * server ingested, so that `POST /v1/assignments` keeps serving it after the weights change. Bounded:
 * past `capacity` units the least recently seen is forgotten and, should it come back, is assigned
 * by the current weights. Rebuilt on start from the exposure segments and Parquet parts
 * (`loadStickyArms`), so a restart keeps every arm the data dir holds.
 */
export class StickyArms implements StickyStore {
  private readonly arms = new Map<string, StickyAssignment>();

  constructor(
    readonly experiments: ReadonlySet<string>,
    readonly capacity = DEFAULT_STICKY_CAPACITY,
  ) {}

  has(experiment: string): boolean {
    // Most workspaces have no bandit: then an assignment never looks further.
    return this.experiments.size > 0 && this.experiments.has(experiment);
  }

  get size(): number {
    return this.arms.size;
  }

  get(unitKey: string): StickyAssignment | undefined {
    const arm = this.arms.get(unitKey);
    if (arm) {
      // Most recently seen last: eviction takes the first.
      this.arms.delete(unitKey);
      this.arms.set(unitKey, arm);
    }
    return arm;
  }

  set(unitKey: string, assignment: StickyAssignment): void {
    this.arms.delete(unitKey);
    this.arms.set(unitKey, assignment);
    while (this.arms.size > this.capacity) this.arms.delete(this.arms.keys().next().value!);
  }

  /** An ingested exposure: the unit's arm, unless it has one already (the first exposure decides). */
  remember(r: Pick<ExposureRecord, "experiment" | "phase" | "unit_id" | "variant" | "session_id">): void {
    if (this.experiments.size === 0 || !this.experiments.has(r.experiment)) return;
    // Keyed by what the experiment hashed: the session id for a session experiment.
    const key = stickyKey(r.experiment, r.phase, r.session_id ?? r.unit_id);
    if (!this.arms.has(key)) this.set(key, { variant: r.variant });
  }
}

/**
 * The sticky arms of a data dir: every exposure of the sticky experiments, oldest segment or part
 * first, so each unit keeps its first arm. Reads nothing when no experiment is sticky.
 */
export async function loadStickyArms(
  dataDir: string,
  layout: ParquetLayout,
  experiments: ReadonlySet<string>,
  capacity = DEFAULT_STICKY_CAPACITY,
): Promise<StickyArms> {
  const arms = new StickyArms(experiments, capacity);
  if (experiments.size === 0) return arms;
  const segDir = join(dataDir, "exposures");
  const partDir = parquetDir(dataDir, layout, "exposures");
  const segments = new Set(list(segDir).flatMap((f) => segmentNumber("exposures", f) ?? []));
  const parts = new Set(list(partDir).flatMap((f) => partNumber(f) ?? []));
  const numbers = [...new Set([...segments, ...parts])].sort((a, b) => a - b);
  const c = layout.columns.exposures;
  let db: DuckDb | undefined;
  try {
    for (const n of numbers) {
      if (segments.has(n)) {
        for (const r of segmentRecords(join(segDir, segmentName("exposures", n)))) arms.remember(r);
        continue;
      }
      db ??= await openDuckDb();
      const rows = await rowsOf(
        db,
        `SELECT ${ident(c.experiment)}, ${ident(c.phase ?? "phase")}, ${ident(c.unit_id)}, ${ident(c.variant)} FROM read_parquet(${lit(join(partDir, partName(n)))}) WHERE ${ident(c.experiment)} IN (${[...experiments].map(lit).join(", ")}) ORDER BY ${ident(c.ts)}`,
      );
      for (const [experiment, phase, unit, variant] of rows)
        arms.remember({ experiment: String(experiment), phase: Number(phase), unit_id: String(unit), variant: String(variant) });
    }
  } finally {
    closeDuckDb(db);
  }
  return arms;
}

/** The exposure records of an NDJSON segment in order; a torn last line (never acknowledged) is skipped. */
function segmentRecords(path: string): ExposureRecord[] {
  if (!existsSync(path)) return [];
  const out: ExposureRecord[] = [];
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (!line) continue;
    try {
      const r = JSON.parse(line) as ExposureRecord;
      if (typeof r.experiment === "string" && typeof r.unit_id === "string" && typeof r.variant === "string" && Number.isInteger(r.phase))
        out.push(r);
    } catch {
      // A torn last line from a crash.
    }
  }
  return out;
}

function list(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}
