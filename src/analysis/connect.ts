import { isAbsolute, resolve } from "node:path";
import { diagnostic, type Result } from "../diagnostics/diagnostic.js";
import { didYouMean } from "../diagnostics/suggest.js";
import { IDENTITY_MAP_LAYOUT, type Workspace } from "../workspace/model.js";
import { resolveSecret } from "../workspace/secret.js";
import { ANALYSIS_CODES } from "./codes.js";
import { ClickHouseWarehouse } from "./clickhouse-warehouse.js";
import { DuckDbWarehouse } from "./duckdb-warehouse.js";
import { PostgresWarehouse } from "./postgres-warehouse.js";
import { type Warehouse, WarehouseError } from "./warehouse.js";

/** Opens the named (or default) warehouse connection of the workspace. */
export async function openWarehouse(
  workspace: Workspace,
  opts: { connection?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Result<Warehouse>> {
  const wh = workspace.settings.warehouse;
  const name = opts.connection ?? wh.default;
  const conn = wh.connections[name];
  const span = workspace.settings.origin.values["warehouse.connections"] ?? workspace.settings.origin.values["warehouse"];
  if (!conn) {
    const known = Object.keys(wh.connections);
    return {
      diagnostics: [
        diagnostic(
          ANALYSIS_CODES.unknownConnection,
          `There is no warehouse connection "${name}"; pick one of ${known.map((k) => `"${k}"`).join(", ") || "(none configured)"} or add it under warehouse.connections in exp.yaml.`,
          { span, suggestion: didYouMean(name, known) },
        ),
      ],
    };
  }
  try {
    if (conn.type === "duckdb") {
      if (conn.files && conn.files.length > 0) {
        return {
          value: await DuckDbWarehouse.openFiles(
            conn.files,
            workspace.root,
            [wh.tables.exposures, wh.tables.events],
            [wh.tables.identities ?? IDENTITY_MAP_LAYOUT.table],
          ),
          diagnostics: [],
        };
      }
      const path = conn.path ?? ":memory:";
      return {
        value: await DuckDbWarehouse.open(path === ":memory:" || isAbsolute(path) ? path : resolve(workspace.root, path)),
        diagnostics: [],
      };
    }
    if (conn.type === "postgres") {
      const setting = `warehouse.connections.${name}.url`;
      const url = resolveSecret(conn.url, setting, opts.env, workspace.settings.origin.values[setting] ?? span);
      if (url.value === undefined) return { diagnostics: url.diagnostics };
      return { value: await PostgresWarehouse.open(url.value), diagnostics: [] };
    }
    if (conn.type === "clickhouse") {
      if (!conn.url) {
        const message = `The ClickHouse connection "${name}" has no url; add url: http://host:8123 (or "env:NAME") under warehouse.connections.${name} in exp.yaml.`;
        return { diagnostics: [diagnostic(ANALYSIS_CODES.connectFailed, message, { span })] };
      }
      const secrets = (["url", "user", "password"] as const).map((key) => {
        const value = conn[key];
        if (value === undefined) return { value: undefined, diagnostics: [] };
        const setting = `warehouse.connections.${name}.${key}`;
        return resolveSecret(value, setting, opts.env, workspace.settings.origin.values[setting] ?? span);
      });
      const missing = secrets.flatMap((s) => s.diagnostics);
      if (missing.length > 0) return { diagnostics: missing };
      const [url, user, password] = secrets.map((s) => s.value);
      const value = await ClickHouseWarehouse.open({ url: url!, database: conn.database, user, password });
      return { value, diagnostics: [] };
    }
  } catch (err) {
    if (err instanceof WarehouseError) return { diagnostics: [{ ...err.diagnostic, span: err.diagnostic.span ?? span }] };
    throw err;
  }
  return {
    diagnostics: [
      diagnostic(
        ANALYSIS_CODES.unsupportedConnection,
        `The connection "${name}" is of type "${conn.type}", which exp can compile SQL for but not run; use "exp sql --dialect ${conn.type}" and run it in the warehouse.`,
        { span },
      ),
    ],
  };
}
