import { diagnostic, type Diagnostic, type Span } from "../../diagnostics/diagnostic.js";
import type { Guard, Metric } from "../model.js";
import { CheckCodes as C } from "./codes.js";
import { unknownName, type Check } from "./context.js";

/** Kinds `exp serve` cannot keep per unit as events arrive (src/app/live-definitions.ts). */
const NOT_LIVE: Partial<Record<Metric["kind"], string>> = {
  quantile: "a quantile",
  count_distinct: "a distinct count",
};

/**
 * A guard (experiment `guard:`, rollout `guard:`) watches metrics that exist, that declare the
 * regression they must not pass, and that the server can follow live; an experiment's guard watches
 * its own guardrails, whose live statistics the server already keeps.
 */
export const guardsCheck: Check = {
  name: "guards",
  run({ workspace: ws, known }) {
    const out: Diagnostic[] = [];
    const check = (owner: string, guard: Guard, spanOf: (i: number) => Span | undefined, guardrails?: readonly string[]) =>
      guard.metrics.forEach((key, i) => {
        const span = spanOf(i);
        const unknown = unknownName(C.unknownMetric, "metric", key, known.metrics, span, "add metrics/<name>.yaml or fix the name");
        if (unknown) return out.push(unknown);
        const metric = ws.metrics.get(key);
        if (!metric) return;
        if (!metric.guardrail)
          out.push(
            diagnostic(
              C.guardWithoutMargin,
              `metric "${key}" in the guard of ${owner} has no guardrail.max_regression; add one to metrics/${key}.yaml so the guard knows which regression to stop`,
              { span },
            ),
          );
        const kind = NOT_LIVE[metric.kind];
        if (kind)
          out.push(
            diagnostic(
              C.guardNotLive,
              `metric "${key}" in the guard of ${owner} is ${kind}, which exp serve cannot follow live; guard with a count, sum, mean or conversion metric`,
              { span },
            ),
          );
        if (guardrails && !guardrails.includes(key))
          out.push(
            diagnostic(
              C.guardNotGuardrail,
              `metric "${key}" in the guard of ${owner} is not one of its guardrails; add it to metrics.guardrails`,
              {
                span,
              },
            ),
          );
      });
    for (const e of ws.experiments.values())
      if (e.guard) check(`experiment "${e.key}"`, e.guard, (i) => e.origin.values[`guard.metrics.${i}`], e.metrics.guardrails);
    for (const f of ws.flags.values())
      f.rules.forEach((r, i) => {
        if (r.kind === "rollout" && r.guard)
          check(`rule "${r.name}" of flag "${f.key}"`, r.guard, (k) => f.origin.values[`rules.${i}.rollout.guard.metrics.${k}`]);
      });
    return out;
  },
};
