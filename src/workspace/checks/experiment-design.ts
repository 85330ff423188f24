import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { CheckCodes as C } from "./codes.js";
import { unknownName, type Check } from "./context.js";

/** Weights are positive, the control is a variant, the layer exists and traffic is a real share. */
export const experimentDesignCheck: Check = {
  name: "experiment-design",
  run({ workspace: ws, known }) {
    const out: Diagnostic[] = [];
    for (const e of ws.experiments.values()) {
      const o = e.origin;
      for (const v of e.variants) {
        if (!(v.weight > 0))
          out.push(
            diagnostic(
              C.nonPositiveWeight,
              `variant "${v.key}" has weight ${v.weight}; weights must be positive (remove the variant instead of giving it 0)`,
              { span: o.values[`variants.${v.key}.weight`] ?? o.keys[`variants.${v.key}`] },
            ),
          );
      }
      if (o.values.control) {
        const d = unknownName(
          C.unknownVariant,
          "control variant",
          e.control,
          e.variants.map((v) => v.key),
          o.values.control,
          `use one of the experiment's variants`,
        );
        if (d) out.push(d);
      }
      if (e.layer !== undefined) {
        const d = unknownName(C.unknownLayer, "layer", e.layer, known.layers, o.values.layer, 'declare it under "layers" in layers.yaml');
        if (d) out.push(d);
      }
      if (!(e.traffic > 0 && e.traffic <= 1))
        out.push(
          diagnostic(C.trafficRange, `traffic of experiment "${e.key}" must be above 0% and at most 100%`, { span: o.values.traffic }),
        );
    }
    return out;
  },
};
