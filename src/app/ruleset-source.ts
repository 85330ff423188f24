import { compileRuleset } from "../compiler/ruleset/compile.js";
import { verifyRuleset } from "../ruleset/verify.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { ExpError } from "../diagnostics/errors.js";
import { openPublishTarget } from "../plan/target/open.js";
import type { Ruleset } from "../ruleset/types.js";
import type { Workspace } from "../workspace/model.js";
import { APP_CODES } from "./codes.js";

export interface RulesetSource {
  ruleset: Ruleset;
  source: "published" | "desired";
  /** The compiler's diagnostics when the desired ruleset was compiled. */
  diagnostics: Diagnostic[];
  /** Why the desired ruleset stands in for the published one, for stderr. */
  notes: string[];
}

/**
 * The ruleset `exp assign` and `exp export` work on: the published one by default, or the desired one
 * compiled from the workspace (`desired`, or when nothing is published yet or it cannot be read).
 */
export async function rulesetFor(ws: Workspace, desired: boolean): Promise<RulesetSource> {
  const notes: string[] = [];
  if (!desired) {
    let current: { ruleset: unknown } | undefined;
    let unreadable = false;
    try {
      current = await openPublishTarget(ws.settings.runtime.publish, ws.root, { environment: ws.environment }).current();
    } catch (err) {
      unreadable = true;
      notes.push(`note: cannot read the published ruleset (${(err as Error).message}); using the desired ruleset from the workspace`);
    }
    if (current) {
      const v = verifyRuleset(current.ruleset);
      if (!v.value)
        throw ExpError.of(APP_CODES.publishedRulesetInvalid, `the published ruleset does not verify: ${v.diagnostics[0]!.message}`, {
          suggestion: "republish with `exp apply`, or pass --desired",
        });
      return { ruleset: v.value, source: "published", diagnostics: [], notes };
    } else if (!unreadable) notes.push("note: nothing is published yet; evaluating the desired ruleset compiled from the workspace");
  }
  const { value: ruleset, diagnostics } = compileRuleset(ws);
  return { ruleset, source: "desired", diagnostics, notes };
}
