import { join } from "node:path";
import { DEFAULT_WAREHOUSE_LAYOUT } from "../../workspace/build/settings.js";
import type { Settings } from "../../workspace/model.js";
import type { RecordKind } from "./sink.js";

/** The warehouse table mapping of exp.yaml (docs/workspace.md) that the Parquet files follow. */
export type ParquetLayout = Pick<Settings["warehouse"], "tables" | "columns">;

export const DEFAULT_LAYOUT: ParquetLayout = DEFAULT_WAREHOUSE_LAYOUT;

/** Exposures have no id column in the mapping; theirs is kept under this extra name (as is the phase). */
export const EXPOSURE_ID = "exposure_id";

/** Where Parquet parts of a kind live: a folder named like the table, which `files:` connections match. */
export function parquetDir(dataDir: string, layout: ParquetLayout, kind: RecordKind): string {
  return join(dataDir, "parquet", layout.tables[kind].split(".").at(-1)!);
}

/** The Parquet column holding a record's id. */
export function idColumn(layout: ParquetLayout, kind: RecordKind): string {
  return kind === "events" ? layout.columns.events.event_id : EXPOSURE_ID;
}

/** Where compaction keeps the lines it could not convert, named after their segment. */
export function quarantineDir(dataDir: string, kind: RecordKind): string {
  return join(dataDir, "quarantine", kind);
}
