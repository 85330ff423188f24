import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { checkCondition } from "../../dsl/index.js";
import type { Check } from "./context.js";

/** Type-checks every condition: segment `when`, experiment targeting and flag rule `when`. */
export const conditionsCheck: Check = {
  name: "conditions",
  run({ workspace: ws, env }) {
    const out: Diagnostic[] = [];
    for (const s of ws.segments.values()) out.push(...checkCondition(s.when, env));
    for (const e of ws.experiments.values()) if (e.targeting) out.push(...checkCondition(e.targeting, env));
    for (const f of ws.flags.values()) for (const r of f.rules) if (r.when) out.push(...checkCondition(r.when, env));
    return out;
  },
};
