import { diagnostic } from "../diagnostics/diagnostic.js";
import { ANALYSIS_CODES } from "./codes.js";
import { type Warehouse, WarehouseError } from "./warehouse.js";

export interface ClickHouseConnection {
  /** The HTTP interface, e.g. http://127.0.0.1:8123 */
  readonly url: string;
  readonly database?: string;
  readonly user?: string;
  readonly password?: string;
}

/**
 * Settings sent with every query. `join_use_nulls`: a LEFT JOIN gives NULL for a unit without events
 * (ClickHouse's default is the type's zero, which would turn a mean over no events into 0).
 * `max_query_size`: the batch query of many metrics is longer than the 256 KB the parser allows by default.
 */
const SETTINGS: Record<string, string> = { join_use_nulls: "1", max_query_size: String(16 << 20), default_format: "JSON" };

function isClosedConnection(err: unknown): boolean {
  const cause = (err as { cause?: { code?: string } }).cause;
  return cause?.code === "UND_ERR_SOCKET" || cause?.code === "ECONNRESET";
}

interface JsonResult {
  data?: Record<string, unknown>[];
}

/**
 * ClickHouse through its HTTP interface with Node's fetch. The SQL arrives with its values inlined
 * (clickhouseString in the dialect: 18.16 has no query parameters), so `params` must be empty.
 * Rows come back in the JSON format: 64-bit integers as strings and DateTime as 'YYYY-MM-DD
 * HH:MM:SS' (UTC with the server's or column's zone set to UTC), which stats-rows reads.
 */
export class ClickHouseWarehouse implements Warehouse {
  readonly dialect = "clickhouse" as const;

  private constructor(
    private readonly endpoint: URL,
    private readonly headers: Record<string, string>,
  ) {}

  static async open(conn: ClickHouseConnection): Promise<ClickHouseWarehouse> {
    let endpoint: URL;
    try {
      endpoint = new URL(conn.url);
    } catch {
      throw new WarehouseError(
        diagnostic(ANALYSIS_CODES.connectFailed, 'The ClickHouse URL does not parse; write it like "http://host:8123".'),
      );
    }
    for (const [k, v] of Object.entries(SETTINGS)) endpoint.searchParams.set(k, v);
    if (conn.database !== undefined) endpoint.searchParams.set("database", conn.database);
    // fetch refuses a URL with credentials: user:password@ in the url become the headers.
    const user = conn.user ?? (endpoint.username ? decodeURIComponent(endpoint.username) : undefined);
    const password = conn.password ?? (endpoint.password ? decodeURIComponent(endpoint.password) : undefined);
    endpoint.username = "";
    endpoint.password = "";
    const headers: Record<string, string> = {};
    if (user !== undefined) headers["X-ClickHouse-User"] = user;
    if (password !== undefined) headers["X-ClickHouse-Key"] = password;
    const warehouse = new ClickHouseWarehouse(endpoint, headers);
    try {
      await warehouse.post("SELECT 1");
    } catch (err) {
      throw new WarehouseError(
        diagnostic(
          ANALYSIS_CODES.connectFailed,
          `Cannot connect to ClickHouse at "${endpoint.origin}": ${(err as Error).message}; check the connection's url, database, user and password.`,
        ),
      );
    }
    return warehouse;
  }

  private async post(sql: string): Promise<Record<string, unknown>[]> {
    // A trailing semicolon is fine for the engine, but not before the FORMAT clause it appends.
    const body = sql.replace(/;\s*$/, "");
    const send = () => fetch(this.endpoint, { method: "POST", headers: this.headers, body });
    let res: Response;
    try {
      res = await send().catch((err: unknown) => {
        // The server closes idle keep-alive connections after its keep_alive_timeout (3 s by default),
        // which can race with reusing one; the statements sent here only read, so one resend is safe.
        if (!isClosedConnection(err)) throw err;
        return send();
      });
    } catch (err) {
      const cause = (err as { cause?: Error }).cause;
      throw new Error(cause?.message ?? (err as Error).message);
    }
    const text = await res.text();
    if (!res.ok) throw new Error(text.trim().replace(/, e\.what\(\) = DB::Exception$/, ""));
    return text.trim() === "" ? [] : ((JSON.parse(text) as JsonResult).data ?? []);
  }

  async query(sql: string, params: readonly unknown[] = []): Promise<Record<string, unknown>[]> {
    if (params.length > 0) {
      throw new WarehouseError(
        diagnostic(
          ANALYSIS_CODES.queryFailed,
          "The ClickHouse query failed: it has bound parameters, which ClickHouse does not take; inline the values.",
        ),
      );
    }
    try {
      return await this.post(sql);
    } catch (err) {
      throw new WarehouseError(diagnostic(ANALYSIS_CODES.queryFailed, `The ClickHouse query failed: ${(err as Error).message}`));
    }
  }

  async close(): Promise<void> {}
}
