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
        const spanOf: StepSpan = (k, field) => f.origin.values[`rules.${i}.rollout.steps.${k}.${field}`];
        out.push(
          ...rolloutStepDiagnostics(r.name, r.steps, spanOf),
          ...gatedStepDiagnostics(r.name, r.steps, r.guard !== undefined, spanOf),
        );
      });
    }
    return out;
  },
};

type StepSpan = (step: number, field: "at" | "percent" | "after_units") => Span | undefined;

/**
 * Steps out of time order or shrinking, each reported at the step's `at` or `percent` (`spanOf`).
 * A dated step after a gated one is out of order: the gated step has no date until exp serve takes it.
 */
export function rolloutStepDiagnostics(rule: string, steps: readonly RolloutStep[], spanOf: StepSpan): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (let k = 1; k < steps.length; k++) {
    const a = steps[k - 1]!;
    const b = steps[k]!;
    if (a.at === undefined && b.at !== undefined)
      out.push(
        diagnostic(
          C.rolloutOrder,
          `rollout step ${k + 1} of rule "${rule}" is dated but follows step ${k}, which is gated on after_units; put dated steps before gated ones, or gate this step too`,
          { span: spanOf(k, "at") },
        ),
      );
    else if (a.at !== undefined && b.at !== undefined && Date.parse(b.at) <= Date.parse(a.at))
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

/**
 * Gated steps (`after_units`, no `at`) need the rule's guard to judge them and a step before them
 * whose units the guard counts; a step is dated or gated, not both (docs/file-formats.md#gated-steps).
 */
function gatedStepDiagnostics(rule: string, steps: readonly RolloutStep[], guarded: boolean, spanOf: StepSpan): Diagnostic[] {
  const out: Diagnostic[] = [];
  steps.forEach((s, k) => {
    const where = `rollout step ${k + 1} of rule "${rule}"`;
    const report = (message: string, field: "at" | "after_units") =>
      out.push(diagnostic(C.gatedStep, message, { span: spanOf(k, field) ?? spanOf(k, "percent") }));
    if (s.afterUnits === undefined) {
      if (s.at === undefined)
        report(`${where} has neither "at" nor "after_units"; give it a date, or gate it on the guard with after_units`, "at");
    } else if (s.at !== undefined)
      report(`${where} has both "at" and "after_units"; keep the date, or drop it to gate the step on the guard`, "after_units");
    else if (!guarded)
      report(
        `${where} is gated on after_units but the rule has no guard to judge it; add a guard to the rollout, or give the step a date`,
        "after_units",
      );
    else if (k === 0)
      report(
        `${where} is the first step and gated on after_units, but no step before it has units to count; give the first step a date`,
        "after_units",
      );
  });
  return out;
}
