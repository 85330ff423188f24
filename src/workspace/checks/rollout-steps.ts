import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
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
        for (let k = 1; k < r.steps.length; k++) {
          const a = r.steps[k - 1]!;
          const b = r.steps[k]!;
          const p = `rules.${i}.rollout.steps.${k}`;
          if (Date.parse(b.at) <= Date.parse(a.at))
            out.push(
              diagnostic(
                C.rolloutOrder,
                `rollout step ${k + 1} of rule "${r.name}" is at ${b.at.replace(".000Z", "Z")}, not after the previous step (${a.at.replace(".000Z", "Z")}); list steps in time order`,
                { span: f.origin.values[`${p}.at`] },
              ),
            );
          if (b.percent < a.percent)
            out.push(
              diagnostic(
                C.rolloutDecrease,
                `rollout step ${k + 1} of rule "${r.name}" lowers the percent from ${a.percent} to ${b.percent}; rollouts only grow (roll back with enabled: false)`,
                { span: f.origin.values[`${p}.percent`] },
              ),
            );
        }
      });
    }
    return out;
  },
};
