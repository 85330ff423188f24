import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { existsSync } from "node:fs";
import { basename, dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { ANALYSIS_CODES } from "./codes.js";
import { type Warehouse, WarehouseError } from "./warehouse.js";
import { diagnostic } from "../diagnostics/diagnostic.js";

function failure(code: keyof typeof ANALYSIS_CODES, message: string): WarehouseError {
  return new WarehouseError(diagnostic(ANALYSIS_CODES[code], message));
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export class DuckDbWarehouse implements Warehouse {
  readonly dialect = "duckdb" as const;

  private constructor(
    private readonly connection: DuckDBConnection,
    private readonly instance?: DuckDBInstance,
  ) {}

  /** Wraps an open connection (tests, or a caller that loaded data itself); close() leaves it open. */
  static fromConnection(connection: DuckDBConnection): DuckDbWarehouse {
    return new DuckDbWarehouse(connection);
  }

  /** A database file, opened read-only so that analyses never hold a write lock. ":memory:" opens an empty one. */
  static async open(path: string): Promise<DuckDbWarehouse> {
    if (path !== ":memory:" && !existsSync(path))
      throw failure("connectFailed", `The DuckDB file "${path}" does not exist; check warehouse.connections in exp.yaml.`);
    try {
      const instance = await DuckDBInstance.create(path, path === ":memory:" ? {} : { access_mode: "READ_ONLY" });
      return new DuckDbWarehouse(await instance.connect(), instance);
    } catch (err) {
      throw failure("connectFailed", `Cannot open the DuckDB file "${path}": ${(err as Error).message}.`);
    }
  }

  /**
   * Parquet or CSV files exposed as views named like the configured tables. A file belongs to a
   * table when its name starts with the table name or it sits in a folder named like the table
   * (".exp/data/events/part-0001.parquet", "data/exposures_2026.csv"). An `optional` table without
   * files gets no view (the identity map: only stitched experiments read it).
   */
  static async openFiles(
    globs: readonly string[],
    root: string,
    tables: readonly string[],
    optional: readonly string[] = [],
  ): Promise<DuckDbWarehouse> {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    const warehouse = new DuckDbWarehouse(connection, instance);
    const files: string[] = [];
    for (const glob of globs) {
      const rows = await warehouse.query(
        `SELECT file FROM glob(${sqlString(isAbsolute(glob) ? glob : resolve(root, glob))}) ORDER BY file`,
      );
      files.push(...rows.map((r) => String(r["file"])));
    }
    for (const table of [...tables, ...optional]) {
      const name = table.split(".").at(-1)!;
      // Folder names count only inside the workspace, so a root path that happens to contain "events" matches nothing.
      const own = files.filter((f) => basename(f).startsWith(name) || dirname(relative(root, f)).split(sep).includes(name));
      if (own.length === 0 && optional.includes(table)) continue;
      if (own.length === 0) {
        await warehouse.close();
        throw failure(
          "noFiles",
          `No file for the table "${table}" matched ${globs.map((g) => `"${g}"`).join(", ")}; name the files or their folder after the table.`,
        );
      }
      const list = `[${own.map(sqlString).join(", ")}]`;
      const reader = own.every((f) => /\.parquet$/i.test(f)) ? `read_parquet(${list})` : `read_csv_auto(${list})`;
      const parts = table.split(".");
      if (parts.length > 1) await warehouse.query(`CREATE SCHEMA IF NOT EXISTS ${parts.slice(0, -1).map(quote).join(".")}`);
      await warehouse.query(`CREATE VIEW ${parts.map(quote).join(".")} AS SELECT * FROM ${reader}`);
    }
    return warehouse;
  }

  async query(sql: string, params: readonly unknown[] = []): Promise<Record<string, unknown>[]> {
    try {
      const reader = await this.connection.runAndReadAll(sql, params.length > 0 ? (params as string[]) : undefined);
      return reader.getRowObjectsJS() as Record<string, unknown>[];
    } catch (err) {
      throw failure("queryFailed", `The DuckDB query failed: ${(err as Error).message}`);
    }
  }

  async close(): Promise<void> {
    if (!this.instance) return;
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
