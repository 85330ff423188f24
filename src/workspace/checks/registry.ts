import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Check, CheckContext } from "./context.js";
import { conditionsCheck } from "./conditions.js";
import { duplicateKeysCheck } from "./duplicate-keys.js";
import { environmentsCheck } from "./environments.js";
import { experimentDesignCheck } from "./experiment-design.js";
import { experimentMetricsCheck } from "./experiment-metrics.js";
import { experimentRulesCheck } from "./experiment-rules.js";
import { fileKeysCheck } from "./file-keys.js";
import { flagRulesCheck } from "./flag-rules.js";
import { flagVariantsCheck } from "./flag-variants.js";
import { guardsCheck } from "./guards.js";
import { holdoutsCheck } from "./holdouts.js";
import { identityUnitCheck } from "./identity-unit.js";
import { interleavingClicksCheck } from "./interleaving-clicks.js";
import { layerUnitsCheck } from "./layer-units.js";
import { metricExpressionsCheck } from "./metric-expressions.js";
import { metricUnitsCheck } from "./metric-units.js";
import { metricCovariatesCheck } from "./metric-covariates.js";
import { overridesCheck } from "./overrides.js";
import { prerequisitesCheck } from "./prerequisites.js";
import { rolloutStepsCheck } from "./rollout-steps.js";
import { scheduleCheck } from "./schedule.js";
import { segmentCyclesCheck } from "./segment-cycles.js";
import { unitsCheck } from "./units.js";
import { sliceAttributesCheck } from "./slice-attributes.js";

/** Every cross-file check, in run order. */
export const specifiedChecks: readonly Check[] = [
  metricExpressionsCheck,
  conditionsCheck,
  segmentCyclesCheck,
  fileKeysCheck,
  duplicateKeysCheck,
  unitsCheck,
  experimentMetricsCheck,
  experimentDesignCheck,
  scheduleCheck,
  metricUnitsCheck,
  metricCovariatesCheck,
  layerUnitsCheck,
  identityUnitCheck,
  interleavingClicksCheck,
  holdoutsCheck,
  flagVariantsCheck,
  overridesCheck,
  flagRulesCheck,
  rolloutStepsCheck,
  guardsCheck,
  experimentRulesCheck,
  prerequisitesCheck,
  environmentsCheck,
  sliceAttributesCheck,
];

export function runChecks(ctx: CheckContext, checks: readonly Check[] = specifiedChecks): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const check of checks) {
    for (const d of check.run(ctx)) {
      out.push(d);
      if (d.severity === "error" && d.span) ctx.brokenFiles.add(d.span.file);
    }
  }
  return out;
}
