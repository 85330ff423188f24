import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { FlagType } from "../model.js";
import { CheckCodes as C } from "./codes.js";
import { unknownName, type Check } from "./context.js";

const FITS: Record<FlagType, (v: unknown) => boolean> = {
  boolean: (v) => typeof v === "boolean",
  string: (v) => typeof v === "string",
  number: (v) => typeof v === "number" && Number.isFinite(v),
  json: () => true,
};

function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return `a ${typeof v}`;
}

/** Variant values match the flag type and the default names a variant (overrides: overrides.ts). */
export const flagVariantsCheck: Check = {
  name: "flag-variants",
  run({ workspace: ws }) {
    const out: Diagnostic[] = [];
    for (const f of ws.flags.values()) {
      const o = f.origin;
      const keys = f.variants.map((v) => v.key);
      for (const v of f.variants) {
        if (!FITS[f.type](v.value))
          out.push(
            diagnostic(
              C.variantValueType,
              `variant "${v.key}" of ${f.type} flag "${f.key}" has ${kindOf(v.value)} value; give it a ${f.type} value`,
              { span: o.values[`variants.${v.key}`] ?? o.values.variants },
            ),
          );
      }
      if (!keys.includes(f.default))
        out.push(
          diagnostic(
            C.defaultNotVariant,
            `default "${f.default}" of flag "${f.key}" is not one of its variants (${keys.map((k) => `"${k}"`).join(", ")})`,
            { span: o.values.default, suggestion: suggestion(f.default, keys) },
          ),
        );
    }
    return out;
  },
};

function suggestion(name: string, keys: string[]): string | undefined {
  return unknownName(C.defaultNotVariant, "", name, keys, undefined, "")?.suggestion;
}
