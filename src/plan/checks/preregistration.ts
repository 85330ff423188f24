import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { RulesetRegistration } from "../../ruleset/types.js";
import type { Experiment } from "../../workspace/model.js";
import { checkCodes as C } from "./codes.js";
import type { PlanCheck } from "./context.js";
import { locate } from "./locate.js";

/** The parts of a registration that are locked, with the YAML path that declares each. */
const LOCKED: { field: Exclude<keyof RulesetRegistration, "amendments">; what: string; path: string[] }[] = [
  { field: "primary", what: "primary metrics", path: ["metrics.primary", "metrics"] },
  { field: "hypothesis", what: "hypothesis", path: ["hypothesis"] },
  { field: "method", what: "analysis method", path: ["analysis.method", "analysis"] },
  { field: "alpha", what: "alpha", path: ["analysis.alpha", "analysis"] },
  { field: "guardrails", what: "guardrail metrics or margins", path: ["metrics.guardrails", "metrics"] },
];

/** Statuses in which units have been exposed under the published design: its data belongs to it. */
const STARTED = new Set(["running", "paused", "stopped"]);

/**
 * Pre-registration: once an experiment has started, its registered design (primary metrics,
 * hypothesis, analysis method, alpha, guardrail metrics and margins) may change only with a phase
 * bump (a new randomisation, analysed on its own) or with a declared amendment, which the plan then
 * shows. Changing what a test answers after seeing its data is how teams fool themselves.
 */
export const preregistrationCheck: PlanCheck = {
  name: "preregistration",
  run(ctx) {
    const out: Diagnostic[] = [];
    for (const e of [...ctx.desired.experiments.values()].sort((a, b) => a.key.localeCompare(b.key))) {
      const published = ctx.published?.experiments.get(e.key);
      const before = published?.registration;
      const after = ctx.registrations?.get(e.key);
      if (!published || !before || !after || !STARTED.has(published.status) || e.phase !== published.phase) continue;
      const changed = LOCKED.filter((l) => JSON.stringify(before[l.field]) !== JSON.stringify(after[l.field]));
      if (changed.length === 0) continue;
      const names = changed.map((c) => c.what);
      const what = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} and ${names.at(-1)!}`;
      const added = amendmentsSince(e, before);
      if (after.amendments > before.amendments && added.length > 0) {
        const reasons = added.map((a) => `"${a.reason}"`).join("; ");
        out.push(
          diagnostic(C.designAmended, `experiment "${e.key}" amends its registered ${what} while ${published.status}: ${reasons}`, {
            span: locate(e.origin, "amendments", "experiment"),
          }),
        );
        continue;
      }
      out.push(locked(e, published.status, published.phase, what, changed[0]!.path));
    }
    return out;
  },
};

function locked(e: Experiment, status: string, phase: number, what: string, path: string[]): Diagnostic {
  return diagnostic(
    C.designLocked,
    `experiment "${e.key}" changes its registered ${what} while ${status}: results would answer a question other than the one it was started with`,
    {
      span: locate(e.origin, ...path, "experiment"),
      suggestion: `set phase: ${phase + 1} to start over on fresh assignments, or declare the change under "amendments:" with a reason`,
    },
  );
}

/** The amendments an experiment file declares beyond those its published registration counted. */
export function amendmentsSince(e: Experiment, published: RulesetRegistration): NonNullable<Experiment["amendments"]> {
  return (e.amendments ?? []).slice(published.amendments);
}
