import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { CheckCodes as C } from "./codes.js";
import { type Check } from "./context.js";
import { SESSION_UNIT } from "../model.js";

/**
 * A metric on another unit than the experiment's (session metrics in a user experiment) is only sound
 * as a ratio (delta method). The one exception is a user-level metric in a session experiment that
 * is not a quantile: it is analysed per session with standard errors clustered by user (docs/analysis.md).
 */
export const metricUnitsCheck: Check = {
  name: "metric-units",
  run({ workspace: ws, brokenFiles }) {
    const out: Diagnostic[] = [];
    const declared = new Set(ws.settings.units);
    for (const e of ws.experiments.values()) {
      if (!declared.has(e.unit)) continue; // reported by the units check
      for (const tier of ["primary", "secondary", "guardrails"] as const) {
        e.metrics[tier].forEach((key, i) => {
          const m = ws.metrics.get(key);
          if (!m || brokenFiles.has(m.origin.file) || !declared.has(m.unit) || m.unit === e.unit || m.kind === "ratio") return;
          if (e.unit === SESSION_UNIT && m.kind !== "quantile") return;
          out.push(
            diagnostic(
              C.metricUnit,
              `metric "${key}" is per "${m.unit}" but experiment "${e.key}" randomises by "${e.unit}"; use a ratio metric (e.g. count(x) / count(session_start)) or a "${e.unit}" metric`,
              {
                span: e.origin.values[`metrics.${tier}.${i}`],
                related: m.origin.values.unit ? [{ message: `unit of "${key}"`, span: m.origin.values.unit }] : [],
              },
            ),
          );
        });
      }
    }
    return out;
  },
};
