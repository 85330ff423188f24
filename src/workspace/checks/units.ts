import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { CheckCodes as C } from "./codes.js";
import { unknownName, type Check } from "./context.js";

/** Experiments and metrics name a unit declared in exp.yaml. */
export const unitsCheck: Check = {
  name: "units",
  run({ workspace: ws }) {
    const units = ws.settings.units;
    const hint = `declare it under "units" in exp.yaml or use one of ${units.map((u) => `"${u}"`).join(", ")}`;
    const out: (Diagnostic | undefined)[] = [];
    for (const e of ws.experiments.values())
      if (e.origin.values.unit) out.push(unknownName(C.unknownUnit, "unit", e.unit, units, e.origin.values.unit, hint));
    for (const m of ws.metrics.values())
      if (m.origin.values.unit) out.push(unknownName(C.unknownUnit, "unit", m.unit, units, m.origin.values.unit, hint));
    return out.filter((d): d is Diagnostic => d !== undefined);
  },
};
