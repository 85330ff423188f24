import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { IDENTITY_MAP_LAYOUT, type EpochUnit, type Settings } from "../../workspace/model.js";
import { tableColumnTypes } from "../table-columns.js";
import type { Warehouse } from "../warehouse.js";
import { INSPECT_CODES } from "./codes.js";
import type { TableRole } from "./expected-columns.js";
import { typeKind } from "./expected-columns.js";
import { epochUnit, timeRange } from "./time-range.js";

const UNIT_WORDS: Record<EpochUnit, string> = { s: "seconds", ms: "milliseconds", us: "microseconds" };

/** The exp.yaml line that declares a table's epoch unit. */
export const tsUnitDeclaration = (role: TableRole, unit: EpochUnit): string => `warehouse: { columns: { ${role}: { ts_unit: ${unit} } } }`;

/**
 * A `ts` of numbers without `ts_unit`: refused, with the declaration to add. `unit` is the one the
 * numbers' magnitude suggests, when it suggests one.
 */
export function undeclaredEpoch(role: TableRole, table: string, column: string, unit: EpochUnit | undefined): Diagnostic {
  const what = unit ? `epoch ${UNIT_WORDS[unit]}` : "numbers";
  return diagnostic(
    INSPECT_CODES.epochTimestamp,
    `The ${role} column "${table}.${column}" holds ${what}, not timestamps; declare their unit so exp converts them.`,
    {
      suggestion: unit
        ? `add to exp.yaml: ${tsUnitDeclaration(role, unit)}`
        : `add to exp.yaml ${tsUnitDeclaration(role, "ms")} with the unit the numbers are in (s, ms or us)`,
    },
  );
}

/** `ts_unit` declared for a column that already holds timestamps: converting it again would fail. */
export function epochUnitOnTimestamp(role: TableRole, table: string, column: string, type: string): Diagnostic {
  return diagnostic(
    INSPECT_CODES.epochUnitOnTimestamp,
    `The ${role} column "${table}.${column}" is ${type}, but exp.yaml declares ts_unit for it; remove warehouse.columns.${role}.ts_unit.`,
  );
}

/** The problem with a table's `ts` type given its declared unit, if any (a text `ts` is left to the caller). */
export async function epochProblem(
  warehouse: Warehouse,
  settings: Settings,
  role: TableRole,
  type: string,
  range?: { min?: number },
): Promise<Diagnostic | undefined> {
  const table = settings.warehouse.tables[role] ?? IDENTITY_MAP_LAYOUT.table;
  const column = (settings.warehouse.columns[role] ?? IDENTITY_MAP_LAYOUT.columns).ts;
  const declared = settings.warehouse.ts_units?.[role];
  const kind = typeKind(type);
  if (declared && kind === "time") return epochUnitOnTimestamp(role, table, column, type);
  if (declared || kind !== "number") return undefined;
  const min = range ? range.min : (await timeRange(warehouse, table, column, kind)).min;
  return undeclaredEpoch(role, table, column, epochUnit(min));
}

/**
 * What stops the analysis from reading `ts` as a time, checked before it runs: a column of epoch
 * numbers without `ts_unit` (the engine would otherwise fail on its time arithmetic with a list of
 * function signatures), or `ts_unit` on a timestamp column. Tables or columns that are not there are
 * left to the analysis query, which names them.
 */
export async function timestampProblems(warehouse: Warehouse, settings: Settings): Promise<Diagnostic[]> {
  const problems: Diagnostic[] = [];
  for (const role of ["exposures", "events"] as const) {
    const type = (await tableColumnTypes(warehouse, settings.warehouse.tables[role]))?.get(settings.warehouse.columns[role].ts);
    if (type === undefined) continue;
    const problem = await epochProblem(warehouse, settings, role, type);
    if (problem) problems.push(problem);
  }
  return problems;
}
