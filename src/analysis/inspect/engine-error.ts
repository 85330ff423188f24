import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Settings } from "../../workspace/model.js";
import { INSPECT_CODES } from "./codes.js";

const DOCTOR = 'run "exp doctor" to see the tables and columns the connection has and what to change';

// DuckDB and PostgreSQL spell the common failures differently; each pattern captures the name.
const MISSING_COLUMN = [
  /Referenced column "([^"]+)" not found/,
  /does not have a column named "([^"]+)"/,
  /column (?:\w+\.)?"?([^"\s]+?)"? does not exist/,
];
const MISSING_TABLE = [/Table with name "?([^"\s!]+)"? does not exist/, /relation "([^"]+)" does not exist/];
const TIME_ON_NUMBER = [
  /argument types '[^']*\((?:BIGINT|INTEGER|DOUBLE|HUGEINT|DECIMAL[^,]*|VARCHAR), (?:INTERVAL|TIMESTAMP)[^)]*\)'/,
  /argument types '[^']*\((?:INTERVAL|TIMESTAMP[^,]*), (?:BIGINT|INTEGER|DOUBLE|HUGEINT|VARCHAR)\)'/,
  /operator does not exist: (?:bigint|integer|double precision|numeric|text) [-+<>=]+ (?:interval|timestamp)/,
];

function match(patterns: readonly RegExp[], text: string): RegExpExecArray | undefined {
  for (const p of patterns) {
    const m = p.exec(text);
    if (m) return m;
  }
  return undefined;
}

/** Where a column name is used: "events.event", or the tables' mapped `ts` columns. */
function usesOf(settings: Settings, column: string): string[] {
  const uses: string[] = [];
  for (const role of ["exposures", "events"] as const) {
    const mapped = settings.warehouse.columns[role] as Record<string, string | undefined>;
    for (const [name, actual] of Object.entries(mapped))
      if ((actual ?? name) === column) uses.push(`${settings.warehouse.tables[role]}.${name}`);
  }
  return uses;
}

/**
 * A failed analysis query as a diagnostic the user can act on: a missing column or table, or a time
 * function given a number, names the table and column and points at `exp doctor`; anything else keeps
 * the engine's first line, without its list of candidate functions or its SQL excerpt.
 */
export function explainQueryFailure(failure: Diagnostic, settings: Settings): Diagnostic {
  const text = failure.message;
  const column = match(MISSING_COLUMN, text)?.[1];
  if (column !== undefined) {
    const uses = usesOf(settings, column);
    const where = uses.length ? ` (read as ${uses.map((u) => `"${u}"`).join(" and ")})` : "";
    return diagnostic(
      INSPECT_CODES.columnMissing,
      `The warehouse has no column "${column}"${where}; map the column that holds it under warehouse.columns in exp.yaml.`,
      { suggestion: DOCTOR },
    );
  }
  const table = match(MISSING_TABLE, text)?.[1];
  if (table !== undefined)
    return diagnostic(
      INSPECT_CODES.tableMissing,
      `The warehouse has no table "${table}"; create it or set warehouse.tables in exp.yaml to the one that holds the data.`,
      { suggestion: DOCTOR },
    );
  if (match(TIME_ON_NUMBER, text)) {
    const ts = (["exposures", "events"] as const).map((r) => `"${settings.warehouse.tables[r]}.${settings.warehouse.columns[r].ts}"`);
    return diagnostic(
      INSPECT_CODES.epochTimestamp,
      `A time column holds numbers or text instead of timestamps (${ts.join(" or ")}); declare the unit of epoch numbers with ts_unit.`,
      { suggestion: `add to exp.yaml e.g. warehouse: { columns: { events: { ts_unit: ms } } } (s, ms or us), or ${DOCTOR}` },
    );
  }
  const firstLine = text.split("\n")[0]!.trim();
  return firstLine === text ? failure : { ...failure, message: firstLine };
}
