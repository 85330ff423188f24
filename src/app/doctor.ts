import { inspectWarehouse, type TableReport } from "../analysis/inspect/inspect-warehouse.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Workspace } from "../workspace/model.js";
import { connectionName, withWarehouse } from "./analyze.js";

/** The `exp doctor` document: docs/cli.md#exp-doctor. */
export interface DoctorReport {
  ok: boolean;
  connection: string;
  tables: TableReport[];
  diagnostics: Diagnostic[];
  /** What to do when the connection itself cannot be opened. */
  hint?: string;
}

/** Event name → the metrics that use it: the declared events named in each metric's expression. */
export function eventsUsedByMetrics(ws: Workspace): Map<string, string[]> {
  const declared = new Set(Object.keys(ws.settings.events));
  const used = new Map<string, string[]>();
  for (const m of [...ws.metrics.values()].sort((a, b) => a.key.localeCompare(b.key))) {
    for (const name of new Set(m.exprText.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [])) {
      if (declared.has(name)) used.set(name, [...(used.get(name) ?? []), m.key]);
    }
  }
  return used;
}

/** Opens the connection the analysis would and inspects its exposures and events tables. */
export async function doctorWarehouse(ws: Workspace, o: { connection?: string; env?: NodeJS.ProcessEnv } = {}): Promise<DoctorReport> {
  const connection = connectionName(ws, o);
  const conn = ws.settings.warehouse.connections[connection];
  const files = conn?.type === "duckdb" && (conn.files?.length ?? 0) > 0;
  const run = await withWarehouse(ws, o, async (warehouse) =>
    inspectWarehouse(warehouse, ws.settings, { files, usedEvents: eventsUsedByMetrics(ws) }),
  );
  if ("tables" in run) return { ...run, connection };
  return { ok: false, connection, tables: [], diagnostics: run.diagnostics, ...(run.hint ? { hint: run.hint } : {}) };
}
