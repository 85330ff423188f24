import { defineCodes } from "../diagnostics/codes.js";

/** Plan-level diagnostics (the checks have theirs in checks/codes.ts, the state layer in target/codes.ts). */
export const PLAN_CODES = defineCodes({
  rerandomise: { code: "EXP4001", severity: "error", title: "A change re-randomises a running experiment without a phase bump" },
  targetingShift: {
    code: "EXP4002",
    severity: "warning",
    title: "A targeting change moves an unknown share of a running experiment's units",
  },
  drift: { code: "EXP4003", severity: "warning", title: "The published ruleset was not produced by applying git (drift)" },
  stalePlan: { code: "EXP4004", severity: "error", title: "The saved plan is stale: the published ruleset moved" },
  badPlanFile: { code: "EXP4005", severity: "error", title: "The plan file cannot be read" },
  compile: { code: "EXP4006", severity: "error", title: "The workspace does not compile to a ruleset" },
  power: { code: "EXP4007", severity: "error", title: "The experiment cannot reach its declared MDE by its end date" },
  powerSkipped: { code: "EXP4008", severity: "info", title: "No power.mde is declared, so the power check is skipped" },
  banditReallocation: {
    code: "EXP4009",
    severity: "info",
    title: "A bandit's new weights move a share of its units to another arm, as bandits do",
  },
});
