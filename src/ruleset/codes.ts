import { defineCodes } from "../diagnostics/codes.js";

/**
 * EXP50xx codes of reading and verifying a ruleset: the contract every reader (plan, the SDK, the
 * server) checks before trusting one. The compiler's and the exports' codes are in
 * src/compiler/ruleset/codes.ts.
 */
export const CONTRACT_CODES = defineCodes({
  unknownReference: { code: "EXP5003", severity: "error", title: "Ruleset refers to an unknown flag, experiment, layer or segment" },
  schemaInvalid: { code: "EXP5010", severity: "error", title: "Ruleset does not match its JSON Schema" },
  checksumMismatch: { code: "EXP5011", severity: "error", title: "Ruleset checksum does not match its content" },
  notJson: { code: "EXP5012", severity: "error", title: "Ruleset is not valid JSON" },
  fetchFailed: { code: "EXP5013", severity: "error", title: "Ruleset could not be read or fetched" },
});
