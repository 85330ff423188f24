import { defineCodes } from "../../diagnostics/codes.js";

/** What `exp doctor` finds wrong with the warehouse tables (EXP612x); the connection itself is EXP61xx in ../codes.ts. */
export const INSPECT_CODES = defineCodes({
  tableMissing: { code: "EXP6120", severity: "error", title: "Warehouse table not found" },
  columnMissing: { code: "EXP6121", severity: "error", title: "Required warehouse column not found" },
  optionalColumnMissing: { code: "EXP6122", severity: "warning", title: "Optional warehouse column not found" },
  epochTimestamp: { code: "EXP6123", severity: "error", title: "Timestamp column holds epoch numbers" },
  columnType: { code: "EXP6124", severity: "error", title: "Warehouse column has the wrong type" },
  eventMissing: { code: "EXP6125", severity: "warning", title: "An event the metrics use is not in the events table" },
  epochUnitOnTimestamp: { code: "EXP6127", severity: "error", title: "ts_unit declared for a column that holds timestamps" },
  tableEmpty: { code: "EXP6126", severity: "warning", title: "Warehouse table has no rows" },
});
