import type { RulesetExperiment } from "../../ruleset/types.js";

export type ExposureMode = "on_assignment" | "on_view";

/** An experiment's exposure mode; rulesets compiled before the field carry none, which is on_assignment. */
export function exposureMode(e: RulesetExperiment): ExposureMode {
  return e.exposure === "on_view" ? "on_view" : "on_assignment";
}
