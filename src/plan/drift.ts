import type { AuditRecord } from "./audit.js";
import type { Drift } from "./model.js";

/**
 * Drift: the published ruleset differs from what git would produce and was not produced by
 * `exp apply` (a rollback, or a publish outside exp). Reported until git and the target agree again.
 */
export function detectDrift(
  currentVersion: number | undefined,
  records: readonly AuditRecord[],
  contentDiffers: boolean,
): Drift | undefined {
  if (currentVersion === undefined || !contentDiffers) return undefined;
  const head = records[records.length - 1];
  const reconcile = `run \`exp apply\` to publish what git says, or change git to match v${currentVersion} (for a rollback: revert the commit that caused it).`;
  if (!head || head.toVersion !== currentVersion)
    return { version: currentVersion, cause: "published outside exp: no audit record names this version", reconcile };
  if (head.action === "stop")
    return {
      version: currentVersion,
      cause: `exp stop by ${head.actor} at ${head.ts}: ${head.summary}`,
      reconcile:
        "merge the change that sets the experiment's status: stopped in git (the guardrail workflow opens it), then exp plan is clean again.",
    };
  if (head.action === "guard" || head.action === "guard_advance") {
    // What `exp guardrails --guards` writes: a breach stops the change, a gated step gets its date.
    const written = head.action === "guard" ? "the flag's enabled: false or the experiment's status: stopped" : "the taken step's at";
    return {
      version: currentVersion,
      cause: `a guard of exp serve (${head.actor}) at ${head.ts}: ${head.summary}`,
      reconcile: `merge the change the guardrail workflow opens (\`exp guardrails --guards\`: ${written}) and run \`exp apply\`; until then exp plan reports this drift.`,
    };
  }
  if (head.action === "rollback")
    return { version: currentVersion, cause: `exp rollback by ${head.actor} at ${head.ts}, from v${head.fromVersion}`, reconcile };
  return undefined;
}
