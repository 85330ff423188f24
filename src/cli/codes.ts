import { defineCodes } from "../diagnostics/codes.js";

/** EXP90xx: the command line itself — options, arguments, the environment it reads, and its own files. */
export const CLI_CODES = defineCodes({
  badOption: { code: "EXP9001", severity: "error", title: "A command-line option or argument has an invalid value" },
  badFormat: { code: "EXP9002", severity: "error", title: "Unknown output format" },
  workspaceInvalid: { code: "EXP9003", severity: "error", title: "The workspace has errors, so the command did not run" },
  badEnv: { code: "EXP9004", severity: "error", title: "An environment variable that exp reads has an invalid value" },
  needsConfirmation: { code: "EXP9005", severity: "error", title: "exp apply needs a terminal to confirm, or --auto-approve" },
  badPlanFile: { code: "EXP9006", severity: "error", title: "The plan file cannot be read or is not a plan" },
  planNotApplicable: { code: "EXP9007", severity: "error", title: "The plan has errors or failed checks, so nothing was applied" },
  cannotWrite: { code: "EXP9008", severity: "error", title: "An output file cannot be written" },
  badKeys: { code: "EXP9009", severity: "error", title: "exp serve's API keys are missing, unreadable or invalid" },
  unknownName: { code: "EXP9010", severity: "error", title: "No experiment, flag, attribute or subcommand with this name" },
  deprecatedOption: { code: "EXP9011", severity: "warning", title: "A deprecated option was used" },
});
