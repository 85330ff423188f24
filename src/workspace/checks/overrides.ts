import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Origin } from "../model.js";
import { CheckCodes as C } from "./codes.js";
import { unknownName, type Check } from "./context.js";

/**
 * `overrides:` of experiments and flags name variants of their owner and list each unit once: a
 * unit under two variants would get whichever the compiler met first, and one listed twice under
 * the same variant is a copy-paste slip.
 */
export const overridesCheck: Check = {
  name: "overrides",
  run({ workspace: ws }) {
    const out: Diagnostic[] = [];
    for (const e of ws.experiments.values()) {
      if (!e.overrides) continue;
      const keys = e.variants.map((v) => v.key);
      out.push(...unknownVariants(e.overrides, keys, e.origin, `overrides of experiment "${e.key}" must name one of its variants`));
      out.push(...duplicateUnits("experiment", e.key, e.overrides, e.origin));
    }
    for (const f of ws.flags.values()) {
      const keys = f.variants.map((v) => v.key);
      out.push(...unknownVariants(f.overrides, keys, f.origin, `overrides must name one of the flag's variants`));
      out.push(...duplicateUnits("flag", f.key, f.overrides, f.origin));
    }
    return out;
  },
};

function unknownVariants(overrides: Record<string, string[]>, keys: string[], origin: Origin, hint: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const variant of Object.keys(overrides)) {
    const d = unknownName(C.unknownVariant, "variant", variant, keys, origin.keys[`overrides.${variant}`], hint);
    if (d) out.push(d);
  }
  return out;
}

function duplicateUnits(kind: string, key: string, overrides: Record<string, string[]>, origin: Origin): Diagnostic[] {
  const out: Diagnostic[] = [];
  const first = new Map<string, string>();
  for (const [variant, units] of Object.entries(overrides)) {
    units.forEach((unit, i) => {
      const earlier = first.get(unit);
      if (earlier === undefined) {
        first.set(unit, variant);
        return;
      }
      const where = earlier === variant ? `twice under "${variant}"` : `under both "${earlier}" and "${variant}"`;
      out.push(
        diagnostic(C.duplicateOverride, `unit "${unit}" is listed ${where} in the overrides of ${kind} "${key}"; keep one entry`, {
          span: origin.values[`overrides.${variant}.${i}`] ?? origin.keys[`overrides.${variant}`],
        }),
      );
    });
  }
  return out;
}
