import { defineCodes } from "../diagnostics/codes.js";

/** Off-policy evaluation files (evaluations/*.yaml): their shape (EXP106x) and their references (EXP306x). */
export const EvaluationCodes = defineCodes({
  partialRewardModel: {
    code: "EXP1060",
    severity: "error",
    title: "An evaluation declares only one of reward_estimate and target_estimate",
  },
  unknownExperiment: { code: "EXP3060", severity: "error", title: "An evaluation compares with an experiment that does not exist" },
  unknownMetric: { code: "EXP3061", severity: "error", title: "An evaluation compares with a metric its experiment does not analyse" },
  unknownVariant: {
    code: "EXP3062",
    severity: "error",
    title: "An evaluation compares with a variant its experiment does not declare, or with the control",
  },
  keyMismatch: { code: "EXP3063", severity: "error", title: "An evaluation's key differs from its file name" },
});
