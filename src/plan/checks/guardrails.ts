import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { checkCodes as C } from "./codes.js";
import type { PlanCheck } from "./context.js";
import { locateKey } from "./locate.js";
import { runningExperiments } from "./targeting.js";

/** A running experiment must watch at least one guardrail metric; required when defaults.require_guardrails is set. */
export const guardrailsCheck: PlanCheck = {
  name: "guardrails",
  run(ctx) {
    const required = ctx.desired.settings.defaults.require_guardrails === true;
    const d = required ? C.guardrailsRequired : C.guardrailsMissing;
    const candidates = [...ctx.desired.metrics.values()].filter((m) => m.guardrail).map((m) => `"${m.key}"`);
    const hint = candidates.length > 0 ? ` (metrics with a guardrail margin: ${candidates.slice(0, 3).join(", ")})` : "";
    const out: Diagnostic[] = [];
    for (const e of runningExperiments(ctx.desired)) {
      if (e.metrics.guardrails.length > 0) continue;
      out.push(
        diagnostic(d, `running experiment "${e.key}" names no guardrail metric; add one under metrics.guardrails${hint}`, {
          span: e.origin.values["metrics.guardrails"] ?? locateKey(e.origin, "metrics", "status"),
        }),
      );
    }
    return out;
  },
};
