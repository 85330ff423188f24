import { diagnostic, type Diagnostic, type Span } from "../../diagnostics/diagnostic.js";
import type { RolloutStep } from "../model.js";
import { CheckCodes as C } from "./codes.js";
import { type Check } from "./context.js";

/** Rollout steps go forward in time and never shrink: a unit included at 10% must stay included at 50%. */
export const rolloutStepsCheck: Check = {
  name: "rollout-steps",
  run({ workspace: ws }) {
    const out: Diagnostic[] = [];
    for (const f of ws.flags.values()) {
      f.rules.forEach((r, i) => {
        if (r.kind !== "rollout") return;
        out.push(...rolloutStepDiagnostics(r.name, r.steps, (k, field) => f.origin.values[`rules.${i}.rollout.steps.${k}.${field}`]));
      });
    }
    return out;
  },
};

/** Steps out of time order or shrinking, each reported at the step's `at` or `percent` (`spanOf`). */
export function rolloutStepDiagnostics(
  rule: string,
  steps: readonly RolloutStep[],
  spanOf: (step: number, field: "at" | "percent") => Span | undefined,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (let k = 1; k < steps.length; k++) {
    const a = steps[k - 1]!;
    const b = steps[k]!;
    if (Date.parse(b.at) <= Date.parse(a.at))
      out.push(
        diagnostic(
          C.rolloutOrder,
          `rollout step ${k + 1} of rule "${rule}" is at ${b.at.replace(".000Z", "Z")}, not after the previous step (${a.at.replace(".000Z", "Z")}); list steps in time order`,
          { span: spanOf(k, "at") },
        ),
      );
    if (b.percent < a.percent)
      out.push(
        diagnostic(
          C.rolloutDecrease,
          `rollout step ${k + 1} of rule "${rule}" lowers the percent from ${a.percent} to ${b.percent}; rollouts only grow (roll back with enabled: false)`,
          { span: spanOf(k, "percent") },
        ),
      );
  }
  return out;
}
