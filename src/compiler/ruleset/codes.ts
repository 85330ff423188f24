import { defineCodes } from "../../diagnostics/codes.js";

/** EXP5xxx: the ruleset compiler, its verification, the runtime and the exports. */
export const RULESET_CODES = defineCodes({
  unsupportedExpression: { code: "EXP5001", severity: "error", title: "Expression cannot be compiled into a runtime condition" },
  layerOverCapacity: { code: "EXP5002", severity: "error", title: "Layer slot ranges exceed 100%" },
  unknownReference: { code: "EXP5003", severity: "error", title: "Ruleset refers to an unknown flag, experiment, layer or segment" },
  schemaInvalid: { code: "EXP5010", severity: "error", title: "Ruleset does not match its JSON Schema" },
  checksumMismatch: { code: "EXP5011", severity: "error", title: "Ruleset checksum does not match its content" },
  notJson: { code: "EXP5012", severity: "error", title: "Ruleset is not valid JSON" },
  fetchFailed: { code: "EXP5013", severity: "error", title: "Ruleset could not be read or fetched" },
  exportUnsupported: { code: "EXP5020", severity: "error", title: "Construct has no flagd equivalent" },
  exportApproximated: { code: "EXP5021", severity: "warning", title: "flagd export is exact only at whole-second times" },
  unknownKey: { code: "EXP5030", severity: "error", title: "No experiment or flag with this key" },
  badAttribute: { code: "EXP5031", severity: "error", title: "Attribute value does not match its declared type" },
});
