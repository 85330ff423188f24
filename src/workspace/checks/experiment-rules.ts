import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { CheckCodes as C } from "./codes.js";
import { unknownName, type Check } from "./context.js";

/**
 * An experiment-backed rule names an existing experiment, maps only its variants, and every experiment
 * variant ends up with a flag variant: mapped, or a flag variant of the same key.
 */
export const experimentRulesCheck: Check = {
  name: "experiment-rules",
  run({ workspace: ws, known }) {
    const out: Diagnostic[] = [];
    for (const f of ws.flags.values()) {
      const o = f.origin;
      const flagVariants = f.variants.map((v) => v.key);
      f.rules.forEach((r, i) => {
        if (r.kind !== "experiment") return;
        const p = `rules.${i}`;
        const missing = unknownName(
          C.unknownExperiment,
          "experiment",
          r.experiment,
          known.experiments,
          o.values[`${p}.experiment`],
          "add experiments/<name>.yaml or fix the name",
        );
        if (missing) return void out.push(missing);
        const e = ws.experiments.get(r.experiment);
        if (!e) return; // declared but failed to load: its own file reports why
        const expVariants = e.variants.map((v) => v.key);
        for (const [from, to] of Object.entries(r.map)) {
          const d1 = unknownName(
            C.unknownVariant,
            "experiment variant",
            from,
            expVariants,
            o.keys[`${p}.map.${from}`],
            `map keys are variants of experiment "${e.key}"`,
          );
          if (d1) out.push(d1);
          const d2 = unknownName(
            C.unknownVariant,
            "flag variant",
            to,
            flagVariants,
            o.values[`${p}.map.${from}`],
            "map values are the flag's variants",
          );
          if (d2) out.push(d2);
        }
        for (const v of expVariants) {
          if (v in r.map || flagVariants.includes(v)) continue;
          out.push(
            diagnostic(
              C.unmappedVariant,
              `experiment variant "${v}" of "${e.key}" has no flag variant: add "${v}: <flag variant>" to the map of rule "${r.name}"`,
              {
                span: o.keys[`${p}.map`] ?? o.values[`${p}.experiment`],
                related: e.origin.keys[`variants.${v}`]
                  ? [{ message: "variant declared here", span: e.origin.keys[`variants.${v}`]! }]
                  : [],
              },
            ),
          );
        }
      });
    }
    return out;
  },
};
