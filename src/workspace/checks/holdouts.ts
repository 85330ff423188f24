import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { CheckCodes as C } from "./codes.js";
import { type Check } from "./context.js";

/** Each holdout keeps a real share of traffic, and together they leave some traffic to experiment on. */
export const holdoutsCheck: Check = {
  name: "holdouts",
  run({ workspace: ws }) {
    const out: Diagnostic[] = [];
    let total = 0;
    for (const h of ws.holdouts.values()) {
      total += h.traffic;
      if (!(h.traffic > 0 && h.traffic <= 1))
        out.push(
          diagnostic(
            C.holdoutTraffic,
            `holdout "${h.key}" has traffic ${+(h.traffic * 100).toFixed(4)}%; it must be above 0% and at most 100%`,
            { span: h.origin.values[`holdouts.${h.key}.traffic`] },
          ),
        );
    }
    if (total > 1 && out.length === 0) {
      const last = [...ws.holdouts.values()].pop()!;
      out.push(
        diagnostic(C.holdoutTotal, `holdouts together take ${+(total * 100).toFixed(4)}% of traffic; keep their sum at or below 100%`, {
          span: last.origin.values[`holdouts.${last.key}.traffic`],
        }),
      );
    }
    return out;
  },
};
