import { defineCodes } from "../../diagnostics/codes.js";

/**
 * Codes of the plan policy checks (EXP41xx inside the plan range). EXP415x is kept for the power
 * check, which lives with the statistics code.
 */
export const checkCodes = defineCodes({
  sharedFlag: { code: "EXP4101", severity: "error", title: "two running experiments drive the same flag for overlapping units" },
  slotOverlap: {
    code: "EXP4102",
    severity: "error",
    title: "two running experiments hold overlapping slots of a layer for overlapping units",
  },
  sharedSurface: {
    code: "EXP4103",
    severity: "error",
    title: "two running experiments share a surface without a layer for overlapping units",
  },
  layerOverCapacity: { code: "EXP4111", severity: "error", title: "the experiments of a layer take more than 100% of it" },
  allocationMismatch: { code: "EXP4112", severity: "error", title: "a layer slot allocation does not match the experiment's traffic" },
  transitionRefused: { code: "EXP4121", severity: "error", title: "a status transition that is not allowed" },
  restartNeedsPhase: { code: "EXP4122", severity: "error", title: "restarting a stopped experiment needs a phase bump" },
  scheduleEnded: { code: "EXP4123", severity: "error", title: "an experiment to be started has a schedule that already ended" },
  scheduleStartPast: { code: "EXP4124", severity: "warning", title: "a new experiment's schedule starts in the past" },
  runningPastEnd: { code: "EXP4125", severity: "warning", title: "a running experiment is past the end of its schedule" },
  guardrailsMissing: { code: "EXP4131", severity: "warning", title: "a running experiment names no guardrail metric" },
  guardrailsRequired: {
    code: "EXP4132",
    severity: "error",
    title: "a running experiment names no guardrail metric, which the workspace requires",
  },
  designLocked: {
    code: "EXP4161",
    severity: "error",
    title: "a started experiment changes its registered design without a phase bump or an amendment",
  },
  designAmended: { code: "EXP4162", severity: "info", title: "a started experiment amends its registered design" },
  flagFullyRolledOut: { code: "EXP4141", severity: "info", title: "a flag serves one variant to everyone" },
  flagUnchanged: { code: "EXP4142", severity: "info", title: "a flag has not changed for 90 days" },
});
