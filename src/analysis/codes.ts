import { defineCodes } from "../diagnostics/codes.js";

/** Warehouse connection and analysis diagnostics (EXP61xx); SQL compilation uses EXP60xx. */
export const ANALYSIS_CODES = defineCodes({
  unknownConnection: { code: "EXP6101", severity: "error", title: "Unknown warehouse connection" },
  noFiles: { code: "EXP6103", severity: "error", title: "No warehouse files matched" },
  queryFailed: { code: "EXP6104", severity: "error", title: "Warehouse query failed" },
  unsupportedConnection: { code: "EXP6105", severity: "error", title: "Connection type cannot be queried from here" },
  unknownVariant: { code: "EXP6106", severity: "warning", title: "Exposures to a variant the experiment does not declare" },
  connectFailed: { code: "EXP6107", severity: "error", title: "Cannot open the warehouse" },
  noLookPlan: { code: "EXP6108", severity: "warning", title: "Group-sequential analysis cannot place its look" },
  noExposures: { code: "EXP6109", severity: "error", title: "No exposures to analyse" },
  unknownHoldout: { code: "EXP6112", severity: "error", title: "Unknown holdout, or nothing to compare it on" },
  phaseFromHistory: { code: "EXP6110", severity: "info", title: "Phase start taken from the publish history" },
  phaseUnknown: { code: "EXP6111", severity: "warning", title: "Exposures of the analysed phase cannot be told apart" },
});
