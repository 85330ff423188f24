import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Experiment } from "../model.js";
import { CheckCodes as C } from "./codes.js";
import { type Check } from "./context.js";

/** Experiments in one layer split the same units, so they must randomise on the same unit. */
export const layerUnitsCheck: Check = {
  name: "layer-units",
  run({ workspace: ws }) {
    const out: Diagnostic[] = [];
    const first = new Map<string, Experiment>();
    for (const e of [...ws.experiments.values()].sort((a, b) => a.key.localeCompare(b.key))) {
      if (e.layer === undefined) continue;
      const f = first.get(e.layer);
      if (!f) first.set(e.layer, e);
      else if (f.unit !== e.unit) {
        out.push(
          diagnostic(
            C.layerUnit,
            `experiment "${e.key}" uses unit "${e.unit}" but layer "${e.layer}" already holds "${f.key}" on unit "${f.unit}"; experiments in one layer must share a unit`,
            {
              span: e.origin.values.unit ?? e.origin.values.layer,
              related: [{ message: `"${f.key}" is in the same layer`, span: f.origin.values.unit ?? f.origin.values.layer! }],
            },
          ),
        );
      }
    }
    return out;
  },
};
