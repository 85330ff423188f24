import { join } from "node:path";
import { DEFAULT_WAREHOUSE_LAYOUT } from "../../workspace/build/settings.js";
import { IDENTITY_MAP_LAYOUT, type Settings } from "../../workspace/model.js";
import type { RecordKind } from "./sink.js";

/** The warehouse table mapping of exp.yaml (docs/workspace.md) that the Parquet files follow. */
export type ParquetLayout = Pick<Settings["warehouse"], "tables" | "columns">;

export const DEFAULT_LAYOUT: ParquetLayout = DEFAULT_WAREHOUSE_LAYOUT;

/** Exposures have no id column in the mapping; theirs is kept under this extra name (as is the phase). */
export const EXPOSURE_ID = "exposure_id";

/** Identity rows have no id column in the mapping either. */
export const IDENTITY_ID = "identity_id";

/** The identity map's table and columns (a hand-made layout may leave them out). */
export function identityColumns(layout: ParquetLayout): NonNullable<ParquetLayout["columns"]["identities"]> {
  return layout.columns.identities ?? IDENTITY_MAP_LAYOUT.columns;
}

function tableOf(layout: ParquetLayout, kind: RecordKind): string {
  return kind === "identities" ? (layout.tables.identities ?? IDENTITY_MAP_LAYOUT.table) : layout.tables[kind];
}

/** Where Parquet parts of a kind live: a folder named like the table, which `files:` connections match. */
export function parquetDir(dataDir: string, layout: ParquetLayout, kind: RecordKind): string {
  return join(dataDir, "parquet", tableOf(layout, kind).split(".").at(-1)!);
}

/** The Parquet column holding a record's id. */
export function idColumn(layout: ParquetLayout, kind: RecordKind): string {
  return kind === "events" ? layout.columns.events.event_id : kind === "identities" ? IDENTITY_ID : EXPOSURE_ID;
}

/** The Parquet column holding a record's time. */
export function tsColumn(layout: ParquetLayout, kind: RecordKind): string {
  return kind === "identities" ? identityColumns(layout).ts : layout.columns[kind].ts;
}

/** Where compaction keeps the lines it could not convert, named after their segment. */
export function quarantineDir(dataDir: string, kind: RecordKind): string {
  return join(dataDir, "quarantine", kind);
}
