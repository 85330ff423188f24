import { advanceGatedStep } from "../plan/guard-advance.js";
import { breakGlassForGuard } from "../plan/guard-break.js";
import type { PublishTarget } from "../plan/target/target.js";
import type { AdvanceStep, BreakGlass } from "../runtime/server/guards/guard-watcher.js";

/** The audit actor of a guard's break-glass publish. */
export const GUARD_ACTOR = "exp serve (guard)";

/** What a guard breach on `exp serve` publishes to its target: src/plan/guard-break.ts, with its audit record. */
export function guardBreaker(target: PublishTarget): BreakGlass {
  return async (request) => (await breakGlassForGuard(target, { ...request, actor: GUARD_ACTOR }))?.toVersion ?? null;
}

/** What a guard taking a gated rollout step on `exp serve` publishes: src/plan/guard-advance.ts, with its audit record. */
export function guardAdvancer(target: PublishTarget): AdvanceStep {
  return async (request) => (await advanceGatedStep(target, { ...request, actor: GUARD_ACTOR }))?.toVersion ?? null;
}
