import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { closest, didYouMean } from "../../diagnostics/suggest.js";
import { IDENTITY_MAP_LAYOUT, type EpochUnit, type Settings } from "../../workspace/model.js";
import { tableColumnTypes } from "../table-columns.js";
import type { Warehouse } from "../warehouse.js";
import { quoteName as quote } from "./quote.js";
import { INSPECT_CODES } from "./codes.js";
import { EXPECTED_COLUMNS, guessColumn, typeKind, type TableRole } from "./expected-columns.js";
import { epochProblem } from "./epoch-timestamps.js";
import { epochUnit, timeRange } from "./time-range.js";

export interface ColumnReport {
  /** The standard name (docs/workspace.md). */
  name: string;
  /** The name in the table, after warehouse.columns. */
  column: string;
  required: boolean;
  type?: string;
  found: boolean;
}

export interface TableReport {
  role: TableRole;
  table?: string;
  /** "not used yet" for identities when no experiment declares `identity: anonymous`. */
  status: "ok" | "problems" | "missing" | "not used yet";
  columns: ColumnReport[];
  rows?: number;
  /** The first and last `ts`; `epoch` says how numbers were read (the declared `ts_unit`, else their magnitude). */
  range?: { from: string; to: string; epoch?: EpochUnit };
  /** Exposures: rows and distinct units per experiment and variant. */
  variants?: { experiment: string; variant: string; rows: number; units: number }[];
  /** Events: rows per event name. */
  events?: { event: string; rows: number }[];
}

export interface WarehouseInspection {
  ok: boolean;
  tables: TableReport[];
  diagnostics: Diagnostic[];
}

export interface InspectOptions {
  /** Whether the tables are views over `files:` (the fix for a bad column is then a re-export, not a view). */
  files: boolean;
  /** Event name → the metrics whose expressions use it. */
  usedEvents: ReadonlyMap<string, readonly string[]>;
  /** Optional events column (`value`, `properties`, `event_id`) → the metrics that read it, which make it required. */
  usedColumns?: ReadonlyMap<string, readonly string[]>;
  /** The experiments with `identity: anonymous`, which read the identities table. */
  stitched?: readonly string[];
}

const count = (v: unknown) => Number(v ?? 0);

/** What `exp doctor` reports on a connection: the tables and columns the analysis reads, and what is wrong with them. */
export async function inspectWarehouse(warehouse: Warehouse, settings: Settings, opts: InspectOptions): Promise<WarehouseInspection> {
  const diagnostics: Diagnostic[] = [];
  const existing = await tableNames(warehouse);
  const tables: TableReport[] = [];
  for (const role of ["exposures", "events"] as const) {
    tables.push(await inspectTable(warehouse, settings, role, existing, opts, diagnostics));
  }
  if (opts.stitched?.length) tables.push(await inspectTable(warehouse, settings, "identities", existing, opts, diagnostics));
  else tables.push({ role: "identities", status: "not used yet", columns: [] });
  return { ok: !diagnostics.some((d) => d.severity === "error"), tables, diagnostics };
}

async function tableNames(warehouse: Warehouse): Promise<string[]> {
  const rows = await warehouse.query(
    warehouse.dialect === "clickhouse"
      ? // 18.16 has no information_schema; its catalogue is system.tables.
        "SELECT database AS s, name AS t FROM system.tables WHERE database <> 'system' ORDER BY s, t"
      : "SELECT CAST(table_schema AS VARCHAR) AS s, CAST(table_name AS VARCHAR) AS t FROM information_schema.tables ORDER BY 1, 2",
  );
  return rows.flatMap((r) => [String(r["t"]), `${String(r["s"])}.${String(r["t"])}`]);
}

async function inspectTable(
  warehouse: Warehouse,
  settings: Settings,
  role: TableRole,
  existing: readonly string[],
  opts: InspectOptions,
  diagnostics: Diagnostic[],
): Promise<TableReport> {
  const table = settings.warehouse.tables[role] ?? IDENTITY_MAP_LAYOUT.table;
  const mapping = (settings.warehouse.columns[role] ?? IDENTITY_MAP_LAYOUT.columns) as Record<string, string | undefined>;
  const types = await tableColumnTypes(warehouse, table);
  const expected = EXPECTED_COLUMNS[role];
  if (types === undefined) {
    const near = closest(table, existing);
    diagnostics.push(
      diagnostic(INSPECT_CODES.tableMissing, `The ${role} table "${table}" is not in the warehouse; create it or name the right one.`, {
        suggestion: near
          ? `did you mean "${near}"? set it in exp.yaml: warehouse: { tables: { ${role}: ${near} } }`
          : `set warehouse.tables.${role} in exp.yaml${opts.files ? `, or name a file or folder matched by files: after "${table}"` : ""}`,
      }),
    );
    const columns = expected.map((c) => ({ name: c.name, column: mapping[c.name] ?? c.name, required: c.required, found: false }));
    return { role, table, status: "missing", columns };
  }
  const before = diagnostics.length;
  const actual = [...types.keys()];
  const claimed = new Set(expected.map((c) => mapping[c.name] ?? c.name).filter((c) => types.has(c)));
  const columns: ColumnReport[] = [];
  for (const spec of expected) {
    const readBy = role === "events" ? opts.usedColumns?.get(spec.name) : undefined;
    const c = readBy?.length ? { ...spec, required: true } : spec;
    const column = mapping[c.name] ?? c.name;
    const type = types.get(column);
    columns.push({ name: c.name, column, required: c.required, found: type !== undefined, ...(type ? { type } : {}) });
    if (type === undefined) {
      const guess = guessColumn(
        column,
        actual.filter((a) => !claimed.has(a)),
      );
      // An optional column nobody seems to hold is shown in the checklist only: most tables lack some.
      if (!c.required && guess === undefined) continue;
      const code = c.required ? INSPECT_CODES.columnMissing : INSPECT_CODES.optionalColumnMissing;
      const what = column === c.name ? `"${column}"` : `"${column}" for ${c.name}`;
      const why = readBy?.length
        ? ` (read by ${readBy.map((m) => `"${m}"`).join(", ")})`
        : c.required
          ? ""
          : ` (optional, read only by the metrics or phases that use ${c.name})`;
      diagnostics.push(
        diagnostic(code, `The ${role} table "${table}" has no column ${what}${why}; map the column that holds it.`, {
          suggestion: guess
            ? `did you mean "${guess}"? map it in exp.yaml: warehouse: { columns: { ${role}: { ${c.name}: ${guess} } } }`
            : `its columns are ${actual.map((a) => `"${a}"`).join(", ")}; map one in exp.yaml: warehouse: { columns: { ${role}: { ${c.name}: <column> } } }`,
        }),
      );
      continue;
    }
    const kind = typeKind(type);
    if (c.kind === "number" && kind === "text")
      diagnostics.push(
        diagnostic(
          INSPECT_CODES.columnType,
          `The ${role} column "${table}.${column}" is ${type}, but ${c.name} must be a number; cast it.`,
          {
            suggestion: `store it as DOUBLE, or put a view in front: CREATE VIEW ${role}_typed AS SELECT * REPLACE (CAST(${quote(column)} AS DOUBLE) AS ${quote(column)}) FROM ${quote(table)}`,
          },
        ),
      );
    if (c.kind === "text" && kind === "json")
      diagnostics.push(
        diagnostic(INSPECT_CODES.columnType, `The ${role} column "${table}.${column}" is ${type}, but ${c.name} must be text; cast it.`),
      );
  }
  const ts = columns.find((c) => c.name === "ts");
  const tsKind = ts?.found ? typeKind(ts.type!) : undefined;
  const declared = settings.warehouse.ts_units?.[role];
  const range = ts?.found ? await timeRange(warehouse, table, ts.column, tsKind!, declared) : undefined;
  const unit = tsKind === "number" ? (declared ?? epochUnit(range?.min)) : undefined;
  if (ts?.found && range) {
    const epoch = await epochProblem(warehouse, settings, role, ts.type!, range);
    if (epoch) diagnostics.push(epoch);
    if (tsKind === "text" && !declared)
      diagnostics.push(
        diagnostic(
          INSPECT_CODES.columnType,
          `The ${role} column "${table}.${ts.column}" holds ${ts.type} values, not timestamps; exp reads ts as a TIMESTAMP, so convert it.`,
          {
            suggestion: opts.files
              ? `re-export the file with a timestamp where files: reads it instead, e.g. duckdb -c "COPY (SELECT * REPLACE (CAST(${ts.column} AS TIMESTAMP) AS ${ts.column}) FROM 'raw/${table}.csv') TO 'data/${table}.csv' (HEADER)"`
              : `put a view in front and use it: CREATE VIEW ${role}_ts AS SELECT * REPLACE (CAST(${ts.column} AS TIMESTAMP) AS ${ts.column}) FROM ${table}; then warehouse: { tables: { ${role}: ${role}_ts } }`,
          },
        ),
      );
  }
  const rows = range?.rows ?? (await rowCount(warehouse, table));
  const report: TableReport = { role, table, status: "ok", columns, rows };
  if (range?.from && range.to) report.range = { from: range.from, to: range.to, ...(unit ? { epoch: unit } : {}) };
  if (rows === 0)
    diagnostics.push(diagnostic(INSPECT_CODES.tableEmpty, `The ${role} table "${table}" has no rows; load data before analysing.`));
  const col = (name: string) => columns.find((c) => c.name === name && c.found)?.column;
  if (role === "exposures") {
    const [e, v, u] = [col("experiment"), col("variant"), col("unit_id")];
    if (e && v && u) report.variants = await variantCounts(warehouse, table, e, v, u);
  } else if (role === "events") {
    const e = col("event");
    if (e) {
      report.events = await eventCounts(warehouse, table, e);
      const present = report.events.map((x) => x.event);
      for (const [event, metrics] of opts.usedEvents) {
        if (present.includes(event)) continue;
        diagnostics.push(
          diagnostic(
            INSPECT_CODES.eventMissing,
            `The events table "${table}" has no "${event}" events, which ${metrics.map((m) => `"${m}"`).join(", ")} use${metrics.length === 1 ? "s" : ""}; those metrics will be empty.`,
            { suggestion: didYouMean(event, present) ?? `check the event names written to "${table}.${e}"` },
          ),
        );
      }
    }
  }
  report.status = diagnostics.slice(before).some((d) => d.severity === "error") ? "problems" : "ok";
  return report;
}

async function rowCount(warehouse: Warehouse, table: string): Promise<number> {
  const rows = await warehouse.query(`SELECT count(*) AS n FROM ${quote(table)}`);
  return count(rows[0]?.["n"]);
}

/** GROUP BY and ORDER BY keys: output positions, or for ClickHouse (which reads `1` as a constant) the output names. */
const byOutput = (warehouse: Warehouse, names: string[]) =>
  warehouse.dialect === "clickhouse" ? names.join(", ") : names.map((_, i) => i + 1).join(", ");

async function variantCounts(warehouse: Warehouse, table: string, experiment: string, variant: string, unit: string) {
  const by = byOutput(warehouse, ["e", "v"]);
  const rows = await warehouse.query(
    `SELECT CAST(${quote(experiment)} AS VARCHAR) AS e, CAST(${quote(variant)} AS VARCHAR) AS v, count(*) AS n, count(DISTINCT ${quote(unit)}) AS u FROM ${quote(table)} GROUP BY ${by} ORDER BY ${by}`,
  );
  return rows.map((r) => ({ experiment: String(r["e"]), variant: String(r["v"]), rows: count(r["n"]), units: count(r["u"]) }));
}

async function eventCounts(warehouse: Warehouse, table: string, event: string) {
  const by = byOutput(warehouse, ["e"]);
  const rows = await warehouse.query(
    `SELECT CAST(${quote(event)} AS VARCHAR) AS e, count(*) AS n FROM ${quote(table)} GROUP BY ${by} ORDER BY ${by}`,
  );
  return rows.map((r) => ({ event: String(r["e"]), rows: count(r["n"]) }));
}
