import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { collisionCheck } from "./collision.js";
import type { CheckContext, PlanCheck } from "./context.js";
import { guardrailsCheck } from "./guardrails.js";
import { layerCapacityCheck } from "./layer-capacity.js";
import { lifecycleCheck } from "./lifecycle.js";
import { preregistrationCheck } from "./preregistration.js";
import { staleFlagsCheck } from "./stale-flags.js";

/** The checks `exp plan` runs, in report order. A new check is one file and one line here. */
export const planChecks: readonly PlanCheck[] = [
  collisionCheck,
  layerCapacityCheck,
  // power: the achievable-MDE check comes from the statistics code and is added here (codes EXP415x).
  lifecycleCheck,
  preregistrationCheck,
  guardrailsCheck,
  staleFlagsCheck,
];

/** Runs the checks and accumulates their diagnostics; an error among them fails the plan (exit 3). */
export function runPlanChecks(ctx: CheckContext, checks: readonly PlanCheck[] = planChecks): Diagnostic[] {
  return checks.flatMap((c) => c.run(ctx));
}
