import { defineCodes } from "../../diagnostics/codes.js";

/** Off-policy evaluations run on the warehouse (EXP616x). */
export const OFF_POLICY_CODES = defineCodes({
  unknownEvaluation: { code: "EXP6160", severity: "error", title: "There is no off-policy evaluation by that name" },
  lowEffectiveSampleSize: {
    code: "EXP6161",
    severity: "warning",
    title: "An off-policy evaluation's effective sample size is small: its intervals are too narrow",
  },
  propensitiesBelowFloor: {
    code: "EXP6162",
    severity: "warning",
    title: "An off-policy evaluation has logging propensities below its floor",
  },
  invalidDecisions: { code: "EXP6163", severity: "warning", title: "Logged decisions were left out of an off-policy evaluation" },
  onlineUnavailable: {
    code: "EXP6165",
    severity: "warning",
    title: "The experiment an off-policy evaluation compares with has no result to compare",
  },
  evaluationFailed: {
    code: "EXP6164",
    severity: "warning",
    title: "An off-policy evaluation compared with this experiment could not be read",
  },
});
