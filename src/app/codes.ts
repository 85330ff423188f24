import { defineCodes } from "../diagnostics/codes.js";

/** EXP91xx: the use cases that commands and the demo run (their own failures, apart from the domain areas'). */
export const APP_CODES = defineCodes({
  publishedRulesetInvalid: { code: "EXP9101", severity: "error", title: "The published ruleset does not verify" },
  warehouseUnavailable: { code: "EXP9102", severity: "error", title: "The warehouse cannot be opened" },
  analysisFailed: { code: "EXP9103", severity: "error", title: "An experiment's analysis failed" },
  notEnoughData: { code: "EXP9104", severity: "error", title: "The warehouse has too little data for this" },
  designIncomplete: { code: "EXP9105", severity: "error", title: "The experiment's power design is incomplete" },
  wrongExperimentType: { code: "EXP9106", severity: "error", title: "The experiment is not of a type this command works on" },
  addressInUse: { code: "EXP9107", severity: "error", title: "exp serve cannot listen on the address (in use or not available)" },
  badTokenSecret: { code: "EXP9108", severity: "error", title: "The exposure-token secret is unreadable or malformed" },
  folderNotEmpty: { code: "EXP9109", severity: "error", title: "The output folder is not empty" },
  dataDirMissing: { code: "EXP9110", severity: "error", title: "The server data dir does not exist" },
  flagdMismatch: { code: "EXP9111", severity: "error", title: "The flagd export would not evaluate like the exp runtime" },
  noExperiment: { code: "EXP9113", severity: "error", title: "No experiment was named" },
  badLookback: { code: "EXP9114", severity: "error", title: "The look-back is not a duration" },
  commitFailed: { code: "EXP9115", severity: "error", title: "The report files cannot be committed to git" },
  badUnitIdKey: { code: "EXP9130", severity: "error", title: "The unit-id secret of privacy.hash_unit_ids is missing or too short" },
  optOutUnreadable: { code: "EXP9131", severity: "error", title: "The opt-out file of privacy.opt_out_file cannot be read" },
  notDuckDbFile: { code: "EXP9132", severity: "error", title: "exp forget can delete only from a DuckDB database file" },
  workspaceNotCompiling: { code: "EXP9112", severity: "error", title: "The workspace does not compile to a ruleset" },
});
