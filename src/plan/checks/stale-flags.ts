import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Flag, FlagRule } from "../../workspace/model.js";
import { checkCodes as C } from "./codes.js";
import type { PlanCheck } from "./context.js";
import { locate } from "./locate.js";

/** A flag file untouched for this long is probably dead code behind a settled decision. */
export const STALE_AFTER_DAYS = 90;
const DAY_MS = 86_400_000;

/**
 * Flags that have done their job: one variant served to everyone (a finished rollout or a
 * catch-all serve rule), or no change in git for 90 days. Info only: removal is a code change the
 * plan cannot make.
 */
export const staleFlagsCheck: PlanCheck = {
  name: "stale flags",
  run(ctx) {
    const out: Diagnostic[] = [];
    const flags = [...ctx.desired.flags.values()].sort((a, b) => a.key.localeCompare(b.key));
    for (const flag of flags) {
      const rollout = finishedRollout(flag, ctx.now);
      if (rollout) out.push(rollout);
      const changed = ctx.lastChanged?.get(flag.origin.file);
      if (changed !== undefined) {
        const days = Math.floor((ctx.now.getTime() - changed.getTime()) / DAY_MS);
        if (days >= STALE_AFTER_DAYS) {
          out.push(
            diagnostic(
              C.flagUnchanged,
              `flag "${flag.key}" has not changed for ${days} days (last commit ${changed.toISOString().slice(0, 10)}); if its decision is settled, remove it from code and delete the flag`,
              { span: locate(flag.origin, "flag") },
            ),
          );
        }
      }
    }
    return out;
  },
};

/** The percentage a rollout serves now: its last step whose time has passed (docs/runtime.md). */
export function currentPercent(rule: FlagRule & { kind: "rollout" }, now: Date): number {
  let pct = 0;
  for (const s of rule.steps) if (s.at !== undefined && Date.parse(s.at) <= now.getTime()) pct = s.percent;
  return pct;
}

function finishedRollout(flag: Flag, now: Date): Diagnostic | undefined {
  for (let i = 0; i < flag.rules.length; i++) {
    const rule = flag.rules[i]!;
    const everyone = rule.when === undefined;
    if (rule.kind === "serve" && everyone) {
      return diagnostic(
        C.flagFullyRolledOut,
        `flag "${flag.key}" serves "${rule.serve}" to everyone through rule "${rule.name}"${i + 1 < flag.rules.length ? ", and the rules after it never run" : ""}; remove the flag from code and delete it`,
        { span: locate(flag.origin, `rules.${i}.serve`, `rules.${i}`) },
      );
    }
    if (rule.kind === "rollout" && rule.steps.length > 0 && currentPercent(rule, now) >= 100) {
      const last = rule.steps.length - 1;
      const since = rule.steps.find((s) => s.percent >= 100)?.at ?? rule.steps[last]!.at;
      const message = everyone
        ? `flag "${flag.key}" has rolled "${rule.variant}" out to 100% since ${since} through rule "${rule.name}"; remove the flag from code and delete it`
        : `rollout rule "${rule.name}" of flag "${flag.key}" has reached 100% since ${since}; replace it with a serve rule, or remove the flag once every audience is rolled out`;
      return diagnostic(C.flagFullyRolledOut, message, {
        span: locate(flag.origin, `rules.${i}.rollout.steps.${last}.percent`, `rules.${i}.rollout`, `rules.${i}`),
      });
    }
  }
  return undefined;
}
