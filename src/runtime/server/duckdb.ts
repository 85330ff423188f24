import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";

export interface DuckDb {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
}

/** An in-memory DuckDB on one thread: compaction runs beside a latency-sensitive server and is not in a hurry. */
export async function openDuckDb(): Promise<DuckDb> {
  const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
  return { instance, connection: await instance.connect() };
}

export function closeDuckDb(db: DuckDb | undefined): void {
  if (!db) return;
  db.connection.closeSync();
  db.instance.closeSync();
}

/** The rows of a query as plain JS values. */
export async function rowsOf(db: DuckDb, sql: string): Promise<unknown[][]> {
  return (await db.connection.runAndReadAll(sql)).getRowsJS() as unknown[][];
}

export function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function ident(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** A DuckDB list literal of file paths, for read_parquet. */
export function pathList(paths: readonly string[]): string {
  return `[${paths.map(lit).join(", ")}]`;
}
