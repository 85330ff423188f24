import { defineCodes } from "../../diagnostics/codes.js";

/**
 * EXP5xxx: compiling a ruleset, exporting it, and the unit input of `exp assign`. Reading and
 * verifying a ruleset (EXP5003, EXP5010–5013) are the contract's codes, in src/ruleset/codes.ts.
 */
export const RULESET_CODES = defineCodes({
  unsupportedExpression: { code: "EXP5001", severity: "error", title: "Expression cannot be compiled into a runtime condition" },
  layerOverCapacity: { code: "EXP5002", severity: "error", title: "Layer slot ranges exceed 100%" },
  exportUnsupported: { code: "EXP5020", severity: "error", title: "Construct has no flagd equivalent" },
  exportApproximated: { code: "EXP5021", severity: "warning", title: "flagd export is exact only at whole-second times" },
  exportSkipped: { code: "EXP5022", severity: "warning", title: "Split-URL experiment left out of the flagd export" },
  unknownKey: { code: "EXP5030", severity: "error", title: "No experiment or flag with this key" },
  badAttribute: { code: "EXP5031", severity: "error", title: "Attribute value does not match its declared type" },
});
