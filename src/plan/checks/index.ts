/** The policy checks of `exp plan`: everything other areas need from src/plan/checks is exported here. */
export type { CheckContext, PlanCheck, PublishedExperiment, SlotRange } from "./context.js";
export { checkCodes } from "./codes.js";
export { planChecks, runPlanChecks } from "./registry.js";
export { collisionCheck } from "./collision.js";
export { layerCapacityCheck, SLOT_HOLDING } from "./layer-capacity.js";
export { lifecycleCheck, TRANSITIONS } from "./lifecycle.js";
export { guardrailsCheck } from "./guardrails.js";
export { staleFlagsCheck, currentPercent, STALE_AFTER_DAYS } from "./stale-flags.js";
export { mayOverlap, maySatisfy, mayHoldTogether, MAX_TERMS, type SatisfiabilityEnv } from "./satisfiable.js";
export { lastChangedFromGit } from "./git-history.js";
export { targetingEnv } from "./targeting.js";
