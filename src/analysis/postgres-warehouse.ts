import pg from "pg";
import { ANALYSIS_CODES } from "./codes.js";
import { type Warehouse, WarehouseError } from "./warehouse.js";
import { diagnostic } from "../diagnostics/diagnostic.js";

const TIMESTAMP_OID = 1114;

/**
 * PostgreSQL through `pg`. TIMESTAMP (without time zone) values are read as UTC, as the
 * warehouse tables store them, instead of the process's local zone.
 */
export class PostgresWarehouse implements Warehouse {
  readonly dialect = "postgres" as const;

  private constructor(private readonly client: pg.Client) {}

  static async open(url: string): Promise<PostgresWarehouse> {
    let client: pg.Client;
    try {
      // Inside the try: a URL that does not parse throws here, and the error carries the URL (with its password) as `input`.
      client = new pg.Client({
        connectionString: url,
        types: {
          getTypeParser: ((oid: number, format?: "text" | "binary") =>
            oid === TIMESTAMP_OID
              ? (v: string) => new Date(`${v.replace(" ", "T")}Z`)
              : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
        },
      });
      await client.connect();
    } catch (err) {
      // The URL is not repeated here, and the message goes through the diagnostic factory, which masks any URL credentials in it.
      throw new WarehouseError(
        diagnostic(ANALYSIS_CODES.connectFailed, `Cannot connect to PostgreSQL: ${(err as Error).message}; check the connection URL.`),
      );
    }
    return new PostgresWarehouse(client);
  }

  async query(sql: string, params: readonly unknown[] = []): Promise<Record<string, unknown>[]> {
    try {
      const result = await this.client.query(sql, params as unknown[]);
      return result.rows as Record<string, unknown>[];
    } catch (err) {
      throw new WarehouseError(diagnostic(ANALYSIS_CODES.queryFailed, `The PostgreSQL query failed: ${(err as Error).message}`));
    }
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
