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

/**
 * Events column → the metrics that read it: `value` (a sum or mean of the event itself, or
 * `event.value`), `properties` (any other property, in the aggregate or its `where`), `event_id`
 * (`count_distinct`). Names in a `where` are matched against the event's declared properties.
 */
export function eventColumnsUsedByMetrics(ws: Workspace): Map<string, string[]> {
  const used = new Map<string, string[]>();
  const add = (column: string, metric: string) => {
    const list = used.get(column) ?? [];
    if (!list.includes(metric)) used.set(column, [...list, metric]);
  };
  for (const m of [...ws.metrics.values()].sort((a, b) => a.key.localeCompare(b.key))) {
    for (const agg of [m.numerator, m.denominator]) {
      if (!agg) continue;
      if (agg.property === "value" || (agg.property === undefined && !["count", "any", "count_distinct"].includes(agg.fn)))
        add("value", m.key);
      else if (agg.property !== undefined) add("properties", m.key);
      if (agg.fn === "count_distinct" && agg.property === undefined) add("event_id", m.key);
      const where = agg.where ? JSON.stringify(agg.where) : "";
      const props = Object.keys(ws.settings.events[agg.event] ?? {}).filter((p) => p !== "value");
      if (props.some((p) => where.includes(`"${p}"`))) add("properties", m.key);
    }
  }
  return used;
}

/** An `identity: anonymous` experiment reads the events' `event_id` too: it de-duplicates the events reached through both ids. */
function withStitching(used: Map<string, string[]>, stitched: readonly string[]): Map<string, string[]> {
  if (stitched.length > 0) used.set("event_id", [...(used.get("event_id") ?? []), ...stitched]);
  return used;
}

/** Opens the connection the analysis would and inspects its exposures, events and (when an experiment stitches) identities tables. */
export async function doctorWarehouse(ws: Workspace, o: { connection?: string; env?: NodeJS.ProcessEnv } = {}): Promise<DoctorReport> {
  const stitched = [...ws.experiments.values()].filter((e) => e.identity === "anonymous").map((e) => e.key);
  const connection = connectionName(ws, o);
  const conn = ws.settings.warehouse.connections[connection];
  const files = conn?.type === "duckdb" && (conn.files?.length ?? 0) > 0;
  const run = await withWarehouse(ws, o, async (warehouse) =>
    inspectWarehouse(warehouse, ws.settings, {
      files,
      usedEvents: eventsUsedByMetrics(ws),
      usedColumns: withStitching(eventColumnsUsedByMetrics(ws), stitched),
      stitched,
    }),
  );
  if ("tables" in run) return { ...run, connection };
  return { ok: false, connection, tables: [], diagnostics: run.diagnostics, ...(run.hint ? { hint: run.hint } : {}) };
}
