import { definitionsDirty } from "../gitops/commit.js";
import { applyPlan, type ApplyOutcome } from "../plan/apply.js";
import { resolveActor } from "../plan/audit-actor.js";
import type { Plan } from "../plan/model.js";
import { verifier, type PreparedPlan } from "../plan/prepare.js";
import { readPublishLocation } from "../plan/target/config.js";
import { openPublishTarget } from "../plan/target/open.js";
import type { LockHandle } from "../plan/target/target.js";

/**
 * Takes the publish lock of the workspace at `root` (of one environment's target with `environment`) for the actor (git author or $EXP_ACTOR) before
 * anything is loaded, so what is planned and shown is what gets published, and a second publisher
 * started meanwhile fails at once with the holder's name.
 */
export async function lockPublishTarget(
  root: string,
  o: { timeoutMs: number; env?: NodeJS.ProcessEnv; environment?: string },
): Promise<{ actor: string; held: LockHandle }> {
  const { config } = readPublishLocation(root, o.environment);
  const actor = await resolveActor(root, o.env);
  const held = await openPublishTarget(config, root, { verify: verifier, environment: o.environment }).lock(actor, {
    timeoutMs: o.timeoutMs,
  });
  return { actor, held };
}

/**
 * Publishes a plan (the prepared one, or a saved one made against the same state) with its audit
 * record. Uncommitted changes to the definitions are recorded as such (`dirty: true` and the content
 * checksum), since the source commit then does not hold what was published.
 */
export async function publishPlan(prepared: PreparedPlan, o: { plan?: Plan; actor: string; held?: LockHandle }): Promise<ApplyOutcome> {
  const dirty = await definitionsDirty(prepared.root);
  return applyPlan(prepared.target, { plan: o.plan ?? prepared.plan, build: prepared.build, actor: o.actor, held: o.held, dirty });
}
