import { defineCodes } from "../../diagnostics/codes.js";

/** SQL compilation diagnostics (EXP60xx); warehouse and analysis ones are EXP61xx in src/analysis. */
export const SQL_CODES = defineCodes({
  unknownExperiment: { code: "EXP6001", severity: "error", title: "Unknown experiment" },
  unknownMetric: { code: "EXP6002", severity: "error", title: "Unknown metric" },
  unknownDialect: { code: "EXP6003", severity: "error", title: "Unknown SQL dialect" },
  unsupportedInSql: { code: "EXP6004", severity: "error", title: "Expression not supported in an event filter" },
  nulInString: { code: "EXP6005", severity: "error", title: "NUL character in a string literal" },
  unknownProperty: { code: "EXP6006", severity: "error", title: "Unknown event or property in a metric" },
  invalidAsOf: { code: "EXP6007", severity: "error", title: "Invalid --as-of timestamp" },
  invalidIdentifier: { code: "EXP6008", severity: "error", title: "Invalid table or column name" },
  unsupportedMetric: { code: "EXP6009", severity: "error", title: "Metric kind not supported in SQL" },
  quantileUnsupported: { code: "EXP6010", severity: "error", title: "Quantile metric not supported by the SQL dialect" },
  holdoutUnsupported: { code: "EXP6031", severity: "error", title: "Holdout analysis not supported by the SQL dialect" },
  interleavingUnsupported: { code: "EXP6017", severity: "warning", title: "Interleaving click credit not supported by the SQL dialect" },
});
