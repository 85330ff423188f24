import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { CheckCodes as C } from "./codes.js";
import { unknownName, type Check } from "./context.js";

/** Served and rolled-out variants exist; rule names are unique; nothing follows a rule that always matches. */
export const flagRulesCheck: Check = {
  name: "flag-rules",
  run({ workspace: ws }) {
    const out: Diagnostic[] = [];
    for (const f of ws.flags.values()) {
      const o = f.origin;
      const keys = f.variants.map((v) => v.key);
      const names = new Map<string, number>();
      f.rules.forEach((r, i) => {
        const p = `rules.${i}`;
        const prev = names.get(r.name);
        if (prev !== undefined) {
          out.push(
            diagnostic(C.duplicateRule, `rule name "${r.name}" is used twice in flag "${f.key}"; rule names must be unique`, {
              span: o.values[`${p}.name`] ?? o.values[p],
              related: [{ message: "first used here", span: (o.values[`rules.${prev}.name`] ?? o.values[`rules.${prev}`])! }],
            }),
          );
        } else names.set(r.name, i);
        const hint = `use one of the flag's variants: ${keys.map((k) => `"${k}"`).join(", ")}`;
        if (r.kind === "serve") {
          const d = unknownName(C.unknownVariant, "variant", r.serve, keys, o.values[`${p}.serve`], hint);
          if (d) out.push(d);
        } else if (r.kind === "rollout") {
          const d = unknownName(C.unknownVariant, "variant", r.variant, keys, o.values[`${p}.rollout.variant`], hint);
          if (d) out.push(d);
        }
        if (r.kind === "serve" && r.when === undefined && i < f.rules.length - 1) {
          out.push(
            diagnostic(
              C.unreachableRule,
              `rule "${r.name}" has no "when" and always serves, so the rules after it never match; add a condition or move it last`,
              { span: o.values[p] },
            ),
          );
        }
      });
    }
    return out;
  },
};
