import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { CheckCodes as C } from "./codes.js";
import { unknownName, type Check } from "./context.js";
import type { Experiment } from "../model.js";

/** Weights are positive (and not silently rescaled), the control is a variant, the layer exists and traffic is a real share. */
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
      const rescaled = rescaledWeights(e);
      if (rescaled) out.push(rescaled);
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

/**
 * Weights are shares of the experiment's traffic: 50/50 or 1/1/1 read as meant, but 40/50 becomes
 * 44.44%/55.56%, which is rarely what was meant (a forgotten variant, a typo). Unequal weights that do
 * not sum to 100 are a warning that shows the shares they become.
 */
function rescaledWeights(e: Experiment): Diagnostic | undefined {
  const weights = e.variants.map((v) => v.weight);
  if (weights.length < 2 || !weights.every((w) => w > 0)) return undefined;
  const total = weights.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 100) < 1e-9 || weights.every((w) => w === weights[0])) return undefined;
  const explicit = e.variants.find((v) => e.origin.values[`variants.${v.key}.weight`]);
  if (!explicit) return undefined;
  const shares = e.variants.map((v) => `${v.key} ${v.weight} → ${((100 * v.weight) / total).toFixed(2)}%`).join(", ");
  return diagnostic(
    C.rescaledWeights,
    `the variant weights of experiment "${e.key}" sum to ${Number(total.toPrecision(12))}, not 100, so they are rescaled: ${shares}`,
    {
      span: e.origin.values[`variants.${explicit.key}.weight`],
      suggestion: "write the shares you mean so that they sum to 100, or give every variant the same weight",
    },
  );
}
